"""kill -9 while booking and syncing: every action the screen confirmed reaches the server
exactly once.

A child process plays the kiosk: its sync thread pushes to the real reference server while
its main thread enqueues bookings, printing each UUID once ``enqueue`` returned (the moment
the screen would say "c'est enregistré"). The parent kills it with SIGKILL at random
moments — during start-up, a commit, a POST, an acknowledgement — and starts it again on
the same cache, ≥ 50 times. Then a last restart drains the outbox and the server's own
database is asked: each printed UUID is there once, as an Idempotency-Key with a verdict,
and there are no more bookings than 201 verdicts.
"""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta

import pytest
from support import KILL_CHILD_TERMINAL, drain_and_collect, kill_rounds
from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server

# each round starts a fresh Python child and waits for its « ready »: on a loaded machine a start
# alone takes seconds, so the whole run gets more than the suite's 120 s per test
pytestmark = [pytest.mark.reference_server, pytest.mark.timeout(360)]

ROUNDS = 50
CHILD = KILL_CHILD_TERMINAL + r"""
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

outbox = Outbox(open_cache(cache))
print("ready", flush=True)
while True:
    key = outbox.enqueue("booking", {"slot_id": rng.choice(slots), "service_id": "svc-cni", "channel": "kiosk",
                                     "created_at": clock.now().isoformat()},
                         personal={"person": {"last_name": "Quastenberg", "first_name": "Zéphyrine",
                                              "phone": "06 12 34 56 78"}})
    print(key, flush=True)
    worker.notify_new_action()
    time.sleep(rng.uniform(0, 0.03))
"""


def test_kill_9_rounds_lose_and_duplicate_nothing(tmp_path):
    start = test_now().replace(microsecond=0)   # KIOSK_TEST_NOW (tests/timebase.py)
    clock = ManualClock(start)
    db_path = tmp_path / "api.sqlite3"
    with running_server(db_path, clock) as base:
        creds = tmp_path / "credentials.json"
        client = ApiClient(base, credentials_path=creds)
        client.enroll(admin.create_enrolment_code(db_path, clock),
                      {"hostname": "borne-kill", "kind": "totem", "app_version": "1.4.0"})
        day = start.date()
        slots = [s.id for agenda in ("ag-etat-civil-1", "ag-etat-civil-2")
                 for s in client.slots(agenda, day, day + timedelta(days=30)).data.slots
                 if s.places_left and s.start > start]
        assert len(slots) > 50
        slots_file = tmp_path / "slots.json"
        slots_file.write_text(json.dumps(slots))
        cache = tmp_path / "cache.sqlite3"
        t0 = time.monotonic()
        args = [base, str(creds), str(cache), str(slots_file), start.isoformat()]
        printed = [line for line in kill_rounds(CHILD, args, ROUNDS, random.Random(2026), (0.0, 0.5))
                   if line != "ready"]
        elapsed = time.monotonic() - t0
        verdicts, bookings, queued = drain_and_collect(base, creds, cache, db_path, client.device_id, start)

    assert len(printed) >= ROUNDS and len(set(printed)) == len(printed)
    assert set(printed) <= set(queued), "a confirmed action is missing from the outbox"
    assert set(queued) == set(verdicts), "every queued action reached the server (keys are unique: once)"
    assert all(status in (201, 409) for status, _ in verdicts.values())
    created = [body["id"] for status, body in verdicts.values() if status == 201]
    assert sorted(created) == sorted(bookings), "one booking per 201 verdict, no duplicate"
    print(f"{ROUNDS} kill -9 rounds, {len(printed)} confirmed actions, {len(created)} booked, "
          f"{len(verdicts) - len(created)} refused (slot taken), {elapsed:.1f} s")
