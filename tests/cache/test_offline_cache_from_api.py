"""Sync API v1 answers (as JSON dicts, the contract's shapes) applied to the cache."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

import pytest

from offline_cache.catalog import sync_state
from offline_cache.db import open_cache
from offline_cache.from_api import address_line, apply_catalog, apply_key_set, apply_slot_list
from offline_cache.places import free_slots, get_place, search_places, services

AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SERVICE = {"id": "sv-cni", "name": "Carte nationale d'identité", "domain": "État civil",
           "description": "Demande ou renouvellement.", "documents": [{"label": "Photo d'identité", "note": None}],
           "duration_minutes": 20, "agenda_ids": ["ag-1", "ag-2"], "place_id": "pl-1"}
PLACE = {"id": "pl-1", "name": "Hôtel de ville", "category": "Mairie",
         "address": {"street": "Place Lazare-Goujon", "postcode": "69100", "city": "Villeurbanne"},
         "latitude": 45.7665, "longitude": 4.8795, "phone": "04 78 03 67 67",
         "opening_hours": "Mo-Fr 08:30-17:00; Sa 09:00-12:00",
         "closures": [{"start": date(2026, 12, 24), "end": date(2026, 12, 26), "reason": "Noël"}],
         "wheelchair": "unknown"}
PAGE = {"id": "pg-1", "title": "Horaires d'hiver", "format": "markdown", "body": "…",
        "updated_at": "2026-11-20T10:00:00+01:00"}
EVENT = {"id": "ev-1", "title": "Marché de Noël", "description": "", "start": "2026-12-12T10:00:00+01:00",
         "end": "2026-12-12T19:00:00+01:00", "place_id": "pl-1", "category": "Fête"}
EMPTY_DELETED = {"services": [], "places": [], "pages": [], "events": []}


def full_catalog(**changes):
    return {"cursor": "100", "full": True, "services": [SERVICE], "places": [PLACE], "pages": [PAGE],
            "events": [EVENT], "deleted": EMPTY_DELETED, **changes}


@pytest.fixture
def conn(tmp_path):
    c = open_cache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def test_address_line():
    assert address_line(PLACE["address"]) == "Place Lazare-Goujon, 69100 Villeurbanne"
    assert address_line({"street": "", "postcode": "69100", "city": "Villeurbanne"}) == "69100 Villeurbanne"
    assert address_line(None) == "" and address_line("12 rue X") == "12 rue X"


def test_full_catalog(conn):
    counts = apply_catalog(conn, full_catalog(), AT, etag='"c100"')
    assert counts == {"services": 1, "places": 1, "pages": 1, "events": 1, "agendas": 2}
    place = get_place(conn, "pl-1")
    assert (place["address"], place["lat"], place["lon"], place["wheelchair"]) == (
        "Place Lazare-Goujon, 69100 Villeurbanne", 45.7665, 4.8795, "unknown")
    assert place["closures"] == [{"start": "2026-12-24", "end": "2026-12-26", "reason": "Noël"}]
    assert [p["id"] for p in search_places(conn, "lazare")] == ["pl-1"]
    assert services(conn)[0]["documents"] == [{"label": "Photo d'identité", "note": None}]
    assert conn.execute("SELECT format, updated FROM pages").fetchone()[:] == ("markdown", "2026-11-20T09:00:00Z")
    assert conn.execute('SELECT start, category FROM events').fetchone()[:] == ("2026-12-12T09:00:00Z", "Fête")
    state = sync_state(conn, "catalog")
    assert (state["etag"], state["cursor"], state["last_success_at"]) == ('"c100"', "100", "2026-12-01T08:00:00Z")


def test_delta_then_full_drops_what_is_gone(conn):
    apply_catalog(conn, full_catalog(), AT)
    delta = {"cursor": "101", "full": False, "services": [dict(SERVICE, agenda_ids=["ag-1", "ag-2", "ag-3"])],
             "places": [], "pages": [], "events": [], "deleted": dict(EMPTY_DELETED, events=["ev-1"])}
    counts = apply_catalog(conn, delta, AT)
    assert counts["agendas"] == 1 and counts["events"] == 0
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    apply_slot_list(conn, {"agenda_id": "ag-3", "cursor": "7", "full": True, "deleted": [], "slots": [
        {"id": "s1", "start": "2026-12-02T08:00:00Z", "end": "2026-12-02T08:20:00Z", "places_left": 1}]},
        AT, start_from="2026-12-01T00:00:00Z", start_to="2026-12-31T00:00:00Z")
    apply_catalog(conn, full_catalog(services=[dict(SERVICE, agenda_ids=["ag-1"])], places=[]), AT)
    assert [r[0] for r in conn.execute("SELECT id FROM agendas")] == ["ag-1"]
    assert conn.execute("SELECT count(*) FROM slots").fetchone()[0] == 0   # ag-3's slots went with it
    assert search_places(conn, "hotel") == []
    assert sync_state(conn, "catalog")["cursor"] == "100"


def test_slot_lists_full_and_delta(conn):
    apply_catalog(conn, full_catalog(), AT)
    window = {"start_from": "2026-12-01T00:00:00Z", "start_to": "2026-12-08T00:00:00Z"}
    apply_slot_list(conn, {"agenda_id": "ag-1", "cursor": "5", "full": True, "deleted": [], "slots": [
        {"id": "a", "start": "2026-12-01T09:00:00+01:00", "end": "2026-12-01T09:20:00+01:00", "places_left": 1},
        {"id": "b", "start": "2026-12-01T09:20:00+01:00", "end": "2026-12-01T09:40:00+01:00", "places_left": 1}]},
        AT, etag='"s5"', **window)
    apply_slot_list(conn, {"agenda_id": "ag-1", "cursor": "6", "full": False, "deleted": ["a"], "slots": [
        {"id": "b", "start": "2026-12-01T09:20:00+01:00", "end": "2026-12-01T09:40:00+01:00", "places_left": 0},
        {"id": "c", "start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T10:20:00+01:00", "places_left": 2}]},
        AT, **window)
    assert [s["id"] for s in free_slots(conn, SERVICE["agenda_ids"], **window)] == ["c"]
    state = sync_state(conn, "slots:ag-1")
    assert (state["etag"], state["cursor"]) == ('"s5"', "6")
    apply_slot_list(conn, {"agenda_id": "ag-new", "cursor": "1", "full": True, "deleted": [], "slots": []},
                    AT, **window)   # an agenda the catalog does not list yet
    assert conn.execute("SELECT count(*) FROM agendas WHERE id = 'ag-new'").fetchone()[0] == 1


def test_key_set(conn):
    raw = bytes(range(32))
    text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    key_set = {"keys": [{"kid": "k1", "alg": "EdDSA", "crv": "Ed25519", "public_key": text,
                         "not_before": "2026-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z"}],
               "revoked_keys": [{"kid": "k0", "revoked_at": "2026-06-01T00:00:00Z"}],
               "revoked_tokens": [{"jti": "t-9", "revoked_at": "2026-11-01T00:00:00Z"}]}
    assert apply_key_set(conn, key_set, AT, etag='"k"') == 1
    assert conn.execute("SELECT public_key, valid_to FROM keys WHERE key_id = 'k1'").fetchone()[:] == (
        raw, "2027-01-01T00:00:00Z")
    assert sorted(tuple(r) for r in conn.execute("SELECT subject, kind FROM revocations")) == [
        ("k0", "key"), ("t-9", "token")]
    assert sync_state(conn, "keys")["etag"] == '"k"'


def test_agenda_letters_of_the_catalog_are_kept_for_offline_numbers(conn):
    """The catalog's letters land in ``queue_letters`` (what offline check-ins number with); one
    overrides a letter learned otherwise; a catalog without them (older server) changes none."""
    conn.execute("INSERT INTO queue_letters VALUES ('ag-2', 'Z', '2026-11-30T08:00:00Z')")
    apply_catalog(conn, full_catalog(services=[{**SERVICE, "agenda_letters": {"ag-1": "A", "ag-2": "B"}}]), AT)
    assert dict(conn.execute("SELECT agenda_id, letter FROM queue_letters").fetchall()) == {"ag-1": "A", "ag-2": "B"}
    apply_catalog(conn, full_catalog(), AT)
    assert dict(conn.execute("SELECT agenda_id, letter FROM queue_letters").fetchall()) == {"ag-1": "A", "ag-2": "B"}


def test_a_bad_agenda_letter_rolls_the_whole_catalog_back(conn):
    apply_catalog(conn, full_catalog(), AT)
    bad = {**SERVICE, "name": "Nouveau nom", "agenda_letters": {"ag-1": "a1"}}
    with pytest.raises(ValueError, match="one capital letter"):
        apply_catalog(conn, full_catalog(services=[bad]), AT)
    assert services(conn)[0]["name"] == "Carte nationale d'identité"        # the previous catalog, whole
    assert conn.execute("SELECT count(*) FROM queue_letters").fetchone()[0] == 0
