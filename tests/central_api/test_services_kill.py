"""kill -9 while the booking service books online and the sync worker runs beside it: every
action the service reported exists exactly once on the server, and every booking it reported
as done is the one the server holds.

Like ``test_sync_kill``, with the service layer in the child: each booking is written to the
outbox, sent at once by the service (same key), and — when the child is killed between the
two, or the answer is lost — sent again by the sync worker after a restart.
"""

from __future__ import annotations

import json
import random
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

ROUNDS = 30
CHILD = KILL_CHILD_TERMINAL + r"""
from kiosk.services import ActionRunner
from kiosk.booking.service import booking

runner = ActionRunner(cache, client_source=lambda: client, clock=clock, wake_sync=worker.notify_new_action,
                      known_offline=lambda: worker.online is False, timeout_s=2)
print("ready", flush=True)
person = {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78"}
while True:
    outcome = runner.run(booking("svc-cni", rng.choice(slots), person, clock.now()))
    print(json.dumps([outcome.key, outcome.status, outcome.result.get("id")]), flush=True)
"""


def test_kill_9_while_the_service_books_online(tmp_path):
    start = test_now().replace(microsecond=0)   # KIOSK_TEST_NOW (tests/timebase.py)
    clock = ManualClock(start)
    db_path = tmp_path / "api.sqlite3"
    with running_server(db_path, clock) as base:
        creds = tmp_path / "credentials.json"
        client = ApiClient(base, credentials_path=creds)
        client.enroll(admin.create_enrolment_code(db_path, clock),
                      {"hostname": "borne-kill", "kind": "totem", "app_version": "1.4.0"})
        day = start.date()
        slots = [s.id for s in client.slots("ag-etat-civil-1", day, day + timedelta(days=30)).data.slots
                 if s.places_left and s.start > start]
        assert len(slots) > 50
        slots_file = tmp_path / "slots.json"
        slots_file.write_text(json.dumps(slots))
        cache = tmp_path / "cache.sqlite3"
        args = [base, str(creds), str(cache), str(slots_file), start.isoformat()]
        lines = kill_rounds(CHILD, args, ROUNDS, random.Random(2027), (0.02, 0.6))
        reported = [json.loads(line) for line in lines if line.startswith("[")]
        verdicts, bookings, queued = drain_and_collect(base, creds, cache, db_path, client.device_id, start)

    keys = [key for key, _status, _id in reported]
    assert len(reported) >= ROUNDS and len(set(keys)) == len(keys)
    assert set(keys) <= set(queued) and set(queued) == set(verdicts)
    assert all(status in (201, 409) for status, _ in verdicts.values())
    created = [body["id"] for status, body in verdicts.values() if status == 201]
    assert sorted(created) == sorted(bookings), "one booking per 201 verdict, no duplicate"
    for key, status, booking_id in reported:
        if status == "done":
            assert verdicts[key] == (201, verdicts[key][1]) and verdicts[key][1]["id"] == booking_id
        elif status == "conflict":
            assert verdicts[key][0] == 409
        else:
            assert status == "queued", status     # sent later by the worker, with the same key
    assert any(s == "done" for _k, s, _i in reported)
    counts = {s: sum(1 for _k, x, _i in reported if x == s) for s in ("done", "conflict", "queued")}
    print(f"{ROUNDS} kill -9 rounds, {len(reported)} reported {counts}, {len(queued)} in the outbox, "
          f"{len(created)} booked")
