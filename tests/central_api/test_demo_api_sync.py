"""Catalog and slots: full download, ETag/304, and ``?since=`` deltas with deletions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from timebase import next_working_day_at, test_now

from kiosk.clock import PARIS
from kiosk.demo_api import admin
from kiosk.demo_api.holidays import is_holiday
from kiosk.demo_api.seed import MAIRIE_CLOSED_AFTER
from kiosk.demo_api.testing import ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
TODAY = START.astimezone(PARIS).date()          # the day the demo town is seeded: its 30 days start there


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield enroll(base, db_path, clock), db_path


def test_full_catalog(env):
    api, _db = env
    r = api.call("GET", "/v1/catalog")
    assert r.status_code == 200 and r.data["full"] is True
    assert len(r.data["services"]) >= 8 and len(r.data["places"]) >= 200
    assert r.data["deleted"] == {"services": [], "places": [], "pages": [], "events": [], "forms": [], "streets": []}
    assert r.headers["ETag"] == f'"catalog-{r.data["cursor"]}"'
    cni = next(s for s in r.model.services if s.id == "svc-cni")
    assert cni.domain == "État civil" and len(cni.agenda_ids) == 2 and cni.documents


def test_catalog_304_until_something_changes(env):
    api, db_path = env
    first = api.call("GET", "/v1/catalog")
    etag = first.headers["ETag"]
    again = api.call("GET", "/v1/catalog", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    delta = api.call("GET", "/v1/catalog", params={"since": first.data["cursor"]}, headers={"If-None-Match": etag})
    assert delta.status_code == 304
    admin.put_catalog_item(db_path, "page", {**first.data["pages"][0], "title": "Horaires d'été"})
    changed = api.call("GET", "/v1/catalog", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_catalog_delta_has_changed_items_and_deleted_ids(env):
    api, db_path = env
    cursor = api.call("GET", "/v1/catalog").data["cursor"]
    empty = api.call("GET", "/v1/catalog", params={"since": cursor})
    assert empty.data["full"] is False and empty.data["cursor"] == cursor
    assert not any(empty.data[k] for k in ("services", "places", "pages", "events"))

    place = {"id": "pl-nouveau-city-stade", "name": "City-stade des Coteaux", "category": "Sport",
             "address": {"street": "chemin des Coteaux", "postcode": "49170", "city": "Saint-Clément-des-Vignes"},
             "latitude": 47.41, "longitude": -0.75, "phone": None, "opening_hours": "Mo-Su 09:00-21:00",
             "closures": [], "wheelchair": "yes"}
    admin.put_catalog_item(db_path, "place", place)
    assert admin.delete_catalog_item(db_path, "event", "ev-conseil")
    assert not admin.delete_catalog_item(db_path, "event", "ev-conseil")

    delta = api.call("GET", "/v1/catalog", params={"since": cursor})
    assert [p["id"] for p in delta.data["places"]] == ["pl-nouveau-city-stade"]
    assert delta.data["deleted"]["events"] == ["ev-conseil"]
    assert delta.data["services"] == [] and delta.data["pages"] == []
    assert int(delta.data["cursor"].split("-")[1]) > int(cursor.split("-")[1])
    later = api.call("GET", "/v1/catalog", params={"since": delta.data["cursor"]})
    assert later.data["places"] == [] and later.data["deleted"]["events"] == []
    full = api.call("GET", "/v1/catalog")
    assert "ev-conseil" not in {e["id"] for e in full.data["events"]}
    assert full.data["deleted"]["events"] == [], "a full answer needs no tombstones"


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "", "12", "0000000g-1", "00000000-" + "1" * 19])
def test_malformed_cursor_is_400(env, since):
    api, _db = env
    r = api.call("GET", "/v1/catalog", params={"since": since})
    assert r.status_code == 400 and "since" in r.data["message"]
    r = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-ccas", params={"since": since})
    assert r.status_code == 400 and "since" in r.data["message"]


def test_cursor_from_another_database_or_the_future_gets_a_full_answer(env):
    api, _db = env
    full = api.call("GET", "/v1/catalog")
    instance, version = full.data["cursor"].split("-")
    foreign = ("00000000" if instance != "00000000" else "11111111") + f"-{version}"
    for since in (foreign, f"{instance}-99999999"):
        r = api.call("GET", "/v1/catalog", params={"since": since})
        assert r.data["full"] is True and r.data == full.data
        r = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-ccas", params={"since": since})
        assert r.data["full"] is True and r.data["slots"]


def test_a_reseeded_database_is_another_instance(tmp_path):
    from kiosk.demo_api import db
    from kiosk.demo_api.server import open_database
    cursors = []
    for name in ("a.sqlite3", "b.sqlite3"):
        open_database(tmp_path / name, lambda: START)
        conn = db.connect(tmp_path / name)
        cursors.append(db.instance(conn))
        conn.close()
    assert cursors[0] != cursors[1]


def test_slots_window_default_and_holidays(env):
    api, _db = env
    r = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-etat-civil-1")
    assert r.status_code == 200 and r.data["full"] is True
    days = {s.start.astimezone(PARIS).date() for s in r.model.slots}
    window = [TODAY + timedelta(days=n) for n in range(30)]
    # État civil opens Monday to Saturday: every day of the window but Sundays, public holidays and
    # the day the Mairie is closed exceptionally
    closed = TODAY + timedelta(days=MAIRIE_CLOSED_AFTER)
    assert days == {d for d in window if d.weekday() != 6 and not is_holiday(d) and d != closed}
    assert not any(is_holiday(d) for d in days)
    assert all(s.places_left == 1 for s in r.model.slots)
    weekday = next_working_day_at(9).date()     # the next Monday-to-Friday that is not a holiday
    one_day = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-etat-civil-1",
                       params={"from": weekday.isoformat(), "to": weekday.isoformat()})
    assert {s.start.astimezone(PARIS).date() for s in one_day.model.slots} == {weekday}
    assert len(one_day.model.slots) == 10 + 10  # 8:30-11:50 and 13:30-16:50, 20-minute slots


@pytest.mark.parametrize("params,word", [({"from": "demain"}, "from"), ({"to": "2026-13-01"}, "to"),
                                         ({"from": "2026-05-10", "to": "2026-05-01"}, "before"),
                                         ({"from": "2026-05-01", "to": "2026-12-01"}, "limited")])
def test_bad_slot_windows_are_400(env, params, word):
    api, _db = env
    r = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-urbanisme", params=params)
    assert r.status_code == 400 and word in r.data["message"]


def test_unknown_agenda_is_404(env):
    api, _db = env
    r = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-inconnu")
    assert r.status_code == 404 and r.data["error"] == "not_found"


def test_slots_304_and_delta_after_booking_and_withdrawal(env):
    api, db_path = env
    # from the day after the test instant: every slot of the window is still to come
    window = {"from": (TODAY + timedelta(days=1)).isoformat(), "to": (TODAY + timedelta(days=17)).isoformat()}
    first = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-urbanisme", params=window)
    etag, cursor = first.headers["ETag"], first.data["cursor"]
    assert api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-urbanisme", params=window,
                    headers={"If-None-Match": etag}).status_code == 304
    booked, withdrawn = first.data["slots"][3]["id"], first.data["slots"][5]["id"]
    r = api.call("POST", "/v1/bookings", headers={"Idempotency-Key": "0b7d3c8e-5f3a-4c1e-9a43-2a5d6f7e8c90"}, json={
        "slot_id": booked, "service_id": "svc-urbanisme", "channel": "kiosk", "terminal_id": api.device_id,
        "person": {"last_name": "Rabouin", "first_name": "Marc", "phone": "06 11 22 33 44"},
        "created_at": (START + timedelta(minutes=1)).astimezone(PARIS).isoformat()})
    assert r.status_code == 201
    assert admin.delete_slot(db_path, withdrawn)

    not_modified = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-urbanisme", params=window,
                            headers={"If-None-Match": etag})
    assert not_modified.status_code == 200
    delta = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-urbanisme",
                     params={**window, "since": cursor})
    assert delta.data["full"] is False
    assert [(s["id"], s["places_left"]) for s in delta.data["slots"]] == [(booked, 0)]
    assert delta.data["deleted"] == [withdrawn]
    other = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-ccas", params={**window, "since": cursor})
    assert other.data["slots"] == [] and other.data["deleted"] == []


def test_restart_days_later_publishes_the_new_days_in_the_delta(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        api = enroll(base, db_path, clock)
        first = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-ccas",
                         params={"from": TODAY.isoformat(), "to": (TODAY + timedelta(days=57)).isoformat()})
    last_day = TODAY + timedelta(days=29)
    assert max(s.start.astimezone(PARIS).date() for s in first.model.slots) <= last_day
    clock.advance(days=10)
    with running_server(db_path, clock) as base:
        api.base_url = base
        delta = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-ccas",
                         params={"from": TODAY.isoformat(), "to": (TODAY + timedelta(days=57)).isoformat(),
                                 "since": first.data["cursor"]})
    new_days = {s.start.astimezone(PARIS).date() for s in delta.model.slots}
    assert new_days and min(new_days) > last_day and max(new_days) <= last_day + timedelta(days=10)
    assert not any(is_holiday(d) for d in new_days)


def test_server_exposes_its_bound_port(tmp_path):
    from kiosk.demo_api.server import serve
    server, thread = serve("127.0.0.1", 0, tmp_path / "api.sqlite3", clock=lambda: START)
    try:
        assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
