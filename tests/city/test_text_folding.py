"""One folding for every search: the booking's service search, the city search (places through
the FTS5 index, services and pages in memory) and alphabetical orders fold text alike, so
« oeuvre » finds « Œuvre » everywhere and the index agrees with ``kiosk.text``."""

from __future__ import annotations

import pytest

from kiosk.booking.availability import Availability
from kiosk.city.search import CitySearch
from kiosk.text import fold, folded_words, sort_key
from offline_cache.db import open_cache


@pytest.mark.parametrize("text, folded", [
    ("Médiathèque Louise-Bodin", "mediatheque louise-bodin"), ("ÉCOLE", "ecole"), ("Œuvre", "oeuvre"),
    ("cœur", "coeur"), ("Lætitia", "laetitia"), ("ÆSOP", "aesop"), ("Straße", "straße"), ("Noël", "noel")])
def test_fold(text, folded):
    assert fold(text) == folded


def test_words_and_order():
    assert folded_words("Main d'œuvre : « Cœur » 12, rue_Haute") == [
        "main", "d", "oeuvre", "coeur", "12", "rue", "haute"]
    assert sorted(["Zoo", "Œuvres sociales", "Médiathèque", "Mairie"], key=sort_key) == [
        "Mairie", "Médiathèque", "Œuvres sociales", "Zoo"]


@pytest.fixture
def cache(tmp_path):
    path = tmp_path / "cache.sqlite3"
    conn = open_cache(path)
    with conn:
        conn.execute("INSERT INTO places (id, name, category, address) VALUES "
                     "('pl-oeuvre', 'Œuvre des Pupilles', 'Solidarité', '3 rue du Sacré-Cœur'), "
                     "('pl-aegir', 'Salle Ægir', 'Culture', 'place Lætitia'), "
                     "('pl-mairie', 'Mairie', 'Administration', '1 place de la Mairie')")
        conn.execute("INSERT INTO services (id, name, domain) VALUES "
                     "('sv-oeuvre', 'Œuvres sociales', 'Solidarité'), ('sv-etat', 'État civil', 'Mairie')")
        conn.execute("INSERT INTO pages (id, title, body) VALUES ('pg-oeuvre', 'Main-d’œuvre', 'Emplois')")
    yield path, conn
    conn.close()


@pytest.mark.parametrize("typed", ["oeuvre", "Œuvre", "œuv", "OEUVRE"])
def test_oeuvre_finds_oeuvre_in_the_booking_search(cache, typed):
    availability = Availability(cache[0])
    try:
        assert [s["id"] for s in availability.search_services(typed)] == ["sv-oeuvre"]
    finally:
        availability.close()


@pytest.mark.parametrize("typed", ["oeuvre", "Œuvre", "œuv", "OEUVRE"])
def test_oeuvre_finds_oeuvre_in_the_city_search(cache, typed):
    results = CitySearch(cache[1]).search(typed)
    assert [p["id"] for p in results.places] == ["pl-oeuvre"]
    assert [s["id"] for s in results.services] == ["sv-oeuvre"]
    assert [p["id"] for p in results.pages] == ["pg-oeuvre"]


def test_the_places_index_folds_like_kiosk_text(cache):
    """Every word the FTS5 index holds is a word ``folded_words`` makes of the places, and back."""
    _path, conn = cache
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, places_fts, row)")
    indexed = {r[0] for r in conn.execute("SELECT term FROM temp.vocab")}
    folded = {w for r in conn.execute("SELECT name, category, address FROM places") for text in r
              for w in folded_words(text)}
    assert indexed == folded
    assert {"oeuvre", "coeur", "aegir", "laetitia"} <= indexed
    assert [p["id"] for p in CitySearch(conn).search("aegir laet").places] == ["pl-aegir"]


def test_the_index_follows_renames_with_ligatures(cache):
    _path, conn = cache
    with conn:
        conn.execute("UPDATE places SET name = 'Cœur de ville' WHERE id = 'pl-mairie'")
    search = CitySearch(conn)
    assert [p["id"] for p in search.search("coeur ville").places] == ["pl-mairie"]
    with conn:
        conn.execute("DELETE FROM places WHERE id = 'pl-oeuvre'")
    assert search.search("oeuvre").places == []
    assert conn.execute("INSERT INTO places_fts(places_fts, rank) VALUES ('integrity-check', 1)") is not None
