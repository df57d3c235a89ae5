"""French typography for text shown on screen: no-break spaces and the typographic apostrophe.

A module of its own because :mod:`kiosk.i18n` applies it to every translated French string
and :mod:`kiosk.formatting` (which asks :mod:`kiosk.i18n` for the current language) uses it
too: here it depends on neither.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"  # no-break space: before ":", inside « », between a number and its unit
NNBSP = "\u202f"  # narrow no-break space: before ";", "!", "?"; French thousands separator

_SPACES = "[ \t\u00a0\u202f\u2009]"  # space, NBSP, NNBSP, thin space — not newlines
# Spans typography must not touch: URLs, bare www. addresses, e-mail addresses.
_PROTECTED = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[^\s«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_BEFORE_HIGH_PUNCT = re.compile(rf"(?<=\S){_SPACES}+(?=[;!?])")
_BEFORE_COLON = re.compile(rf"(?<=\S){_SPACES}+(?=:)")
_AFTER_OPENING = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}*»")
_ELISION = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def _typo_plain(text: str) -> str:
    text = _BEFORE_HIGH_PUNCT.sub(NNBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING.sub(NBSP + "»", text)
    return _ELISION.sub("\u2019", text)


def typo_fr(text: str) -> str:
    """French typography for a string shown on screen (idempotent).

    Rules (Imprimerie nationale's *Lexique des règles typographiques*, as
    commonly practised on screen):

    1. ``;`` ``!`` ``?`` — the space before them becomes U+202F (narrow
       no-break space).
    2. ``:`` — the space before it becomes U+00A0 (no-break space).
    3. Rules 1–2 apply only where the text already has a space (or a wrong
       kind of one) before the sign: ``9:30``, ``https://``, ``?!`` and
       English-style ``Attention!`` are left alone — we never guess.
    4. ``«`` and ``»`` always get U+00A0 on their inner side (replacing any
       space there): ``«\u00a0Accueil\u00a0»``.
    5. A straight apostrophe between two letters (``l'accueil``,
       ``aujourd'hui``) becomes the typographic one, U+2019.
    6. URLs (``scheme://…``, ``www.…``) and e-mail addresses are copied as is;
       hyphens (``e-mail``) and numbers are never touched.
    """
    if not text:
        return text
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        # A placeholder of non-space, non-letter characters: the rules see
        # "something" there (so "www.x.fr !" still gets its space) but never edit it.
        kept.append(match.group())
        return f"\ue000{len(kept) - 1}\ue001"

    text = _typo_plain(_PROTECTED.sub(keep, text))
    if kept:
        text = re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text)
    return text
