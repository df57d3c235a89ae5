"""The services the screens call, against the real reference server on loopback: availability
from the cache, booking online, 409 with alternatives, server down or answer lost → queued
with the same key → exactly one booking once the sync worker sends it, refusals, offline
booking requests, cancellations, check-ins with offline token verification."""

from __future__ import annotations

import queue
import uuid
from datetime import datetime, timedelta

import pytest
from fault_servers import FaultProxy
from timebase import next_working_day_at, test_now

from kiosk import events, i18n
from kiosk.api.checkin_token import KEY_ANNOUNCE_LEAD
from kiosk.api.client import ApiClient
from kiosk.api.references import is_terminal_reference
from kiosk.checkin.service import TokenError
from kiosk.clock import PARIS
from kiosk.clock import ManualClock as KioskClock
from kiosk.demo_api import admin, db
from kiosk.demo_api.server import serve
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.services import DaySlot, Services, verify_token
from kiosk.sync import SyncWorker
from offline_cache.catalog import utc_text
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
PERSON = {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78"}
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


class Env:
    def __init__(self, tmp_path, base: str, db_path, server_clock: ManualClock) -> None:
        self.tmp, self.db_path, self.server_clock = tmp_path, db_path, server_clock
        self.clock = KioskClock(START)
        self.client = ApiClient(base, credentials_path=tmp_path / "credentials.json", now=self.clock.now,
                                max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock), TERMINAL)
        self.cache = tmp_path / "cache.sqlite3"
        self.worker = SyncWorker(self.cache, self.client, clock=self.clock, post=lambda *a, **k: None)
        self.worker.run_once()                       # the cache holds the town
        self.results: queue.Queue = queue.Queue()
        self.offline = False
        self.woken = 0
        self.source = self.client
        self.services = Services(self.cache, client_source=lambda: self.source, clock=self.clock,
                                 post=lambda t, **a: self.results.put((t, a)), wake_sync=self._wake,
                                 known_offline=lambda: self.offline, timeout_s=2.0)

    def _wake(self) -> None:
        self.woken += 1

    def outcome(self, request_id: int):
        event_type, attrs = self.results.get(timeout=30)
        assert event_type == events.ACTION_DONE and attrs["request_id"] == request_id
        return attrs["outcome"]

    def first_day_slot(self, service_id: str = "svc-cni") -> DaySlot:
        a = self.services.availability
        day = a.free_days(service_id, START.date(), START.date() + timedelta(days=20))[0]
        return a.day_slots(service_id, day)[0]

    def server(self, sql: str, *args):
        conn = db.connect(self.db_path)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def bookings(self) -> int:
        return self.server("SELECT count(*) FROM bookings WHERE device_id = ?", self.client.device_id)[0][0]

    def row(self, key: str) -> dict:
        conn = open_cache(self.cache)
        try:
            r = conn.execute("SELECT o.state, o.server_status, o.server_message, p.data AS personal FROM outbox o "
                             "LEFT JOIN outbox_personal p ON p.uuid = o.uuid WHERE o.uuid = ?", (key,)).fetchone()
            return dict(r) if r else {}
        finally:
            conn.close()

    def close(self) -> None:
        self.services.close()


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        e = Env(tmp_path, base, db_path, clock)
        yield e
        e.close()


