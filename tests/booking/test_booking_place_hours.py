"""The kiosk never offers a slot the opening hours of the service's place exclude: a 17 h 30
slot at a Mairie that closes at 17 h, or any slot on the day it is closed exceptionally, would
send a person to a closed door. Hours it cannot read hide nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kiosk.booking.availability import SLOTS_PER_READ, Availability
from kiosk.clock import PARIS, ManualClock
from offline_cache.catalog import replace_catalog, upsert_slots
from offline_cache.db import open_cache

MONDAY = date(2026, 12, 7)                           # a week with no public holiday
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=PARIS)     # the Friday before
MAIRIE_HOURS = "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off"


def _slot(agenda: str, day: date, hhmm: str, minutes: int = 30) -> dict[str, object]:
    start = datetime.combine(day, time.fromisoformat(hhmm), PARIS)
    return {"id": f"{agenda}-{start:%Y%m%d%H%M}", "agenda_id": agenda, "start": start,
            "end": start + timedelta(minutes=minutes), "places_left": 1}


def _availability(tmp_path, hours: str | None, closures=()) -> Availability:
    path = tmp_path / "cache.sqlite3"
    conn = open_cache(path)
    replace_catalog(conn, "places", [{"id": "pl-mairie", "name": "Mairie", "opening_hours": hours,
                                      "closures": list(closures)}])
    replace_catalog(conn, "services", [{"id": "svc-passeport", "name": "Passeport", "domain": "État civil",
                                        "agenda_ids": ["ag-2"], "place_id": "pl-mairie"}])
    replace_catalog(conn, "agendas", [{"id": "ag-2", "name": "Guichet 2", "place_id": "pl-mairie"}])
    upsert_slots(conn, [_slot("ag-2", MONDAY, hhmm) for hhmm in ("16:00", "16:30", "17:00", "17:30")]
                 + [_slot("ag-2", MONDAY + timedelta(days=1), "17:30"),        # Tuesday: only a late one
                    _slot("ag-2", MONDAY + timedelta(days=2), "10:00")])       # Wednesday
    conn.close()
    return Availability(path, ManualClock(NOW))


def _times(availability: Availability, day: date) -> list[str]:
    return [f"{s.start:%H:%M}" for s in availability.day_slots("svc-passeport", day)]


def test_slots_after_closing_time_are_not_offered(tmp_path):
    availability = _availability(tmp_path, MAIRIE_HOURS)
    assert _times(availability, MONDAY) == ["16:00", "16:30"]      # 16 h 30 – 17 h fits; 17 h does not
    # a day whose only free slot is after closing time is not a free day, nor the next one
    assert availability.free_days("svc-passeport", MONDAY, MONDAY + timedelta(days=6)) == [
        MONDAY, MONDAY + timedelta(days=2)]
    assert availability.next_free_day("svc-passeport", MONDAY) == MONDAY + timedelta(days=2)
    assert availability.services()[0]["next_free"] == datetime.combine(MONDAY, time(16), PARIS)


def test_a_day_the_place_is_closed_exceptionally_has_no_slot(tmp_path):
    closure = {"start": MONDAY.isoformat(), "end": MONDAY.isoformat(), "reason": "Formation des agents"}
    availability = _availability(tmp_path, MAIRIE_HOURS, [closure])
    assert _times(availability, MONDAY) == []
    assert availability.free_days("svc-passeport", MONDAY, MONDAY + timedelta(days=6)) == [
        MONDAY + timedelta(days=2)]
    assert availability.services()[0]["next_free"] == datetime.combine(MONDAY + timedelta(days=2), time(10), PARIS)


@pytest.mark.parametrize("hours", [None, "le matin sauf jours de vendanges", "Mo-Fr unknown"])
def test_hours_the_kiosk_cannot_read_hide_nothing(tmp_path, hours):
    availability = _availability(tmp_path, hours)
    assert _times(availability, MONDAY) == ["16:00", "16:30", "17:00", "17:30"]
    assert len(availability.free_days("svc-passeport", MONDAY, MONDAY + timedelta(days=6))) == 3


def test_the_first_allowed_slot_is_found_past_many_refused_ones(tmp_path):
    availability = _availability(tmp_path, "Sa 09:00-12:00")
    conn = open_cache(tmp_path / "cache.sqlite3")
    late = [_slot("ag-2", MONDAY + timedelta(days=d), f"{18 + m // 4}:{(m % 4) * 15:02d}", 15)
            for d in range(5) for m in range(12)]
    assert len(late) > SLOTS_PER_READ
    upsert_slots(conn, [*late, _slot("ag-2", MONDAY + timedelta(days=5), "09:00")])
    conn.close()
    assert availability.next_free_day("svc-passeport", MONDAY - timedelta(days=1)) == MONDAY + timedelta(days=5)
