"""The client when things go wrong, over real loopback sockets: server down, 500, 503 with
Retry-After, read timeout, malformed JSON, schema-breaking JSON, truncated body, an
untrusted certificate, an answer lost after the server committed. Each time: one clear
typed error, and nothing lost (the keyed request is repeated with the same key only)."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from fault_servers import FaultProxy, SilentServer, closed_port_url, self_signed, tls_context
from timebase import test_now

from kiosk.api.client import ApiClient, parse_retry_after
from kiosk.api.errors import InvalidResponse, RetryLater, ServerError, Timeout, TlsFailure, Unavailable
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
PERSON = {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78"}
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


@pytest.fixture
def upstream(tmp_path):
    """(reference server URL, db path, clock, credentials path of an enrolled terminal)."""
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        creds = tmp_path / "credentials.json"
        ApiClient(base, credentials_path=creds).enroll(admin.create_enrolment_code(db_path, clock), TERMINAL)
        yield base, db_path, clock, creds


@pytest.fixture
def proxied(upstream):
    """(client through a FaultProxy, proxy, db path, recorded waits)."""
    base, db_path, clock, creds = upstream
    proxy = FaultProxy(base)
    waits: list[float] = []
    client = ApiClient(proxy.url, credentials_path=creds, now=clock, sleep=waits.append, read_timeout_s=5)
    yield client, proxy, db_path, waits
    client.close()
    proxy.stop()


def booking(client: ApiClient) -> dict:
    day = START.date()
    slot = next(s for s in client.slots("ag-etat-civil-1", day, day + timedelta(days=7)).data.slots
                if s.places_left and s.start > START)                        # still to come at START
    return {"slot_id": slot.id, "service_id": "svc-cni", "person": PERSON, "channel": "kiosk",
            "terminal_id": client.device_id, "created_at": START.isoformat()}


def server_bookings(db_path) -> int:
    conn = db.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM bookings").fetchone()[0]
    finally:
        conn.close()


def test_server_down_is_unavailable_after_bounded_retries(upstream):
    _base, _db, _clock, creds = upstream
    waits: list[float] = []
    client = ApiClient(closed_port_url(), credentials_path=creds, sleep=waits.append, max_attempts=3)
    with pytest.raises(Unavailable) as caught:
        client.keys()
    assert caught.value.retryable and "cannot reach" in str(caught.value)
    assert len(waits) == 2 and all(0 <= w <= 5 for w in waits)


def test_500_on_a_keyed_post_is_retried_with_the_same_key(proxied):
    client, proxy, db_path, waits = proxied
    body, key = booking(client), str(uuid.uuid4())
    proxy.queue(("status", 500, {}, {"error": "internal_error", "message": "boom", "details": {}}))
    booked = client.create_booking(body, key)
    posts = [h for m, _p, h in proxy.seen if m == "POST"]
    assert len(posts) == 2 and {h["Idempotency-Key"] for h in posts} == {key} and len(waits) == 1
    assert booked.state == "booked" and server_bookings(db_path) == 1


def test_500_everywhere_ends_as_a_retryable_server_error(proxied):
    client, proxy, db_path, _waits = proxied
    body = booking(client)
    proxy.queue(*[("status", 500, {}, {"error": "internal_error", "message": "boom", "details": {}})] * 3)
    with pytest.raises(ServerError) as caught:
        client.create_booking(body, str(uuid.uuid4()))
    assert caught.value.retryable and caught.value.status == 500 and server_bookings(db_path) == 0


def test_enrolment_and_heartbeat_are_never_repeated(proxied):
    client, proxy, _db, waits = proxied
    proxy.queue(("status", 500, {}, {"error": "internal_error", "message": "boom", "details": {}}))
    with pytest.raises(ServerError):
        client.enroll("ABCDEF-123", TERMINAL)
    assert len(proxy.seen) == 1 and waits == []


def test_503_retry_after_seconds_and_http_date_are_honoured(proxied):
    client, proxy, _db, waits = proxied
    proxy.queue(("status", 503, {"Retry-After": "2"},
                 {"error": "unavailable", "message": "maintenance", "details": {}}))
    assert client.keys().keys
    assert waits and waits[0] >= 2
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=7), usegmt=True)
    proxy.queue(("status", 503, {"Retry-After": when},
                 {"error": "unavailable", "message": "maintenance", "details": {}}))
    assert client.keys().keys
    assert 5 <= waits[1] <= 8


def test_a_long_retry_after_is_handed_to_the_caller(proxied):
    client, proxy, _db, waits = proxied
    proxy.queue(("status", 429, {"Retry-After": "3600"}, {"error": "too_many", "message": "slow down", "details": {}}))
    with pytest.raises(RetryLater) as caught:
        client.keys()
    assert caught.value.retry_after == 3600 and caught.value.retryable and waits == []


def test_parse_retry_after():
    now = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)
    assert parse_retry_after("120", None, now) == 120
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), None, now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), None, now) == 0
    assert parse_retry_after("soon", None, now) is None and parse_retry_after(None, None, now) is None


def test_read_timeout_is_bounded(upstream):
    _base, _db, _clock, creds = upstream
    silent = SilentServer()
    try:
        client = ApiClient(silent.url, credentials_path=creds, connect_timeout_s=0.5, read_timeout_s=0.3,
                           max_attempts=2, sleep=lambda s: None)
        t0 = time.monotonic()
        with pytest.raises(Timeout) as caught:
            client.keys()
        assert time.monotonic() - t0 < 3 and caught.value.retryable
    finally:
        silent.stop()


def test_malformed_json_is_an_invalid_response(proxied):
    client, proxy, _db, waits = proxied
    proxy.queue(("raw", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
                        b"Connection: close\r\n\r\n{\"keys\": [,]"))
    with pytest.raises(InvalidResponse, match="not valid JSON") as caught:
        client.keys()
    assert caught.value.retryable and waits == []


def test_a_truncated_body_is_an_invalid_response(proxied):
    client, proxy, _db, _waits = proxied
    proxy.queue(("raw", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
                        b"{\"keys\": [{\"kid\": \"k1\""))
    with pytest.raises(InvalidResponse, match="cut short"):
        client.keys()


def test_schema_breaking_json_is_logged_without_personal_data(proxied, caplog):
    client, proxy, db_path, _waits = proxied
    body = booking(client)
    secret = "Zéphyrine Quastenberg 06 12 34 56 78"
    proxy.queue(("rewrite", lambda answer: {**answer, "start": secret, "state": "teleported"}))
    with (caplog.at_level(logging.DEBUG, logger="kiosk.api"),
          pytest.raises(InvalidResponse, match="contract's shape") as caught):
        client.create_booking(body, str(uuid.uuid4()))
    assert "start" in caplog.text and "state" in caplog.text
    assert "Quastenberg" not in caplog.text and "06 12" not in caplog.text and "teleported" not in caplog.text
    assert "Quastenberg" not in str(caught.value)
    assert server_bookings(db_path) == 1   # the server has it; the outbox row stays and is replayed later


def test_answer_lost_after_commit_then_the_same_key_gets_the_same_booking(proxied):
    client, proxy, db_path, _waits = proxied
    body, key = booking(client), str(uuid.uuid4())
    proxy.queue(("forward_then_drop",))
    booked = client.create_booking(body, key)   # first answer lost; the retry is replayed by the server
    assert server_bookings(db_path) == 1 and len([m for m, _p, _h in proxy.seen if m == "POST"]) == 2
    assert client.create_booking(body, key).id == booked.id and server_bookings(db_path) == 1


def test_tls_with_the_right_ca_bundle_and_a_clean_failure_with_another(upstream, tmp_path):
    base, _db, clock, creds = upstream
    ca, cert, key = self_signed(tmp_path, "town")
    other, _, _ = self_signed(tmp_path, "elsewhere")
    proxy = FaultProxy(base, tls=tls_context(cert, key))
    try:
        good = ApiClient(proxy.url, credentials_path=creds, ca_bundle=ca, now=clock)
        assert good.keys().keys and good.catalog().data.services
        for bundle in (other, None):
            bad = ApiClient(proxy.url, credentials_path=creds, ca_bundle=bundle, sleep=lambda s: None)
            with pytest.raises(TlsFailure, match="ca_bundle") as caught:
                bad.keys()
            assert caught.value.retryable and isinstance(caught.value, Unavailable)
            assert creds.read_text() not in str(caught.value)
    finally:
        proxy.stop()
