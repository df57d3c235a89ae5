"""Text folding shared by sorting and search: what a citizen types matches what the catalog says.

The same folding as the places index (``unicode61 remove_diacritics 2``): case and accents
do not count, so « ecole », « École » and « ÉCOLE » are one word, and « Médiathèque » sorts
with the M's rather than after Z.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")   # letters and digits, any script (as offline_cache.places)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents: « Médiathèque Louise-Bodin » → « mediatheque louise-bodin »."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def sort_key(text: str) -> str:
    return fold(text)
