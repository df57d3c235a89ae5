"""The API client against the real reference server on loopback: every endpoint the
kiosk uses, ETags and deltas, idempotent replay, typed refusals, credentials, clock skew."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from timebase import test_now

from kiosk.api import models
from kiosk.api.client import ApiClient, read_credentials, write_credentials
from kiosk.api.errors import Conflict, CredentialsError, DeviceRevoked, FinalRefusal, NotFound, Unauthorized
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
PERSON = {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78"}
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


@pytest.fixture
def env(tmp_path):
    """(client, db_path, server clock): an enrolled client whose clock agrees with the server's."""
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        client = ApiClient(base, credentials_path=tmp_path / "credentials.json", now=clock, sleep=lambda s: None)
        client.enroll(admin.create_enrolment_code(db_path, clock), TERMINAL)
        yield client, db_path, clock
        client.close()


def free_slot(client: ApiClient, agenda: str = "ag-etat-civil-1", nth: int = 0) -> models.Slot:
    day = START.date()
    slots = client.slots(agenda, day, day + timedelta(days=14)).data.slots
    return [s for s in slots if s.places_left > 0 and s.start > START][nth]   # still to come at START


def booking_body(client: ApiClient, slot_id: str) -> dict:
    return {"slot_id": slot_id, "service_id": "svc-cni", "person": PERSON, "channel": "kiosk",
            "terminal_id": client.device_id, "created_at": START.isoformat()}


def test_enroll_writes_credentials_only_the_owner_can_read(env, tmp_path):
    client, _db, _clock = env
    path = tmp_path / "credentials.json"
    assert os.stat(path).st_mode & 0o777 == 0o600
    creds = read_credentials(path)
    assert creds.device_id == client.device_id and len(creds.token) >= 20


def test_catalog_full_then_304_then_delta(env):
    client, db_path, _clock = env
    full = client.catalog()
    assert full.data.full and len(full.data.services) >= 8 and len(full.data.places) >= 200 and full.etag
    same = client.catalog(etag=full.etag, since=full.data.cursor)
    assert same.not_modified and same.etag == full.etag
    admin.delete_catalog_item(db_path, "event", full.data.events[0].id)
    delta = client.catalog(etag=full.etag, since=full.data.cursor)
    assert delta.data.full is False and delta.data.deleted.events == [full.data.events[0].id]
    assert delta.etag != full.etag


def test_slots_and_304(env):
    client, _db, _clock = env
    day = START.date()
    first = client.slots("ag-etat-civil-1", day, day + timedelta(days=30))
    assert first.data.agenda_id == "ag-etat-civil-1" and first.data.slots and first.etag
    again = client.slots("ag-etat-civil-1", day, day + timedelta(days=30), etag=first.etag,
                         since=first.data.cursor)
    assert again.not_modified
    with pytest.raises(NotFound) as caught:
        client.slots("ag-nope", day, day)
    assert caught.value.status == 404 and not caught.value.retryable


def test_keys(env):
    client, _db, _clock = env
    key_set = client.keys()
    assert key_set.keys and key_set.keys[0].crv == "Ed25519"


def test_booking_replayed_with_the_same_key_then_409_with_alternatives(env):
    client, db_path, _clock = env
    slot = free_slot(client)
    key = str(uuid.uuid4())
    booked = client.create_booking(booking_body(client, slot.id), key)
    assert booked.state == "booked" and booked.slot_id == slot.id and booked.checkin_token
    assert client.create_booking(booking_body(client, slot.id), key).id == booked.id   # replay
    with pytest.raises(Conflict) as caught:
        client.create_booking(booking_body(client, slot.id), str(uuid.uuid4()))   # capacity 1: gone
    conflict = caught.value
    assert conflict.code == "slot_unavailable" and not conflict.retryable and conflict.status == 409
    assert conflict.alternatives and all(a["places_left"] >= 1 for a in conflict.alternatives)
    conn = db.connect(db_path)
    assert conn.execute("SELECT count(*) FROM bookings").fetchone()[0] == 1
    conn.close()


