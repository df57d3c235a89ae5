"""« Ma ville › Chercher » with two words one of which is mistyped (issue 17, finding 9): the
typo-forgiving expression ``("mairi"* OR "marie"* OR "aire"*) "ecole"*`` was a syntax error for the
FTS5 of the SQLite terminals run (3.40.1) and showed the apology screen. Now it answers, and still
forgives the typo; on the real app, over a cache synchronised from the reference server."""

from __future__ import annotations

import pytest
from city_support import SEEDED_AT, seeded_cache

from kiosk.city.search import CitySearch
from kiosk.clock import ManualClock
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server


@pytest.fixture
def search(tmp_path):
    conn = open_cache(seeded_cache(tmp_path / "cache.sqlite3"))
    yield CitySearch(conn)
    conn.close()


@pytest.mark.parametrize("typed", ["maire e", "ecole maire", "maire ecole", "mediatehque louise", "Louise mediatehque",
                                   "pisicne intercommunale layon"])
def test_a_mistyped_word_beside_another_answers(search, typed):
    words = typed.split()
    expression = search.expression(words)
    assert expression is not None and " AND " in expression
    search.search(typed)                               # no sqlite3.OperationalError


def test_the_typo_is_still_forgiven_beside_another_word(search):
    assert [p["id"] for p in search.search("mediatehque louise").places][:1] == ["pl-mediatheque"]
    assert [p["id"] for p in search.search("louise mediatehque").places][:1] == ["pl-mediatheque"]
    assert not search.search("maire e").empty


def test_typing_maire_e_on_the_search_screen(make_pilot, tmp_path):
    pilot = make_pilot(clock=ManualClock(SEEDED_AT))
    pilot.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    pilot.tap("feature-city")
    pilot.tap("city-search")
    for typed in ("maire e", "  ecole maire"):
        for _ in pilot.widget("query").value:
            pilot.tap("key-backspace")
        pilot.type(typed)
        assert pilot.screen.name == "city_search", pilot.text()
        assert pilot.has("result-place-0") or pilot.has("results-none")
    assert pilot.take_errors() == []
