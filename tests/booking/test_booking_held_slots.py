"""A place this terminal has already promised is not offered again (issue 14, defect 2).

Offline, a booking (or a booking request for a slot) waits in the outbox while the cache's
``places_left`` is still the server's count from the last synchronisation. Before, the same
8 h 30 was offered and accepted twice. Now every free-slot read — the calendar's days, a
day's times, « next free » — subtracts the outbox's pending holds, and a refused action gives
its place back. The actions go through the real runner (offline: no client) into the real
outbox, and the reads are the booking screens' own :class:`Availability`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from kiosk.booking import service as booking
from kiosk.booking.availability import Availability
from kiosk.clock import PARIS, ManualClock
from kiosk.services.actions import ActionRunner
from kiosk.services.outcomes import Status
from offline_cache.catalog import replace_catalog, upsert_slots
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=PARIS)
PERSON = {"first_name": "Marie", "last_name": "Dupré", "phone": "0611223344"}


def _at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), PARIS)


def _slot(agenda: str, day: date, hhmm: str, places: int = 1) -> dict[str, object]:
    start = _at(day, hhmm)
    return {"id": f"{agenda}-{start:%Y%m%d%H%M}", "agenda_id": agenda, "start": start,
            "end": start + timedelta(minutes=30), "places_left": places}


def _town(tmp_path: Path) -> Path:
    """One service at one counter: Monday 8 h 30 (one place) and 9 h (two places), Tuesday 8 h 30."""
    path = tmp_path / "cache.sqlite3"
    conn = open_cache(path)
    replace_catalog(conn, "places", [{"id": "pl-mairie", "name": "Mairie", "opening_hours": None}])
    replace_catalog(conn, "services", [{"id": "svc-cni", "name": "Carte d'identité", "domain": "État civil",
                                        "agenda_ids": ["ag-1"], "place_id": "pl-mairie"}])
    replace_catalog(conn, "agendas", [{"id": "ag-1", "name": "Guichet 1", "place_id": "pl-mairie"}])
    upsert_slots(conn, [_slot("ag-1", MONDAY, "08:30"), _slot("ag-1", MONDAY, "09:00", places=2),
                        _slot("ag-1", MONDAY + timedelta(days=1), "08:30")])
    conn.close()
    return path


def _offline_runner(path: Path) -> ActionRunner:
    return ActionRunner(path, client_source=lambda: None, clock=ManualClock(NOW))


def _times(reads: Availability, day: date) -> list[tuple[str, int]]:
    return [(f"{s.start:%H:%M}", s.places_left) for s in reads.day_slots("svc-cni", day)]


def test_a_queued_request_holds_its_slot_in_every_read(tmp_path: Path) -> None:
    path = _town(tmp_path)
    reads, runner = Availability(path, ManualClock(NOW)), _offline_runner(path)
    assert _times(reads, MONDAY) == [("08:30", 1), ("09:00", 2)]
    first = reads.day_slots("svc-cni", MONDAY)[0]
    outcome = runner.run(booking.booking_request("svc-cni", first.start, PERSON, NOW, wanted_slot_id=first.slot_id))
    assert outcome.status is Status.QUEUED
    # the day's times: 8 h 30 is gone, 9 h untouched
    assert _times(reads, MONDAY) == [("09:00", 2)]
    # « next free » on the services list
    assert [s["next_free"] for s in reads.services()] == [_at(MONDAY, "09:00")]
    # a booking of one of 9 h's two places leaves one; the second empties it
    nine = reads.day_slots("svc-cni", MONDAY)[0]
    assert runner.run(booking.booking("svc-cni", nine.slot_id, PERSON, NOW)).status is Status.QUEUED
    assert _times(reads, MONDAY) == [("09:00", 1)]
    assert runner.run(booking.booking("svc-cni", nine.slot_id, PERSON, NOW)).status is Status.QUEUED
    assert _times(reads, MONDAY) == []
    # the calendar's free days and the next free day skip the full Monday
    assert reads.free_days("svc-cni", MONDAY, MONDAY + timedelta(days=6)) == [MONDAY + timedelta(days=1)]
    assert reads.next_free_day("svc-cni", MONDAY - timedelta(days=1)) == MONDAY + timedelta(days=1)
    assert [s["next_free"] for s in reads.services()] == [_at(MONDAY + timedelta(days=1), "08:30")]
    runner.close()
    reads.close()


def test_a_refused_action_gives_its_place_back(tmp_path: Path) -> None:
    path = _town(tmp_path)
    reads, runner = Availability(path, ManualClock(NOW)), _offline_runner(path)
    first = reads.day_slots("svc-cni", MONDAY)[0]
    outcome = runner.run(booking.booking_request("svc-cni", first.start, PERSON, NOW, wanted_slot_id=first.slot_id))
    assert _times(reads, MONDAY) == [("09:00", 2)]
    conn = open_cache(path)
    Outbox(conn, ManualClock(NOW)).mark_failed(outcome.key or "", 409, "slot taken")
    conn.close()
    assert _times(reads, MONDAY) == [("08:30", 1), ("09:00", 2)]
    assert reads.free_days("svc-cni", MONDAY, MONDAY) == [MONDAY]
    runner.close()
    reads.close()


def test_actions_of_other_kinds_and_other_slots_hold_nothing(tmp_path: Path) -> None:
    path = _town(tmp_path)
    reads, runner = Availability(path, ManualClock(NOW)), _offline_runner(path)
    runner.run(booking.cancellation("RDV-ABCD-1234", "Dupré"))
    # a request naming a time but no slot cannot say which counter it holds: it hides nothing
    runner.run(booking.booking_request("svc-cni", _at(MONDAY, "08:30"), PERSON, NOW))
    tuesday = reads.day_slots("svc-cni", MONDAY + timedelta(days=1))[0]
    runner.run(booking.booking("svc-cni", tuesday.slot_id, PERSON, NOW))
    assert _times(reads, MONDAY) == [("08:30", 1), ("09:00", 2)]
    assert _times(reads, MONDAY + timedelta(days=1)) == []
    runner.close()
    reads.close()