def test_cancel_checkin_booking_request_tracking_heartbeat(env):
    client, db_path, clock = env
    slot = free_slot(client, nth=1)
    booked = client.create_booking(booking_body(client, slot.id), str(uuid.uuid4()))
    other = client.create_booking(booking_body(client, free_slot(client, nth=0).id), str(uuid.uuid4()))
    clock.now = slot.start - timedelta(minutes=10)   # the morning of the appointment
    ticket = client.checkin({"reference": booked.reference, "terminal_id": client.device_id,
                             "scanned_at": clock.now.isoformat()}, str(uuid.uuid4()))
    assert ticket.booking_id == booked.id and ticket.queue_number
    cancelled = client.cancel_booking(other.reference, {"reference": other.reference, "last_name": "QUASTENBERG",
                                                        "terminal_id": client.device_id}, str(uuid.uuid4()))
    assert cancelled.state == "cancelled"
    request = client.create_booking_request(
        {"service_id": "svc-cni", "wanted_start": (clock.now + timedelta(days=3)).isoformat(), "person": PERSON,
         "channel": "kiosk", "terminal_id": client.device_id, "created_at": clock.now.isoformat()},
        str(uuid.uuid4()))
    assert request.state == "pending"
    conn = db.connect(db_path)
    code = conn.execute("SELECT code FROM tracking LIMIT 1").fetchone()[0]
    conn.close()
    assert client.tracked_request(code.lower()).tracking_code == code
    with pytest.raises(NotFound):
        client.tracked_request("ZZZZ-0000")
    ack = client.heartbeat({"version": "1.4.0", "uptime_s": 10, "device_states": {"printer": "ok"},
                            "outbox_depth": 0, "last_sync": None, "usage": {"booking": 2},
                            "sent_at": clock.now.isoformat()})
    assert ack.config_overrides == {}


def test_bad_request_is_a_final_refusal_with_the_servers_message(env):
    client, _db, _clock = env
    body = booking_body(client, free_slot(client).id)
    body["person"] = {"last_name": "X", "first_name": "Y", "phone": "call me"}   # not a phone number
    with pytest.raises(FinalRefusal) as caught:
        client.create_booking(body, str(uuid.uuid4()))
    assert caught.value.status == 400 and caught.value.code == "validation_error" and not caught.value.retryable
    assert "person" in str(caught.value)


def test_revoked_device_is_told_apart(env, tmp_path):
    client, db_path, clock = env
    assert admin.revoke_device(db_path, client.device_id, clock)
    with pytest.raises(DeviceRevoked) as caught:
        client.catalog()
    assert caught.value.code == "device_revoked" and not caught.value.retryable
    write_credentials(tmp_path / "other.json", client.device_id, "x" * 43)
    stranger = ApiClient(client.base_url, credentials_path=tmp_path / "other.json")
    with pytest.raises(Unauthorized) as caught:
        stranger.keys()
    assert not isinstance(caught.value, DeviceRevoked) and caught.value.code == "unauthorized"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o666])
def test_credentials_readable_by_others_are_refused(tmp_path, mode):
    path = tmp_path / "credentials.json"
    write_credentials(path, "dev-1", "t" * 43)
    os.chmod(path, mode)
    client = ApiClient("http://127.0.0.1:9/", credentials_path=path)
    with pytest.raises(CredentialsError, match=r"chmod 600") as caught:
        client.keys()
    assert not caught.value.retryable


def test_missing_or_broken_credentials(tmp_path):
    with pytest.raises(CredentialsError, match="enrol"):
        read_credentials(tmp_path / "none.json")
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    os.chmod(path, 0o600)
    with pytest.raises(CredentialsError, match="enrol this terminal again"):
        read_credentials(path)


def test_clock_skew_from_the_servers_date(env):
    client, _db, clock = env
    client.keys()
    assert client.last_server_date is not None and abs(client.clock_skew_s) < 2
    client._now = lambda: clock.now - timedelta(minutes=5)   # the terminal's clock is 5 minutes late
    client.keys()
    assert 298 <= client.clock_skew_s <= 302


def test_tls_verification_cannot_be_turned_off():
    assert ApiClient("https://127.0.0.1:1/").session.verify is True
    assert ApiClient("https://127.0.0.1:1/", ca_bundle="/etc/kiosk/ca.pem").session.verify == "/etc/kiosk/ca.pem"
