"""Breaking text into lines that fit, the French way.

Lines break at ordinary spaces and after hyphens, never at a no-break space
(so « 9 h 30 » and « : » stay together). A word longer than the line is cut
by character as a last resort, so nothing ever overflows.
"""

from __future__ import annotations

from kiosk.shell.fonts import FontBook

ELLIPSIS = "…"


def _tokens(paragraph: str) -> list[str]:
    """Split into break opportunities; each token carries its trailing space or hyphen."""
    tokens, current = [], ""
    for ch in paragraph:
        current += ch
        if ch == " " or (ch == "-" and len(current) > 1):
            tokens.append(current)
            current = ""
    if current:
        tokens.append(current)
    return tokens


def _cut_word(word: str, fonts: FontBook, size: int, bold: bool, width: int) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and fonts.width(current + ch, size, bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


# Line breaks cached in the FontBook (a few hundred bytes each): emptied when this many, as the
# header's clock and typed text make new keys for as long as the terminal runs.
WRAPS_KEPT = 8192


def wrap(text: str, fonts: FontBook, size: int, width: int, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width`` pixels ("\\n" forces a break)."""
    # Layout asks for the same text at the same width many times (measure, place, draw);
    # the cache lives in the FontBook so it goes away with it.
    cache = fonts.wrap_cache
    key = (text, size, width, bold)
    lines = cache.get(key)
    if lines is None:
        if len(cache) >= WRAPS_KEPT:
            cache.clear()
        lines = cache[key] = _wrap(text, fonts, size, width, bold)
    return list(lines)


def _wrap(text: str, fonts: FontBook, size: int, width: int, bold: bool) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if fonts.width(candidate.rstrip(" "), size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line.rstrip(" "))
            if fonts.width(token.rstrip(" "), size, bold) <= width:
                line = token
            else:
                *full, line = _cut_word(token, fonts, size, bold, width)
                lines.extend(full)
        lines.append(line.rstrip(" "))
    return tuple(lines)


def ellipsize(line: str, fonts: FontBook, size: int, width: int, bold: bool = False) -> str:
    if fonts.width(line, size, bold) <= width:
        return line
    while line and fonts.width(line + ELLIPSIS, size, bold) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
