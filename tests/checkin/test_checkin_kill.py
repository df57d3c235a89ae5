"""kill -9 during check-ins, online and offline rounds in turn, the sync worker running beside the
online ones: every number a ticket showed exists once on the server, for its booking, and a booking
scanned again after a restart shows the same number (never a second check-in or a second number)."""

from __future__ import annotations

import json
import random
import uuid

import pytest
from counter_town import SLOT_AT, START
from support import drain_and_collect, kill_rounds
from timebase import seeded_slots

from kiosk.api.client import ApiClient
from kiosk.clock import PARIS, StartedClock
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync.worker import SyncWorker

# each round starts a fresh Python child and waits for its « ready »: on a loaded machine a start
# alone takes seconds, so the whole run gets more than the suite's 120 s per test
pytestmark = [pytest.mark.reference_server, pytest.mark.timeout(360)]

ROUNDS = 12
DAY = SLOT_AT.astimezone(PARIS).date()
MORNING = SLOT_AT.replace(hour=8, minute=0)
CHILD = r"""
import json, random, sys
from datetime import datetime
from kiosk.api.client import ApiClient
from kiosk.checkin.counter import Case, CounterCheckin
from kiosk.clock import StartedClock
from kiosk.services import Services
from kiosk.sync import SyncWorker

base, creds, cache, tokens_file, now, seed = sys.argv[1:7]
clock = StartedClock(datetime.fromisoformat(now))
client = ApiClient(base, credentials_path=creds, max_attempts=1, connect_timeout_s=1, read_timeout_s=5, now=clock.now)
offline = int(seed) % 2 == 1
if not offline:
    worker = SyncWorker(cache, client, clock=clock, post=lambda *a, **k: None, catalog_interval_s=3600,
                        slots_interval_s=3600, keys_interval_s=3600, queue_numbers=True)
    worker.start()
services = Services(cache, client_source=lambda: None if offline else client, clock=clock,
                    post=lambda *a, **k: None, known_offline=lambda: offline, timeout_s=2)
counter = CounterCheckin(services, early_min=720, late_grace_min=720, town="Ville", follow_url=None)
tokens = json.load(open(tokens_file))
random.Random(int(seed)).shuffle(tokens)
print("ready", flush=True)
while True:                                              # scanned again and again until killed
    for booking_id, token in tokens:
        arrival = counter.examine(token)
        if arrival.case is Case.ALREADY:
            result = counter.decided(arrival)
        else:
            result = counter.conclude(arrival, services.actions.run(counter.action(arrival)))
        if result.view is not None:
            counter.ticket(result.view)                   # the document handed to the printer
        print(json.dumps(["printed", booking_id, result.view.number if result.view else None]), flush=True)
"""


def test_kill_9_during_check_ins_never_loses_or_doubles_a_printed_number(tmp_path):
    server_clock = ManualClock(START)
    db_path = tmp_path / "api.sqlite3"
    with running_server(db_path, server_clock) as base:
        creds = tmp_path / "credentials.json"
        client = ApiClient(base, credentials_path=creds, now=server_clock)
        client.enroll(admin.create_enrolment_code(db_path, server_clock),
                      {"hostname": "guichet-kill", "kind": "counter", "app_version": "1.4.0"})
        slots = [sid for sid, at in seeded_slots("ag-etat-civil-1") if at.astimezone(PARIS).date() == DAY][:20]
        bookings = [client.create_booking({"slot_id": slot, "service_id": "svc-cni", "channel": "kiosk",
                                           "terminal_id": client.device_id, "created_at": START.isoformat(),
                                           "person": {"last_name": "Martin", "first_name": "Léa"}},
                                          str(uuid.uuid4())) for slot in slots]
        server_clock.now = MORNING
        cache = tmp_path / "cache.sqlite3"
        first = SyncWorker(cache, client, clock=StartedClock(MORNING), post=lambda *a, **k: None, queue_numbers=True)
        assert first.run_once().error is None                 # keys, today's block, the letters
        tokens_file = tmp_path / "tokens.json"
        tokens_file.write_text(json.dumps([[b.id, b.checkin_token] for b in bookings]))
        args = [base, str(creds), str(cache), str(tokens_file), MORNING.isoformat()]
        lines = kill_rounds(CHILD, args, ROUNDS, random.Random(412), (0.01, 0.3))
        printed = [json.loads(line)[1:] for line in lines if line.startswith('["printed"')]
        drain_and_collect(base, creds, cache, db_path, client.device_id, MORNING)
        conn = db.connect(db_path)
        try:
            held = {r[0]: r[1] for r in conn.execute("SELECT id, queue_number FROM bookings WHERE state = 'arrived'")}
            entries = [tuple(r) for r in conn.execute("SELECT booking_id, queue_number FROM queue_entries")]
        finally:
            conn.close()
    assert len(printed) > len(bookings), "the rounds printed too little to prove anything"
    numbered = [(b, n) for b, n in printed if n is not None]
    assert numbered, "no ticket had a number"
    for booking_id, number in numbered:
        assert held.get(booking_id) == number, (booking_id, number, held.get(booking_id))   # the town holds it
    assert len({b for b, _n in entries}) == len(entries)                  # each booking checked in once
    assert len({n for _b, n in entries}) == len(entries)                  # each number once
    per_booking: dict[str, set[str]] = {}
    for booking_id, number in numbered:
        per_booking.setdefault(booking_id, set()).add(number)
    assert all(len(numbers) == 1 for numbers in per_booking.values()), per_booking   # never a second number
