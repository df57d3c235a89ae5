"""Bulk writes of the sync worker, sync state, and place search as a citizen types."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from kiosk.devtools import sample_town as sample_data
from offline_cache.catalog import (
    apply_changes,
    delete_slots,
    record_failure,
    record_success,
    replace_catalog,
    replace_slots,
    sync_state,
    upsert_slots,
    utc_text,
)
from offline_cache.db import open_cache, write_transaction
from offline_cache.places import free_slots, get_place, match_expression, search_places, services

PLACES = [
    {"id": "pl-1", "name": "Médiathèque Louise-Michel", "category": "Bibliothèque",
     "address": "3 rue Jean-Jaurès, 69100 Villeurbanne", "wheelchair": "yes",
     "closures": [{"date": "2026-12-25", "reason": "Noël"}], "opening_hours": "Tu-Sa 10:00-18:00"},
    {"id": "pl-2", "name": "Mairie annexe des Buers", "category": "Mairie", "address": "1 place de la Paix"},
    {"id": "pl-3", "name": "Piscine Étienne-Gagnaire", "category": "Sport", "address": "13 avenue Marcel-Cerdan"},
    {"id": "pl-4", "name": "École élémentaire Jules-Ferry", "category": "École", "address": "8 rue de l'Église"},
]


@pytest.fixture
def conn(tmp_path):
    c = open_cache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def town(conn):
    replace_catalog(conn, "places", PLACES)
    replace_catalog(conn, "agendas", [{"id": "ag-1", "name": "Guichet 1"}, {"id": "ag-2", "name": "Guichet 2"}])
    return conn


def ids(rows):
    return [r["id"] for r in rows]


def test_replace_catalog_makes_the_table_hold_exactly_the_rows(town):
    replace_catalog(town, "places", [dict(PLACES[0], name="Médiathèque Nouvelle"), PLACES[2]])
    assert sorted(r[0] for r in town.execute("SELECT id FROM places")) == ["pl-1", "pl-3"]
    assert get_place(town, "pl-1")["name"] == "Médiathèque Nouvelle"
    assert get_place(town, "pl-1")["closures"] == [{"date": "2026-12-25", "reason": "Noël"}]
    assert ids(search_places(town, "nouvelle")) == ["pl-1"]
    assert search_places(town, "mairie") == [] and search_places(town, "louise") == []


def test_apply_changes_upserts_and_deletes(town):
    assert apply_changes(town, "places", [{"id": "pl-2", "name": "Mairie annexe Cusset", "category": "Mairie"},
                                          {"id": "pl-9", "name": "Gymnase Jean-Moulin"}], ["pl-3", "nope"]) == (2, 1)
    assert ids(search_places(town, "cusset")) == ["pl-2"]
    assert search_places(town, "buers") == [] and search_places(town, "piscine") == []
    assert ids(search_places(town, "gymn")) == ["pl-9"]
    assert town.execute("PRAGMA foreign_key_check").fetchall() == []
    town.execute("INSERT INTO places_fts(places_fts) VALUES ('integrity-check')")  # index matches the table


def test_unknown_resource_is_refused(conn):
    with pytest.raises(ValueError, match="unknown catalog resource"):
        replace_catalog(conn, "citizens", [])


def test_services_keep_their_json_columns(conn):
    replace_catalog(conn, "services", [
        {"id": "sv-1", "name": "Carte d'identité", "domain": "État civil", "documents": ["Photo", "Justificatif"],
         "duration_minutes": 20, "agenda_ids": ["ag-1", "ag-2"], "place_id": "pl-2"},
        {"id": "sv-2", "name": "Inscription scolaire", "domain": "Éducation"}])
    cni = services(conn, "État civil")[0]
    assert cni["documents"] == ["Photo", "Justificatif"] and cni["agenda_ids"] == ["ag-1", "ag-2"]
    assert cni["duration_minutes"] == 20
    assert services(conn, "Éducation")[0]["documents"] == []


def test_keys_and_revocations(conn):
    replace_catalog(conn, "keys", [{"key_id": "k1", "public_key": bytes(range(32)),
                                    "valid_from": "2026-01-01T00:00:00+01:00"}])
    assert conn.execute("SELECT public_key, valid_from FROM keys").fetchone()[:] == (bytes(range(32)),
                                                                                   "2025-12-31T23:00:00Z")
    with pytest.raises(sqlite3.IntegrityError):
        replace_catalog(conn, "keys", [{"key_id": "k2", "public_key": b"short"}])
    assert conn.execute("SELECT key_id FROM keys").fetchall()[0][0] == "k1"  # the failed sync changed nothing
    replace_catalog(conn, "revocations", [{"subject": "k0", "kind": "key"}])
    assert conn.execute("SELECT count(*) FROM revocations").fetchone()[0] == 1


def test_slots_upsert_delete_and_union_of_agendas(town):
    upsert_slots(town, [
        {"id": "s1", "agenda_id": "ag-1", "start": "2026-12-01T09:30:00+01:00", "end": "2026-12-01T09:45:00+01:00",
         "places_left": 1},
        {"id": "s2", "agenda_id": "ag-2", "start": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
         "end": "2026-12-01T08:15:00Z", "places_left": 2},
        {"id": "s3", "agenda_id": "ag-2", "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:15:00Z",
         "places_left": 0}])
    window = ("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")
    assert ids(free_slots(town, ["ag-1", "ag-2"], *window)) == ["s2", "s1"]  # by start, full slots hidden
    upsert_slots(town, [{"id": "s1", "agenda_id": "ag-1", "start": "2026-12-01T08:30:00Z",
                         "end": "2026-12-01T08:45:00Z", "places_left": 0}])
    assert delete_slots(town, ["s2", "unknown"]) == 1
    assert free_slots(town, ["ag-1", "ag-2"], *window) == []
    with pytest.raises(sqlite3.IntegrityError):  # a slot of an agenda the catalog does not have
        upsert_slots(town, [{"id": "s9", "agenda_id": "ag-404", "start": "2026-12-01T08:30:00Z",
                             "end": "2026-12-01T08:45:00Z", "places_left": 1}])


def test_replace_slots_replaces_one_window_of_one_agenda(town):
    upsert_slots(town, [{"id": f"s{d}", "agenda_id": "ag-1", "start": f"2026-12-0{d}T08:00:00Z",
                         "end": f"2026-12-0{d}T08:15:00Z", "places_left": 1} for d in (1, 2, 3)])
    upsert_slots(town, [{"id": "other", "agenda_id": "ag-2", "start": "2026-12-02T08:00:00Z",
                         "end": "2026-12-02T08:15:00Z", "places_left": 1}])
    replace_slots(town, "ag-1", [{"id": "new", "agenda_id": "ag-1", "start": "2026-12-02T09:00:00Z",
                                  "end": "2026-12-02T09:15:00Z", "places_left": 3}],
                  start_from="2026-12-02T00:00:00Z", start_to="2026-12-03T00:00:00Z")
    assert sorted(r[0] for r in town.execute("SELECT id FROM slots")) == ["new", "other", "s1", "s3"]
    with pytest.raises(ValueError, match="ag-2"):
        replace_slots(town, "ag-1", [{"id": "x", "agenda_id": "ag-2", "start": "2026-12-02T09:00:00Z",
                                      "end": "2026-12-02T09:15:00Z", "places_left": 3}],
                      start_from="2026-12-02T00:00:00Z", start_to="2026-12-03T00:00:00Z")


def test_deleting_an_agenda_deletes_its_slots_but_replacing_keeps_them(town):
    upsert_slots(town, [{"id": "s1", "agenda_id": "ag-1", "start": "2026-12-01T08:00:00Z",
                         "end": "2026-12-01T08:15:00Z", "places_left": 1}])
    replace_catalog(town, "agendas", [{"id": "ag-1", "name": "Guichet 1 (renommé)"}])
    assert town.execute("SELECT count(*) FROM slots").fetchone()[0] == 1
    apply_changes(town, "agendas", [], ["ag-1"])
    assert town.execute("SELECT count(*) FROM slots").fetchone()[0] == 0


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        utc_text("2026-12-01T08:00:00")
    assert utc_text("2026-12-01T09:00:00+01:00") == "2026-12-01T08:00:00Z"


def test_sync_state_records_success_and_failure(conn):
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    record_success(conn, "catalog", at, etag='"v1"', cursor="c1")
    record_failure(conn, "catalog", at.replace(hour=9), "HTTP 503 Service Unavailable")
    record_success(conn, "catalog", at.replace(hour=10))  # a 304: ETag and cursor unchanged
    assert sync_state(conn, "catalog") == {
        "resource": "catalog", "etag": '"v1"', "cursor": "c1", "last_success_at": "2026-12-01T10:00:00Z",
        "last_failure_at": "2026-12-01T09:00:00Z", "failure_reason": "HTTP 503 Service Unavailable"}
    assert sync_state(conn, "keys") is None


def test_several_writes_in_one_transaction_are_atomic(town):
    with pytest.raises(sqlite3.IntegrityError), write_transaction(town):
        replace_catalog(town, "places", [])
        record_success(town, "catalog", datetime(2026, 12, 1, 8, 0, tzinfo=UTC), etag='"v2"')   # rolled back
        upsert_slots(town, [{"id": "x", "agenda_id": "ag-404", "start": "2026-12-01T08:00:00Z",
                             "end": "2026-12-01T08:15:00Z", "places_left": 1}])
    assert town.execute("SELECT count(*) FROM places").fetchone()[0] == len(PLACES)
    assert sync_state(town, "catalog") is None


# -- search ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("medi", ["pl-1"]), ("MÉDIATHÈQUE", ["pl-1"]), ("mediatheque", ["pl-1"]),
    ("m", ["pl-1", "pl-2", "pl-3"]),  # Marcel-Cerdan
    ("ecole", ["pl-4"]), ("jules fer", ["pl-4"]), ("Jean-Jau", ["pl-1"]), ("rue jean", ["pl-1"]),
    ("etienne", ["pl-3"]), ("église", ["pl-4"]), ("69100", ["pl-1"]), ("sport", ["pl-3"]),
    ("xyz", []), ("", []), ("   ", []),
])
def test_search_is_accent_and_case_insensitive_with_prefixes(town, typed, expected):
    assert sorted(ids(search_places(town, typed))) == expected


@pytest.mark.parametrize("typed", ['"', '""', "'", "*", "-", "medi*", "-medi", "medi OR", "OR", "AND", "NOT",
                                   "NEAR(", "(", ")", "(medi", "medi)", "name:medi", ":", "^medi", "medi +",
                                   "\\", "%", "_", "'; DROP TABLE places; --", "a\x00b", "🙂", "médi\"athèque",
                                   "{name}: x", "NEAR(a b, 2)", "*medi*", "rue   de  la"])
def test_typed_syntax_never_raises(town, typed):
    results = search_places(town, typed)
    assert isinstance(results, list)
    assert town.execute("SELECT count(*) FROM places").fetchone()[0] == len(PLACES)


def test_operators_typed_by_a_citizen_are_words():
    assert match_expression('medi" OR (x*') == '"medi"* "OR"* "x"*'
    assert match_expression("---") is None
    assert match_expression("maison de l'em") == '"maison"* "em"*'   # little words narrow nothing
    assert match_expression("de la") == '"de"* "la"*'                # unless they are all there is
    assert match_expression("me\u0301di") == '"médi"*'                 # combining accent from a keyboard
    assert match_expression("x " * 5000).count('"x"*') == 8


def test_decomposed_accents_still_find(town):
    assert ids(search_places(town, "Me\u0301diathe\u0300que")) == ["pl-1"]


def test_name_matches_rank_first(town):
    apply_changes(town, "places", [{"id": "pl-5", "name": "Gymnase Cusset", "category": "Sport",
                                    "address": "2 rue de la Piscine"}])
    assert ids(search_places(town, "piscine")) == ["pl-3", "pl-5"]
    assert len(search_places(town, "e", limit=2)) == 2


def test_broad_queries_stay_useful_over_a_big_town(conn):
    places = sample_data.places(3000, seed=7)
    replace_catalog(conn, "places", places)
    everyone = search_places(conn, "69100", limit=10)   # every address has the postcode
    assert len(everyone) == 10
    assert [p["name"] for p in everyone] == sorted(p["name"] for p in everyone)
    for typed in ("m", "v", "vi", "s"):
        found = search_places(conn, typed, limit=20)
        assert len(found) == 20
    medi = search_places(conn, "medi", limit=50)
    assert medi and all("Médiathèque" in p["name"] or "médi" in p["name"] for p in medi)
    victor = search_places(conn, "victor hu", limit=500)
    expected = {p["id"] for p in places if "Victor Hugo" in p["name"] or "Victor-Hugo" in p["address"]
                or "Victor Hugo" in p["address"]}
    assert {p["id"] for p in victor} == expected


def test_full_load_of_sample_town(conn):
    """Not a timing test (see `kiosk bench`): the big load goes through and stays consistent."""
    with write_transaction(conn):
        replace_catalog(conn, "places", sample_data.places(2000))
        replace_catalog(conn, "agendas", sample_data.agendas(5))
        upsert_slots(conn, sample_data.slots(10_000, agenda_count=5))
    assert conn.execute("SELECT count(*) FROM slots").fetchone()[0] == 10_000
    conn.execute("INSERT INTO places_fts(places_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