# -- availability -----------------------------------------------------------------------------
def test_availability_reads_the_cache_with_counters_merged(env):
    a = env.services.availability
    services = a.services("État civil")
    assert {s["id"] for s in services} >= {"svc-cni", "svc-passeport"}
    cni = next(s for s in services if s["id"] == "svc-cni")
    assert cni["next_free"] is not None and cni["next_free"] > env.clock.now()
    days = a.free_days("svc-cni", START.date(), START.date() + timedelta(days=30))
    assert days and all(d.weekday() != 6 for d in days)          # no Sunday opening in the demo town
    tuesday = next(d for d in days if d.weekday() == 1)              # both counters open on Tuesdays
    slots = a.day_slots("svc-cni", tuesday)
    assert slots == sorted(slots, key=lambda s: s.start)
    assert len({s.start for s in slots}) == len(slots)            # one entry per time, whatever the counter
    merged = [s for s in slots if len(s.slot_ids) > 1]
    assert merged, "two counters open at the same time should be merged"
    counters = {r[0]: r[1] for r in a.conn.execute("SELECT id, agenda_id FROM slots")}
    assert {counters[i] for s in merged for i in s.slot_ids} == {"ag-etat-civil-1", "ag-etat-civil-2"}
    cached = {r[0]: r[1] for r in env.services.availability.conn.execute("SELECT id, places_left FROM slots")}
    assert all(s.places_left == sum(cached[i] for i in s.slot_ids) for s in merged)
    assert all(s.start.tzinfo is not None and s.start.astimezone(PARIS).date() == tuesday for s in slots)
    assert a.next_free_day("svc-cni", days[0]) == days[1]
    assert a.cache_age_s() == 0.0
    env.clock.advance(600)
    assert a.cache_age_s() == 600.0
    a.conn.execute("INSERT INTO sync_state (resource, last_success_at) "
                   "VALUES ('slots:ag-gone', '2020-01-01T00:00:00Z')")
    assert a.cache_age_s() == 600.0                               # an agenda no longer in the catalog
    assert a.day_slots("svc-nope", days[0]) == [] and a.free_days("svc-nope", days[0], days[0]) == []


# -- booking ----------------------------------------------------------------------------------
def test_online_booking_is_done_at_once_with_a_token_that_verifies_offline(env):
    slot = env.first_day_slot()
    outcome = env.outcome(env.services.book("svc-cni", slot, PERSON))
    assert outcome.status == "done" and not outcome.offline and outcome.message == ""
    assert outcome.result["reference"] == outcome.details["reference"]     # the one this terminal assigned
    assert is_terminal_reference(outcome.result["reference"]) and outcome.result["slot_id"] == slot.slot_id
    row = env.row(outcome.key)
    assert row["state"] == "acknowledged" and row["server_status"] == 201 and row["personal"] is None
    assert env.bookings() == 1 and env.woken == 0
    claims = verify_token(env.services.availability.conn, outcome.result["checkin_token"],
                          datetime.fromisoformat(outcome.result["start"]))
    assert claims["ref"] == outcome.result["reference"]


def test_online_booking_without_contact_and_the_queued_outcome_says_so(env):
    no_contact = {"last_name": "Martin", "first_name": "Léa"}
    done = env.outcome(env.services.book("svc-cni", env.first_day_slot(), no_contact))
    assert done.status == "done" and done.details["contact_given"] is False
    env.offline = True
    queued = env.outcome(env.services.book("svc-cni", env.first_day_slot(), no_contact))
    assert queued.status == "queued" and queued.details["contact_given"] is False
    assert queued.details["reference"] != done.details["reference"]          # one reference per booking
    assert env.outcome(env.services.book("svc-cni", env.first_day_slot(), PERSON)).details["contact_given"]


def test_slot_taken_meanwhile_returns_the_alternatives(env):
    slot = env.first_day_slot()
    env.server("UPDATE slots SET booked = capacity WHERE id = ?", slot.slot_id)   # another channel took it
    outcome = env.outcome(env.services.book("svc-cni", slot.slot_id, PERSON))
    assert outcome.status == "conflict" and outcome.code == "slot_unavailable"
    assert outcome.alternatives and all(a["id"] != slot.slot_id for a in outcome.alternatives)
    i18n.set_language("fr")
    assert "n’est plus disponible" in outcome.message or "plus disponible" in outcome.message
    i18n.set_language("en")
    assert outcome.message == "This time is no longer available. Please choose another one."
    row = env.row(outcome.key)
    assert row["state"] == "failed" and row["server_status"] == 409 and row["personal"] is None
    assert env.bookings() == 0


