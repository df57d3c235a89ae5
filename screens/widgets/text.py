"""Breaking text into lines that fit, the French way, in pixels of the real font.

Where a line may break is :mod:`kiosk.line_breaks`' rule, the same as on the printed ticket:
at ordinary spaces, never inside a date, a time, a phone number, a number and its unit, a
hyphenated word or an e-mail address, unless that alone is wider than the line.
"""

from __future__ import annotations

from kiosk.line_breaks import break_lines
from kiosk.shell.fonts import FontBook

ELLIPSIS = "…"

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
        lines = cache[key] = tuple(break_lines(text, lambda line: fonts.width(line, size, bold) <= width))
    return list(lines)


def ellipsize(line: str, fonts: FontBook, size: int, width: int, bold: bool = False) -> str:
    if fonts.width(line, size, bold) <= width:
        return line
    while line and fonts.width(line + ELLIPSIS, size, bold) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
