"""Several counter terminals numbering offline, then syncing (issue 12): whatever the bookings, the
terminals and the order they come back in, no number is printed twice and every booking is checked
in once on the server, with the number its ticket shows. Real terminals' parts (cache, outbox,
action runner, sync worker with the number blocks) against the reference server on loopback."""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from counter_town import SLOT_AT, START
from hypothesis import given, settings
from hypothesis import strategies as st
from timebase import seeded_slots

from kiosk.api.client import ApiClient
from kiosk.checkin.counter import CounterCheckin
from kiosk.clock import PARIS, ManualClock
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server
from kiosk.services import Services, Status
from kiosk.sync.worker import SyncWorker

pytestmark = pytest.mark.reference_server

DAY = SLOT_AT.astimezone(PARIS).date()
# the day's slots of État civil, guichet 1 (letter A): one booking each
DAY_SLOTS = [sid for sid, at in seeded_slots("ag-etat-civil-1") if at.astimezone(PARIS).date() == DAY]
MORNING = SLOT_AT.replace(hour=8, minute=0)


class Terminal:
    def __init__(self, base: str, db_path: Path, folder: Path, server_clock: ServerClock) -> None:
        folder.mkdir()
        self.clock = ManualClock(MORNING)
        self.client = ApiClient(base, credentials_path=folder / "credentials.json", now=self.clock.now,
                                max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock),
                           {"hostname": folder.name, "kind": "counter", "app_version": "1.4.0"})
        self.cache = folder / "cache.sqlite3"
        self.worker = SyncWorker(self.cache, self.client, clock=self.clock, post=lambda *a, **k: None,
                                 queue_numbers=True)
        self.services = Services(self.cache, client_source=lambda: None, clock=self.clock,
                                 post=lambda *a, **k: None, known_offline=lambda: True)
        self.counter = CounterCheckin(self.services, early_min=30, late_grace_min=15, town="Ville", follow_url=None)

    def check_in_offline(self, token: str) -> str | None:
        arrival = self.counter.examine(token)
        if arrival.remembered is not None:             # scanned here before: the same number
            return arrival.remembered.number
        outcome = self.services.actions.run(self.counter.action(replace(arrival, case=None)))
        assert outcome.status is Status.QUEUED, outcome
        result = self.counter.conclude(arrival, outcome)
        assert result.view is not None
        return result.view.number

    def close(self) -> None:
        self.services.close()


def server_state(db_path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    conn = db.connect(db_path)
    try:
        bookings = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, state, queue_number FROM bookings")}
        entries = [(r[0], r[1]) for r in conn.execute("SELECT booking_id, queue_number FROM queue_entries")]
    finally:
        conn.close()
    return bookings, entries


scenario = st.tuples(
    st.integers(3, 4),                                                   # terminals
    st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=3, max_size=min(8, len(DAY_SLOTS))),
    st.randoms(use_true_random=False),                                   # the order they come back in
)


@settings(max_examples=3, derandomize=True, deadline=None)
@given(scenario)
def test_terminals_offline_together_never_print_a_number_twice(case):
    count, visits, rng = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "api.sqlite3"
        server_clock = ServerClock(START)
        with running_server(db_path, server_clock) as base:
            booker = ApiClient(base, credentials_path=folder / "web.json", now=server_clock)
            booker.enroll(admin.create_enrolment_code(db_path, server_clock),
                          {"hostname": "portail", "kind": "totem", "app_version": "1.4.0"})
            bookings = [booker.create_booking({"slot_id": slot, "service_id": "svc-cni", "channel": "kiosk",
                                               "terminal_id": booker.device_id, "created_at": START.isoformat(),
                                               "person": {"last_name": "Martin", "first_name": "Léa"}},
                                              str(uuid.uuid4())) for slot in DAY_SLOTS[:len(visits)]]
            server_clock.now = MORNING
            terminals = [Terminal(base, db_path, folder / f"t{i}", server_clock) for i in range(count)]
            try:
                for t in terminals:                       # online first: keys, blocks, letters
                    assert t.worker.run_once().error is None
                printed: dict[str, list[str]] = {}        # booking id → the numbers its visitor holds
                for (which, twice), booking in zip(visits, bookings, strict=False):
                    t = terminals[which % count]
                    t.clock.advance(seconds=30)
                    numbers = [t.check_in_offline(booking.checkin_token) for _ in range(2 if twice else 1)]
                    assert numbers[0] is not None and numbers.count(numbers[0]) == len(numbers)
                    printed[booking.id] = [numbers[0]]
                every = [n for ns in printed.values() for n in ns]
                assert len(every) == len(set(every)), every                     # never the same number twice
                server_clock.now = MORNING + timedelta(minutes=30)
                for t in rng.sample(terminals, len(terminals)):                  # back online, in any order
                    t.clock.set_now(server_clock.now)
                    for _ in range(3):
                        t.worker.run_once()
                    assert t.worker.status()["outbox_depth"] == 0
            finally:
                for t in terminals:
                    t.close()
            states, entries = server_state(db_path)
        for booking in bookings[:len(printed)]:
            assert states[booking.id] == ("arrived", printed[booking.id][0])     # the number on its ticket
        assert sorted(b for b, _n in entries) == sorted(printed)                 # each checked in once
        assert len({n for _b, n in entries}) == len(entries)