def test_server_down_gives_the_offline_result_and_the_worker_books_exactly_once(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        env = Env(tmp_path, base, db_path, clock)
        slot = env.first_day_slot()
    env.client.session.close()
    try:
        outcome = env.outcome(env.services.book("svc-cni", slot, PERSON))
        assert outcome.status == "queued" and outcome.offline and is_terminal_reference(outcome.details["reference"])
        assert env.woken == 1 and env.row(outcome.key)["state"] == "pending"
        assert env.row(outcome.key)["personal"] is not None        # kept until the server has it
        port = int(base.rsplit(":", 1)[1])
        server, thread = serve("127.0.0.1", port, db_path, clock=clock)
        try:
            report = env.worker.run_once()
            assert report.push.acknowledged == [outcome.key]
            assert env.worker.run_once(force=True).push.acknowledged == []
            rows = env.server("SELECT key, status FROM idempotency WHERE device_id = ?", env.client.device_id)
            assert [(r["key"], r["status"]) for r in rows] == [(outcome.key, 201)]
            assert env.bookings() == 1 and env.row(outcome.key)["personal"] is None
            held = env.server("SELECT reference FROM bookings WHERE device_id = ?", env.client.device_id)
            assert [r["reference"] for r in held] == [outcome.details["reference"]]   # the ticket's
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
    finally:
        env.close()


def test_answer_lost_after_the_server_booked_then_the_same_key_is_replayed(env):
    proxy = FaultProxy(env.client.base_url)
    try:
        env.source = env.client.clone(base_url=proxy.url)
        proxy.queue(("forward_then_drop",))
        outcome = env.outcome(env.services.book("svc-cni", env.first_day_slot(), PERSON))
        assert outcome.status == "queued" and env.bookings() == 1   # the server did book it
        assert env.worker.run_once().push.acknowledged == [outcome.key]
        assert env.bookings() == 1 and env.row(outcome.key)["state"] == "acknowledged"
        keys = [h["Idempotency-Key"] for m, _p, h in proxy.seen if m == "POST"]
        assert keys == [outcome.key]
    finally:
        proxy.stop()


def test_known_offline_queues_without_touching_the_network(env):
    env.offline = True
    env.source = None
    wanted = env.first_day_slot()
    outcome = env.outcome(env.services.request_booking("svc-cni", wanted.start, PERSON, wanted.slot_id))
    assert outcome.status == "queued" and outcome.details["service_id"] == "svc-cni"
    assert env.worker.run_once().push.acknowledged == [outcome.key]
    requests = env.server("SELECT reference, state FROM booking_requests WHERE device_id = ?", env.client.device_id)
    assert [r["state"] for r in requests] == ["pending"] and requests[0]["reference"].startswith("DEM-")
    assert env.client.booking_request(requests[0]["reference"]).state == "pending"   # GET /v1/booking-requests/{id}


def test_bad_input_is_refused_at_once_and_nothing_is_stored(env):
    slot = env.first_day_slot()
    with pytest.raises(ValueError, match="person"):     # an offline request needs a contact
        env.services.request_booking("svc-cni", slot.start, {"last_name": "Martin", "first_name": "Léa"})
    with pytest.raises(ValueError, match="person.last_name"):
        env.services.book("svc-cni", slot, {**PERSON, "last_name": ""})
    with pytest.raises(ValueError, match="person.phone"):
        env.services.book("svc-cni", slot, {**PERSON, "phone": "call me"})
    with pytest.raises(ValueError, match="wanted_start"):
        env.services.request_booking("svc-cni", env.clock.now() - timedelta(hours=1), PERSON)
    with pytest.raises(ValueError, match="exactly one"):
        env.services.check_in()
    with pytest.raises(ValueError) as err:
        env.services.book("svc-cni", slot, {**PERSON, "email": "not an address"})
    assert "Quastenberg" not in str(err.value) and "not an address" not in str(err.value)
    assert env.services.availability.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_storage_failure_says_nothing_was_done(env, tmp_path):
    broken = Services(tmp_path / "missing-folder" / "cache.sqlite3", client_source=lambda: env.client,
                      clock=env.clock, post=lambda t, **a: env.results.put((t, a)))
    try:
        outcome = env.outcome(broken.book("svc-cni", env.first_day_slot(), PERSON))
        assert outcome.status == "error" and outcome.key is None and outcome.code == "storage_failed"
        i18n.set_language("en")
        assert "Nothing was booked" in outcome.message
    finally:
        broken.close()
    assert env.bookings() == 0


# -- cancellation ---------------------------------------------------------------------------
def test_cancel_online_and_a_wrong_name_is_a_clear_refusal(env):
    booked = env.outcome(env.services.book("svc-cni", env.first_day_slot(), PERSON)).result
    wrong = env.outcome(env.services.cancel(booked["reference"], "Dupont"))
    assert wrong.status == "refused" and wrong.code == "not_found"
    i18n.set_language("en")
    assert wrong.message.startswith("No appointment matches")
    assert env.row(wrong.key)["state"] == "failed" and env.row(wrong.key)["personal"] is None
    done = env.outcome(env.services.cancel(booked["reference"].lower(), "QUASTENBERG"))
    assert done.status == "done" and done.result["state"] == "cancelled"


def test_cancel_with_the_tickets_qr_code(env):
    booked = env.outcome(env.services.book("svc-cni", env.first_day_slot(), PERSON)).result
    ticket = env.services.read_ticket(booked["checkin_token"])
    assert ticket["reference"] == booked["reference"] and ticket["start"] == booked["start"]
    body, sig = booked["checkin_token"].split(".")
    forged = body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    with pytest.raises(TokenError):
        env.services.read_ticket(forged)
    refused = env.outcome(env.services.cancel_by_token(forged))
    assert refused.status == "refused" and refused.code == "invalid_token" and refused.key is None
    assert env.outcome(env.services.cancel_by_token("garbage")).code == "invalid_token"
    env.offline = True
    queued = env.outcome(env.services.cancel_by_token(booked["checkin_token"]))
    assert queued.status == "queued" and queued.details["verified"]
    assert queued.details["reference"] == booked["reference"]
    assert env.row(queued.key)["personal"] is not None           # the token, until the server has answered
    assert env.worker.run_once().push.acknowledged == [queued.key]
    assert env.row(queued.key)["personal"] is None
    state = env.server("SELECT state FROM bookings WHERE reference = ?", booked["reference"])[0][0]
    assert state == "cancelled"
    env.worker.run_once(force=True)                              # the revocation reaches the cache
    with pytest.raises(TokenError, match="token_revoked"):
        env.services.read_ticket(booked["checkin_token"])


# -- check-in -------------------------------------------------------------------------------
def booked_today(env) -> dict:
    """A booking for later today (check-in is for the day of the appointment). When the test instant
    leaves no time today (a Sunday, a holiday, the evening), the terminal and the server first move to
    8 h on the next working day after it (derived from KIOSK_TEST_NOW); ``env.booked_at`` says when."""
    env.booked_at = START
    today = env.services.availability.day_slots("svc-cni", START.astimezone(PARIS).date())
    if not today:
        env.booked_at = next_working_day_at(8)
        env.clock.set_now(env.booked_at)
        env.server_clock.now = env.booked_at
        today = env.services.availability.day_slots("svc-cni", env.booked_at.date())
    return env.outcome(env.services.book("svc-cni", today[0], PERSON)).result


def test_checkin_online_gives_a_queue_number(env):
    booking = booked_today(env)
    outcome = env.outcome(env.services.check_in(token=booking["checkin_token"]))
    assert outcome.status == "done" and outcome.result["reference"] == booking["reference"]
    assert outcome.result["queue_number"]
    again = env.outcome(env.services.check_in(token=booking["checkin_token"]))
    assert again.status == "conflict" and again.code == "already_checked_in"


def test_offline_checkin_verifies_the_token_with_the_cached_keys(env):
    booking = booked_today(env)
    env.offline = True
    outcome = env.outcome(env.services.check_in(token=booking["checkin_token"]))
    assert outcome.status == "queued" and outcome.details["verified"] is True
    assert outcome.details["reference"] == booking["reference"]
    assert env.worker.run_once().push.acknowledged == [outcome.key]
    state = env.server("SELECT state FROM bookings WHERE reference = ?", booking["reference"])[0][0]
    assert state == "arrived"


def test_offline_checkin_refuses_forged_revoked_and_wrong_day_tokens_before_storing(env):
    booking = booked_today(env)
    token = booking["checkin_token"]
    env.offline = True
    body, sig = token.split(".")
    forged = body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    assert env.outcome(env.services.check_in(token=forged)).code == "invalid_token"
    assert env.outcome(env.services.check_in(token="not a token")).code == "invalid_token"
    env.clock.advance(86400)   # the next day
    assert env.outcome(env.services.check_in(token=token)).code == "outside_checkin_window"
    env.clock.set_now(env.booked_at)
    env.offline = False
    assert env.outcome(env.services.cancel(booking["reference"], PERSON["last_name"])).status == "done"
    env.worker.run_once(force=True)   # keys and revocations: the cancelled booking's token is revoked
    env.offline = True
    assert env.outcome(env.services.check_in(token=token)).code == "token_revoked"
    conn = env.services.availability.conn
    assert conn.execute("SELECT count(*) FROM outbox WHERE kind = 'checkin'").fetchone()[0] == 0
    with pytest.raises(TokenError):
        verify_token(conn, forged, env.clock.now())


def test_a_key_id_missing_from_a_current_key_list_is_refused_at_once(env):
    """Keys are announced ahead of use: a list synced within the lead holds every key that can sign."""
    booking = booked_today(env)
    env.services.availability.conn.execute("DELETE FROM keys")
    env.offline = True
    outcome = env.outcome(env.services.check_in(token=booking["checkin_token"]))
    assert outcome.status == "refused" and outcome.code == "invalid_token"
    conn = env.services.availability.conn
    assert conn.execute("SELECT count(*) FROM outbox WHERE kind = 'checkin'").fetchone()[0] == 0


def test_a_token_signed_by_an_unknown_key_is_left_to_the_server_when_the_key_list_is_old(env):
    booking = booked_today(env)
    conn = env.services.availability.conn
    conn.execute("DELETE FROM keys")
    old = utc_text(env.clock.now() - KEY_ANNOUNCE_LEAD - timedelta(minutes=1))
    conn.execute("UPDATE sync_state SET last_success_at = ? WHERE resource = 'keys'", (old,))
    env.offline = True
    outcome = env.outcome(env.services.check_in(token=booking["checkin_token"]))
    assert outcome.status == "queued" and outcome.details["verified"] is False


def test_the_result_arrives_as_a_pygame_event(env, tmp_path):
    import pygame

    pygame.display.init()
    try:
        pygame.event.clear()
        real = Services(env.cache, client_source=lambda: env.client, clock=env.clock)
        request_id = real.book("svc-cni", env.first_day_slot(), PERSON)
        real.close()   # waits for the action to finish
        found = [e for e in pygame.event.get() if e.type == events.ACTION_DONE]
        assert [e.request_id for e in found] == [request_id] and found[0].outcome.status == "done"
    finally:
        pygame.display.quit()


class _BrokenClient:
    """A client with a bug of ours (not an API error): the stored action must not be reported lost."""

    timeout = (1.0, 1.0)

    def clone(self, **_settings):
        return self

    @property
    def device_id(self):
        raise RuntimeError("a bug while building the request")


def test_an_unexpected_failure_after_storing_leaves_the_action_to_the_worker(env, caplog):
    broken = Services(env.cache, client_source=_BrokenClient, clock=env.clock,
                      post=lambda t, **a: env.results.put((t, a)), wake_sync=env._wake)
    try:
        outcome = env.outcome(broken.book("svc-cni", env.first_day_slot(), PERSON))
    finally:
        broken.close()
    assert outcome.status == "queued" and env.woken == 1 and "immediate sending failed" in caplog.text
    assert env.worker.run_once(force=True).push.acknowledged == [outcome.key]
    assert env.bookings() == 1


def test_a_reference_another_action_holds_is_replaced_while_the_person_waits(env):
    """Issue 14, defect 1: the server refuses a terminal reference already taken (409
    ``reference_taken``, not remembered under the key); the person is still there and nothing
    was printed, so the same action goes again at once under another reference."""
    from kiosk.api.references import namespace_of, terminal_reference
    from kiosk.booking import service as booking_service

    taken = terminal_reference(env.client.reference_namespace)
    slot = env.first_day_slot()
    other = env.services.availability.day_slots("svc-cni", slot.start.astimezone(PARIS).date())[1]
    env.client.create_booking({"slot_id": other.slot_ids[0], "service_id": "svc-cni", "channel": "kiosk",
                               "terminal_id": env.client.device_id, "created_at": START.isoformat(),
                               "reference": taken, "person": {"last_name": "Autre", "first_name": "Personne"}},
                              str(uuid.uuid4()))
    outcome = env.services.actions.run(booking_service.booking("svc-cni", slot.slot_ids[0], PERSON, env.clock.now(),
                                                               reference=taken))
    fresh = outcome.result["reference"]
    assert outcome.status == "done" and fresh != taken and namespace_of(fresh) == namespace_of(taken)
    assert outcome.details["reference"] == fresh                   # what the screen and the ticket show
    assert env.row(outcome.key)["state"] == "acknowledged" and env.bookings() == 2
