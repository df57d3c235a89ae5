"""Search as a citizen types, over the demo town synchronised from the reference server:
accents and case, prefixes, one typo in a long word, no result, FTS5 syntax typed on the
keyboard, services and pages in their own groups, and a catalog that changes under it."""

from __future__ import annotations

import pytest
from city_support import SEEDED_AT, seeded_cache

from kiosk.city.search import CitySearch, Vocabulary, near_prefix, prefix_distance, typos_forgiven, within_one_edit
from offline_cache.db import open_cache
from offline_cache.from_api import apply_catalog

pytestmark = pytest.mark.reference_server


@pytest.fixture
def search(tmp_path):
    conn = open_cache(seeded_cache(tmp_path / "cache.sqlite3"))
    yield CitySearch(conn)
    conn.close()


def place_ids(results):
    return [p["id"] for p in results.places]


@pytest.mark.parametrize("a, b, ok", [
    ("piscine", "piscine", True), ("piscune", "piscine", True), ("pisine", "piscine", True),
    ("pisccine", "piscine", True), ("psicine", "piscine", True), ("piscien", "piscine", True),
    ("pscne", "piscine", False), ("ipscien", "piscine", False), ("", "a", True), ("ab", "ba", True),
    ("abc", "cab", False)])
def test_within_one_edit(a, b, ok):
    assert within_one_edit(a, b) is ok and within_one_edit(b, a) is ok


def test_near_prefix_of_a_half_typed_word():
    assert near_prefix("mediatehq", "mediatheque")        # swapped letters, word not finished
    assert near_prefix("mediateq", "mediatheque")         # a letter missing
    assert not near_prefix("mdiatehq", "mediatheque")     # two mistakes


@pytest.mark.parametrize("word, term, budget, expected", [
    ("pasport", "passeport", 2, (2, 9)), ("pasport", "passeport", 1, None), ("passe", "passeport", 2, (0, 5)),
    ("mdiatehq", "mediatheque", 2, (2, 9)), ("pasport", "sport", 2, (2, 5)), ("piscine", "sport", 2, None),
    ("apartement", "appartement", 2, (1, 11))])
def test_prefix_distance(word, term, budget, expected):
    assert prefix_distance(word, term, budget) == expected


def test_two_typos_only_in_long_words_and_only_when_one_is_not_enough():
    assert [typos_forgiven(w) for w in ("cni", "poste", "piscin", "pasport")] == [0, 1, 1, 2]
    vocab = Vocabulary(["passeport", "sport", "piste", "poste", "appartement"])
    assert vocab.alternatives("pasport") == ["passeport"]      # not « sport »: the first letter is kept
    assert vocab.alternatives("pastes") == []                  # six letters: one typo at most
    assert vocab.alternatives("apartement") == ["appartement"]  # one edit found: two are not tried


@pytest.mark.parametrize("typed", ["pasport", "Pasport", "passport", "paseport", "passepor"])
def test_a_common_misspelling_finds_the_service(search, typed):
    """The search's own example is « passeport »: a person typing it as they hear it finds it."""
    results = search.search(typed)
    assert [s["id"] for s in results.services][:1] == ["svc-passeport"], typed
    assert not any("sport" in p["name"].lower() for p in results.places)


def test_two_typos_in_a_place_name(search):
    assert place_ids(search.search("mdiatehque"))[:1] == ["pl-mediatheque"]
    assert place_ids(search.search("bibiotheque")) == place_ids(search.search("bibliotheque"))


def test_vocabulary_alternatives_including_a_wrong_first_letter():
    vocab = Vocabulary(["mediatheque", "medical", "mairie", "piscine", "ecole"])
    assert vocab.has_prefix("medi") and not vocab.has_prefix("mediatehque")
    assert vocab.alternatives("nediath") == ["mediath"]
    assert vocab.alternatives("emdical") == ["medical"]
    assert vocab.alternatives("zzzzzz") == []


@pytest.mark.parametrize("typed", ["Médiathèque", "mediatheque", "MEDIATHEQUE", "MÉDIATHÈQUE", "médiathèque louise",
                                   "louise-bodin mediatheque", "Médiathe"])
def test_accents_case_and_word_order(search, typed):
    assert place_ids(search.search(typed))[:1] == ["pl-mediatheque"]


