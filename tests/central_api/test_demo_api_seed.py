"""The fictional town: public holidays, weekly patterns, counts and the deliberate oddities."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from timebase import test_now

from kiosk.api import models
from kiosk.demo_api import db, seed, seed_data
from kiosk.demo_api.holidays import easter_sunday, french_holidays, is_holiday

pytestmark = pytest.mark.reference_server

PARIS = ZoneInfo("Europe/Paris")
START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)


@pytest.mark.parametrize("year,easter", [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
                                         (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
                                         (2038, date(2038, 4, 25))])
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_moveable_holidays_2026():
    h = french_holidays(2026)
    assert h[date(2026, 4, 6)] == "Lundi de Pâques"
    assert h[date(2026, 5, 14)] == "Ascension"
    assert h[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert len(h) == 11 and is_holiday(date(2026, 7, 14)) and not is_holiday(date(2026, 7, 15))


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    c = db.connect(tmp_path_factory.mktemp("seed") / "api.sqlite3")
    db.create_schema(c)
    seed.seed(c, START)
    yield c
    c.close()


def _catalog(conn, kind):
    return [json.loads(r[0]) for r in conn.execute("SELECT body FROM catalog WHERE kind=? AND deleted=0", (kind,))]


def test_counts(conn):
    services = _catalog(conn, "service")
    assert len(services) >= 8
    assert {s["domain"] for s in services} == set(models.Domain.__args__)
    assert all(s["documents"] for s in services)
    assert len(_catalog(conn, "place")) >= 200
    assert conn.execute("SELECT count(*) FROM agendas").fetchone()[0] >= 3
    assert conn.execute("SELECT count(*) FROM tracking").fetchone()[0] >= 50
    assert len(_catalog(conn, "page")) >= 3 and len(_catalog(conn, "event")) >= 3


def test_demo_tracking_codes_exist_with_their_status(conn):
    from kiosk.demo_api.seed_data import DEMO_TRACKING_CODES

    for code, status in DEMO_TRACKING_CODES.items():
        row = conn.execute("SELECT body FROM tracking WHERE code=?", (code,)).fetchone()
        assert row is not None and json.loads(row[0])["status"] == status, code


def test_every_seeded_entity_matches_the_models(conn):
    for kind, model in (("service", models.Service), ("place", models.Place), ("page", models.Page),
                        ("event", models.Event)):
        for item in _catalog(conn, kind):
            model.model_validate(item)
    for (body,) in conn.execute("SELECT body FROM tracking"):
        models.TrackedRequest.model_validate_json(body)


def test_places_are_around_the_town_with_the_deliberate_oddities(conn):
    places = {p["id"]: p for p in _catalog(conn, "place")}
    assert places["pl-mairie"]["latitude"] == 47.4078 and places["pl-mairie"]["longitude"] == -0.7603
    assert places["pl-lavoir"]["latitude"] is None and places["pl-lavoir"]["longitude"] is None
    assert places["pl-cave-cooperative"]["opening_hours"] == "le matin sauf jours de vendanges"
    assert places["pl-ancien-presbytere"]["category"] == ""
    located = [p for p in places.values() if p["latitude"] is not None]
    assert all(47.38 < p["latitude"] < 47.43 and -0.79 < p["longitude"] < -0.73 for p in located)
    assert all(p["address"]["postcode"] == "49170" for p in places.values())
    assert any(p["closures"] for p in places.values())
    assert len({p["name"] for p in places.values()}) == len(places), "names are unique"


def test_content_oddities(conn):
    assert any(p["format"] not in ("text/markdown", "text/plain") for p in _catalog(conn, "page"))
    past = [e for e in _catalog(conn, "event") if datetime.fromisoformat(e["end"]) < START]
    assert len(past) == 1


def test_tracking_codes_cover_every_state(conn):
    items = [json.loads(b) for (b,) in conn.execute("SELECT body FROM tracking")]
    assert all(re.fullmatch(r"[A-Z]{4}-[0-9]{4}", i["tracking_code"]) for i in items)
    assert set(Counter(i["status"] for i in items)) == {"in_progress", "waiting_citizen", "completed", "rejected"}
    assert all(i["message"] for i in items if i["status"] == "waiting_citizen")


def _slot_starts(conn, agenda_id):
    return [datetime.fromisoformat(s).astimezone(PARIS)
            for (s,) in conn.execute("SELECT start FROM slots WHERE agenda_id=? ORDER BY start_ts", (agenda_id,))]


def test_slots_span_30_days_and_skip_holidays_and_sundays(conn):
    days = {s.date() for (s,) in [(x,) for a in seed_data.AGENDAS for x in _slot_starts(conn, a[0])]}
    today = START.astimezone(PARIS).date()
    window = [today + timedelta(days=n) for n in range(30)]
    # every day of the 30 from the seeding day has slots (État civil opens Monday to Saturday),
    # except Sundays and public holidays, whichever dates the test instant puts in the window
    # (the Mairie's exceptional closure may leave a day without any: only the CCAS and the Maison
    # France Services agendas are not at the Mairie)
    bridge = today + timedelta(days=seed.MAIRIE_CLOSED_AFTER)
    assert days - {bridge} == {d for d in window if d.weekday() != 6 and not is_holiday(d)} - {bridge}
    assert not any(is_holiday(d) for d in days)
    assert all(d.weekday() != 6 for d in days)


def test_weekly_patterns_differ(conn):
    ec1 = _slot_starts(conn, "ag-etat-civil-1")
    assert not [s for s in ec1 if 12 <= s.hour < 13 or (s.hour == 13 and s.minute < 30)], "lunch break"
    saturdays = [s for s in ec1 if s.weekday() == 5]
    assert saturdays and all(s.hour < 12 for s in saturdays), "Saturday mornings"
    assert {s.weekday() for s in _slot_starts(conn, "ag-etat-civil-2")} == {1, 3}
    assert {s.weekday() for s in _slot_starts(conn, "ag-urbanisme")} == {0, 2}
    emploi = conn.execute("SELECT DISTINCT capacity FROM slots WHERE agenda_id='ag-emploi'").fetchall()
    assert [r[0] for r in emploi] == [3]


def test_seed_is_deterministic(tmp_path):
    def dump(path):
        c = db.connect(path)
        db.create_schema(c)
        seed.seed(c, START)
        rows = (c.execute("SELECT kind, id, body FROM catalog ORDER BY kind, id").fetchall(),
                c.execute("SELECT id, start, capacity FROM slots ORDER BY id").fetchall(),
                c.execute("SELECT * FROM tracking ORDER BY code").fetchall())
        c.close()
        return [[tuple(r) for r in part] for part in rows]

    assert dump(tmp_path / "a.sqlite3") == dump(tmp_path / "b.sqlite3")


def test_a_database_from_another_schema_version_is_refused(tmp_path):
    c = db.connect(tmp_path / "x.sqlite3")
    db.create_schema(c)
    c.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(RuntimeError, match="schema 99"):
        db.create_schema(c)


def test_every_slot_is_inside_the_opening_hours_of_its_place(conn):
    """A 17 h 30 slot was offered on a day the Mairie's hours say it closes at 17 h: the seed must
    agree with itself (read with the kiosk's own opening-hours reading), closures included."""
    from kiosk.city.hours import week

    places = {p["id"]: p for p in _catalog(conn, "place")}
    today = START.astimezone(PARIS).date()
    outside = []
    for agenda in seed_data.AGENDAS:
        at = {s["place_id"] for s in _catalog(conn, "service") if agenda[0] in s["agenda_ids"]}
        assert len(at) == 1, agenda[0]
        place = places[at.pop()]
        days = {d.day: d for d in week(place["opening_hours"], place["closures"], today, days=31) or []}
        assert days, place["id"]
        for start, end in conn.execute("SELECT start, end FROM slots WHERE agenda_id=?", (agenda[0],)):
            start, end = (datetime.fromisoformat(t).astimezone(PARIS) for t in (start, end))
            spans = days[start.date()].intervals
            if not any(a <= start.time() and (b is None or end.time() <= b) for a, b in spans):
                outside.append(f"{agenda[0]} {start:%a %d %H:%M}–{end:%H:%M} ({place['id']}: {spans})")
    assert outside == []
    bridge = today + timedelta(days=seed.MAIRIE_CLOSED_AFTER)
    assert places["pl-mairie"]["closures"][0]["start"] == bridge.isoformat()
