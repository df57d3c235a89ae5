"""Text folding for every search and every alphabetical order: what a citizen types matches
what the catalog says.

One folding, the one the places index applies (SQLite FTS5 ``unicode61 remove_diacritics 2``):
case and accents do not count, so « ecole », « École » and « ÉCOLE » are one word, and
« Médiathèque » sorts with the M's rather than after Z. The French ligatures « œ » and « æ »
count as the two letters nobody types them otherwise than with: « oeuvre » finds « Œuvre ».
FTS5 does not know that (it keeps « œuvre » whole), so the index is given its text with the
ligatures already spelt out (``offline_cache.migrations``, v5); ``tests/city/test_text_folding.py``
checks that this module and the index fold alike.

Lower case, not ``casefold()``: the index keeps « ß » as it is, and so must a query.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")   # letters and digits, any script (as offline_cache.places)

# Ligatures spelt out, in both cases; the places index replaces the same ones (migration v5).
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
_SPELT_OUT = str.maketrans(LIGATURES)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents or ligatures: « Médiathèque Louise-Bodin » → « mediatheque louise-bodin »,
    « Cœur » → « coeur »."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPELT_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def folded_words(text: str) -> list[str]:
    """The words of ``text``, folded: what a search compares."""
    return _WORD.findall(fold(text))


def sort_key(text: str) -> str:
    return fold(text)