def test_prefix_as_you_type(search):
    assert "pl-mediatheque" in place_ids(search.search("medi"))
    assert "pl-mediatheque" in place_ids(search.search("Médi"))
    growing = [place_ids(search.search("piscine"[:n])) for n in range(1, 8)]
    assert all("pl-piscine" in ids for ids in growing[3:])
    assert growing[-1] == ["pl-piscine"]


@pytest.mark.parametrize("typo, expected", [
    ("mediatehque", "pl-mediatheque"),      # two letters swapped
    ("mediateque", "pl-mediatheque"),       # one missing
    ("nediatheque", "pl-mediatheque"),      # the first one wrong
    ("piscune", "pl-piscine"),              # one wrong
    ("gendarmrie", "pl-gendarmerie"),
    ("dechetterie", "pl-dechetterie"),      # one extra (« Déchèterie »)
    ("mediatehq", "pl-mediatheque"),        # and not even finished
])
def test_one_typo_in_a_long_word(search, typo, expected):
    assert expected in place_ids(search.search(typo))


def test_no_typo_allowed_in_short_words_nor_two_typos_below_seven_letters(search):
    assert search.search("pisc").places and not search.search("psic").places      # 4 letters: exact only
    assert not search.search("psicne").places                                      # 6 letters, two mistakes
    assert not search.search("mdaitehqeu").places                                  # three mistakes


def test_no_result_gives_empty_groups(search):
    results = search.search("zzzzzzz")
    assert results.empty and results.places == results.services == results.pages == []
    assert search.search("").empty and search.search("   ").empty and search.search("« ! »").empty


@pytest.mark.parametrize("typed", ['medi*', '"', '"mairie', 'NEAR(mairie piscine)', 'mairie OR piscine', '-mairie',
                                   'name:mairie', '(', ')', 'AND', '^mairie', 'mairie NOT', "l'école", "*", "{}",
                                   "mediat\u0301heque", "mairie" * 30, " ".join(["mairie"] * 40)])
def test_fts_syntax_typed_by_a_citizen_is_only_words(search, typed):
    results = search.search(typed)          # never an FTS5 syntax error
    assert isinstance(results.places, list)


def test_fts_syntax_still_finds_the_words(search):
    assert place_ids(search.search('"mairie'))[:1] == ["pl-mairie"]
    assert "pl-mediatheque" in place_ids(search.search("medi*"))
    assert place_ids(search.search("-mairie saint"))[:1] == ["pl-mairie"]


def test_services_and_pages_grouped_by_kind(search):
    results = search.search("passeport")
    assert [s["id"] for s in results.services] == ["svc-passeport"]
    assert [s["id"] for s in search.search("pasreport").services] == ["svc-passeport"]    # a typo
    assert [s["id"] for s in search.search("carte identite").services] == ["svc-cni"]
    assert [p["id"] for p in search.search("urgence").pages] == ["pg-urgences"]
    assert [p["id"] for p in search.search("samu").pages] == ["pg-urgences"]              # in the body
    dechets = search.search("dechets")
    assert [p["id"] for p in dechets.pages] == ["pg-dechets"]
    mairie = search.search("mairie")
    assert mairie.places[0]["id"] == "pl-mairie" and "pg-horaires" in [p["id"] for p in mairie.pages]


def test_title_matches_before_body_matches(search):
    pages = [p["id"] for p in search.search("mairie").pages]
    assert pages.index("pg-horaires") < pages.index("pg-cimetiere")     # title « … de la mairie » vs body


def test_catalog_change_reaches_search_and_typo_vocabulary(search):
    assert not search.search("ludotheqe").places
    apply_catalog(search.conn, {
        "cursor": "later", "full": False, "services": [], "events": [],
        "pages": [{"id": "pg-ludo", "title": "Ludothèque : horaires", "format": "text/plain", "body": "Jeux.",
                   "updated_at": SEEDED_AT.isoformat()}],
        "deleted": {"services": [], "places": [], "pages": [], "events": []},
        "places": [{"id": "pl-ludo", "name": "Ludothèque des Vignes", "category": "Culture",
                    "address": {"street": "rue des Vignes", "postcode": "49170", "city": "Saint-Clément-des-Vignes"},
                    "latitude": 47.41, "longitude": -0.76, "phone": None, "opening_hours": "We 14:00-18:00",
                    "closures": [], "wheelchair": "yes"}]}, SEEDED_AT)
    results = search.search("ludotheqe")
    assert place_ids(results) == ["pl-ludo"] and [p["id"] for p in results.pages] == ["pg-ludo"]


def test_limit(search):
    assert len(search.search("a", limit=5).places) == 5
