"""Whatever a person types in « Ma ville › Chercher », search answers (property tests, hypothesis):
any unicode, quotes, FTS5 operators and column filters, against the real FTS5 table of a cache
synchronised from the reference server; and one typo in a long indexed word is still forgiven."""

from __future__ import annotations

import pytest
from city_support import seeded_cache
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.city.search import TYPO_MIN_LETTERS, CitySearch
from offline_cache.db import open_cache
from offline_cache.places import search_places

pytestmark = pytest.mark.reference_server

FTS_SYNTAX = ['"', "*", "^", "-", "+", ":", "(", ")", "NEAR", "NEAR(", "AND", "OR", "NOT", "name", "name:",
              "{name address}", ",", "'", "''", "\\", "maire", "mairie", "ecole", "e", "l'", "de", "ÉCOLE", "é",
              "\u0301", "\x00", "ﬁ", "²", "٣", "中文", "🙂"]

typed_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(FTS_SYNTAX), max_size=12).map(" ".join),
    st.lists(st.sampled_from(FTS_SYNTAX), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(FTS_SYNTAX), st.text(max_size=6)), max_size=10).map(" ".join),
)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    conn = open_cache(seeded_cache(tmp_path_factory.mktemp("search") / "cache.sqlite3"))
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def long_terms(conn):
    terms = CitySearch(conn).vocabulary().terms
    return [t for t in terms if len(t) > TYPO_MIN_LETTERS and t.isascii() and t.isalpha()]


@settings(max_examples=settings.default.max_examples * 3)
@given(text=typed_text)
def test_whatever_is_typed_search_answers(conn, text):
    search = CitySearch(conn)
    results = search.search(text)
    assert isinstance(results.places, list) and isinstance(results.services, list)
    search_places(conn, text)                   # the cache's own search (the listing's), too


def mistype(term: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(term) - 1), label="position")
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), label="letter")
    edit = data.draw(st.sampled_from(["substitute", "insert", "delete", "swap"]), label="edit")
    if edit == "substitute":
        return term[:i] + letter + term[i + 1:]
    if edit == "insert":
        return term[:i] + letter + term[i:]
    if edit == "delete":
        return term[:i] + term[i + 1:]
    j = min(i + 1, len(term) - 1)
    return term[:i] + term[j] + term[i] + term[j + 1:] if j > i else term


@settings(max_examples=settings.default.max_examples)
@given(data=st.data())
def test_one_typo_in_a_long_indexed_word_is_forgiven(conn, long_terms, data):
    term = data.draw(st.sampled_from(long_terms), label="term")
    typo = mistype(term, data)
    search = CitySearch(conn)
    assert not search.search(typo).empty, (term, typo)
    other = data.draw(st.sampled_from(long_terms), label="other word")
    search.search(f"{typo} {other[:3]}")        # beside another word: answers (maybe nothing in common)
    search.search(f"{other} {typo}")

