"""References a terminal assigns itself, in the namespace the central API reserved for it
(openapi.yaml, « References »; issue 14, defect 1), against the reference server on loopback."""

from __future__ import annotations

import random
import sqlite3
import uuid

import pytest
from timebase import first_slot_at, test_now

from kiosk.api import references
from kiosk.api.checkin_token import decode_unverified
from kiosk.clock import PARIS
from kiosk.demo_api.testing import ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()
SLOT = first_slot_at("ag-etat-civil-2", "14:00")[0]
OTHER_SLOT = first_slot_at("ag-etat-civil-2", "14:30")[0]
WANTED = first_slot_at("ag-etat-civil-2", "15:00")[1]
RNG = random.Random(14)


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield base, db_path, clock


def booking(api, slot: str = SLOT, reference: str | None = None, key: str | None = None):
    body = {"slot_id": slot, "service_id": "svc-passeport", "channel": "kiosk", "terminal_id": api.device_id,
            "created_at": START.astimezone(PARIS).replace(microsecond=0).isoformat(),
            "person": {"last_name": "Lefèvre", "first_name": "Hélène"}}
    if reference is not None:
        body["reference"] = reference
    return api.call("POST", "/v1/bookings", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def namespace_of(api, env) -> str:
    _base, db_path, _clock = env
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT namespace FROM reference_namespaces WHERE device_id=?",
                            (api.device_id,)).fetchone()[0]


def heartbeat(api):
    return api.call("POST", "/v1/devices/{device_id}/heartbeat", device_id=api.device_id, json={
        "version": "1.4.0", "uptime_s": 1, "device_states": {}, "outbox_depth": 0, "last_sync": None,
        "usage": {}, "sent_at": START.isoformat()})


def test_enrolment_gives_a_namespace_of_its_own_and_the_heartbeat_repeats_it(env):
    base, db_path, clock = env
    first, second = enroll(base, db_path, clock), enroll(base, db_path, clock)
    one, two = namespace_of(first, env), namespace_of(second, env)
    assert references.is_namespace(one) and references.is_namespace(two) and one != two
    assert heartbeat(first).data["reference_namespace"] == one


def test_the_terminals_reference_is_kept_and_replayed_with_its_key(env):
    api = enroll(*env)
    mine = references.terminal_reference(namespace_of(api, env), RNG)
    key = str(uuid.uuid4())
    first = booking(api, reference=mine, key=key)
    assert first.status_code == 201 and first.data["reference"] == mine
    again = booking(api, reference=mine, key=key)       # the answer was lost: the same key again
    assert again.status_code == 201 and again.data == first.data
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert decode_unverified(first.data["checkin_token"])["ref"] == mine     # the ticket's QR code says it too


def test_a_reference_outside_the_terminals_namespace_is_refused_plainly(env):
    api, other = enroll(*env), enroll(*env)
    forged = references.terminal_reference(namespace_of(other, env), RNG)
    r = booking(api, reference=forged)
    assert r.status_code == 403 and r.data["error"] == "reference_outside_namespace"
    assert r.data["details"]["namespace"] == namespace_of(api, env)
    assert forged in r.data["message"] and "espace de ce terminal" in r.data["message"]
    assert booking(api).status_code == 201          # nothing was taken: the slot is still free


def test_a_wrong_check_character_is_refused(env):
    api = enroll(*env)
    good = references.terminal_reference(namespace_of(api, env), RNG)
    typo = good[:-1] + next(c for c in references.ALPHABET if c != good[-1])
    r = booking(api, reference=typo)
    assert r.status_code == 400 and r.data["error"] == "invalid_reference"


def test_a_reference_held_by_another_action_is_refused_and_the_key_may_come_back_with_another(env):
    api = enroll(*env)
    mine = references.terminal_reference(namespace_of(api, env), RNG)
    assert booking(api, reference=mine).status_code == 201
    key = str(uuid.uuid4())
    clash = booking(api, OTHER_SLOT, reference=mine, key=key)
    assert clash.status_code == 409 and clash.data["error"] == "reference_taken"
    fresh = references.terminal_reference(namespace_of(api, env), RNG)
    retried = booking(api, OTHER_SLOT, reference=fresh, key=key)      # not remembered under the key
    assert retried.status_code == 201 and retried.data["reference"] == fresh


def test_a_booking_request_keeps_its_reference_and_is_found_by_it(env):
    api = enroll(*env)
    mine = references.terminal_reference(namespace_of(api, env), RNG)
    body = {"service_id": "svc-passeport", "wanted_start": WANTED.isoformat(), "channel": "kiosk",
            "terminal_id": api.device_id, "created_at": START.isoformat(), "reference": mine,
            "person": {"last_name": "Nguyen", "first_name": "Thi Mai", "email": "thimai@exemple.fr"}}
    r = api.call("POST", "/v1/booking-requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 202 and r.data["reference"] == mine
    found = api.call("GET", "/v1/booking-requests/{request_id}", request_id=mine.lower())
    assert found.status_code == 200 and found.data["reference"] == mine


def test_without_a_reference_the_server_assigns_its_own_as_before(env):
    api = enroll(*env)
    r = booking(api)
    assert r.status_code == 201 and r.data["reference"].startswith("RDV-")


def test_a_device_enrolled_before_namespaces_gets_one_at_its_heartbeat(env):
    base, db_path, clock = env
    api = enroll(base, db_path, clock)
    with sqlite3.connect(db_path) as conn:                # as a database from before namespaces had it
        conn.execute("DELETE FROM reference_namespaces WHERE device_id=?", (api.device_id,))
    mine = references.terminal_reference("K7M", RNG)
    assert booking(api, reference=mine).data["error"] == "reference_outside_namespace"   # no namespace yet
    given = heartbeat(api).data["reference_namespace"]
    assert references.is_namespace(given) and namespace_of(api, env) == given
    assert heartbeat(api).data["reference_namespace"] == given                        # and keeps it
