"""Where a line of text may break: one rule for the screen and for the printed ticket.

A person reads « 4 / décembre », « 06 12 / 34 56 78 », « e-/mail » or « 1 / an » as two
things. So a line breaks only at an ordinary space that is not inside one of these, whichever
text it is in (a translated sentence, a service's description from the town's catalog, a
name typed on the keyboard):

* a date: « jeudi 3 décembre 2026 », « 1er juin », « décembre 2026 », « Thursday 3 December »;
* a time: « 9 h 30 », « 14 h », « 9:30 am »;
* a phone number: « 06 12 34 56 78 », « +33 6 12 34 56 78 »;
* a number and the word it counts or measures: « 1 an », « 15 min », « 86 € », « 12 345 »;
* a no-break space the text already has (U+00A0, U+202F: French typography, formatting);
* a hyphenated word (« rendez-vous », « e-mail ») and an e-mail address, which have no space.

Only when such a run is wider than a whole line does it break inside, at the least harmful
place first: after a no-break space (but not between a number and its word: « vendredi 4 /
décembre 2026 » never, « vendredi / 4 décembre / 2026 » if it must), after a hyphen, before « @ »,
after « . » or « / »; and only if a piece is still too wide, between two characters, so that
nothing ever overflows.

The screen (``screens.widgets.text.wrap``, in pixels of the real font) and the ticket printer
(``drivers.printer.render``, in characters of the paper's width) both call :func:`break_lines`
with their own measure. The lines are slices of the text as given: the rules only decide where
the breaks go, they never change a character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from kiosk.formatting import day_and_month_names

NBSP = "\u00a0"
_SOFT_AFTER = frozenset("\u00a0\u202f-/.")     # a too-long run breaks after these…
_SOFT_BEFORE = frozenset("@")                 # …or before these
_TRAILING = " \u00a0\u202f"                   # spaces a line never ends with


def _alternatives(words: tuple[str, ...]) -> str:
    # Longest first, so « sept. » wins over « sept » and « mars » over « mar. ».
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _together() -> re.Pattern[str]:
    """Runs whose ordinary spaces are not break opportunities."""
    days, months = day_and_month_names()
    day, month = _alternatives(days), _alternatives(months)
    sp = "[ \u00a0\u202f]"
    word_end = r"(?![^\W_])"
    patterns = (
        # dates: [weekday] day month [year], month year
        rf"(?:\b(?:{day}){word_end}{sp}+)?\b(?:1er|\d{{1,2}}){sp}+(?:{month}){word_end}(?:{sp}+\d{{4}}\b)?",
        rf"\b(?:{month}){word_end}{sp}+\d{{4}}\b",
        # phone numbers: 06 12 34 56 78, +33 6 12 34 56 78, 0033 6 …
        r"(?<![\w+])(?:(?:\+|00)33[ \u00a0]?|0)[1-9](?:[ \u00a0.]?\d\d){4}(?!\d)",
        # times: 9 h 30, 14 h, 9:30 am
        rf"\b\d{{1,2}}{sp}?h(?:{sp}?\d\d)?{word_end}",
        rf"\b\d{{1,2}}:\d\d{sp}?(?:am|pm|a\.m\.|p\.m\.){word_end}",
        # a number and what it counts or measures, thousands groups: 1 an, 15 min, 86 €, 12 345
        rf"\b\d+(?:[,.]\d+)?(?:{sp}\d{{3}})*(?:{sp}+(?:[^\W\d_]+|[€%°$£]))?",
    )
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def keep_together(text: str) -> str:
    """``text`` with every ordinary space inside a date, a time, a phone number or a number and
    its unit turned into a no-break space: the same length, character for character."""
    return _together().sub(lambda m: m.group().replace(" ", NBSP), text)


def unbreakable_run(text: str, end: int, start: int) -> tuple[int, int] | None:
    """Whether a line of ``text`` ending at ``end``, the next one starting at ``start``, breaks
    where this rule lets it: ``None`` if so (an ordinary space between them that is not inside a
    date, a time, a phone number or a number and its unit), else the bounds of the run it breaks
    (the text between the nearest allowed breaks around it: a date, a hyphenated word, an e-mail
    address…). The layout checker asks this of every line end it sees on screen."""
    guarded = keep_together(text)
    if " " in guarded[end:start] or "\n" in text[end:start]:
        return None
    left = guarded.rfind(" ", 0, end) + 1
    right = guarded.find(" ", start)
    right = len(text) if right < 0 else right
    newline_before = text.rfind("\n", left, end)
    newline_after = text.find("\n", start, right)
    return (newline_before + 1 if newline_before >= 0 else left,
            newline_after if newline_after >= 0 else right)


def break_lines(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Lines of ``text`` (``"\\n"`` forces a break), each one ``fits``, broken where a reader
    expects it (see the module's docstring)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_paragraph(paragraph, fits))
    return lines


def _tokens(paragraph: str) -> list[str]:
    """The paragraph cut after each space a line may break at (the token keeps its space)."""
    guarded = keep_together(paragraph)
    tokens, start = [], 0
    for i, ch in enumerate(guarded):
        if ch == " ":
            tokens.append(paragraph[start:i + 1])
            start = i + 1
    if start < len(paragraph):
        tokens.append(paragraph[start:])
    return tokens


def _paragraph(paragraph: str, fits: Callable[[str], bool]) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(paragraph):
        candidate = line + token
        if fits(candidate.rstrip(" ")):
            line = candidate
            continue
        if fits(token.rstrip(" ")):
            if line:
                lines.append(line.rstrip(" "))
            line = token
        else:
            # It breaks anyway: its first piece may as well finish the current line.
            *full, line = _split_run(token, fits, line)
            lines.extend(full)
    lines.append(line.rstrip(" "))
    return lines


def _split_run(run: str, fits: Callable[[str], bool], line: str = "") -> list[str]:
    """A run wider than a line, in pieces that fit, the first one after ``line`` if it fits
    there: at its soft places, else by character."""
    guarded = keep_together(run)
    pieces, start = [], 0
    for i, ch in enumerate(guarded):
        if ch in _SOFT_AFTER and i + 1 < len(run) and not _binds(guarded, i):
            pieces.append(run[start:i + 1])
            start = i + 1
        elif ch in _SOFT_BEFORE and i > start:
            pieces.append(run[start:i])
            start = i
    pieces.append(run[start:])
    lines: list[str] = []
    for piece in pieces:
        if fits((line + piece).rstrip(_TRAILING)):
            line += piece
            continue
        if line:
            lines.append(line.rstrip(_TRAILING))
        if fits(piece.rstrip(_TRAILING)):
            line = piece
        else:
            *full, line = _cut(piece, fits)
            lines.extend(full)
    lines.append(line)
    return lines


_NUMBER_BEFORE = re.compile(r"(?:\d|\b1er)$")


def _binds(text: str, i: int) -> bool:
    """Whether the space at ``i`` joins a number to the word after it (« 4 décembre », « 1 an »):
    even a run too wide for the line does not break there when it has any other place."""
    return text[i] != "-" and text[i + 1].isalpha() and bool(_NUMBER_BEFORE.search(text, 0, i))


def _cut(word: str, fits: Callable[[str], bool]) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and not fits(current + ch):
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces
