"""The sync worker against the real reference server on loopback: full then delta sync,
304s, pushing the outbox (lost answers, server down, 409, final refusals, revocation),
erasure after acknowledgement, status events, clock skew, and the thread itself."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from fault_servers import FaultProxy
from timebase import test_now

from kiosk import events
from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock as KioskClock
from kiosk.demo_api import admin, db
from kiosk.demo_api.server import serve
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync import SyncWorker
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
PERSON = {"person": {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78"}}
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


class Env:
    """A running reference server, an enrolled client, a cache, a worker and what it posted."""

    def __init__(self, tmp_path, base: str, db_path, server_clock: ManualClock) -> None:
        self.tmp, self.db_path, self.server_clock = tmp_path, db_path, server_clock
        self.creds = tmp_path / "credentials.json"
        self.clock = KioskClock(START)
        self.client = ApiClient(base, credentials_path=self.creds, now=self.clock.now, max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock), TERMINAL)
        self.cache = tmp_path / "cache.sqlite3"
        self.posted: list[tuple[int, dict]] = []
        self.worker = self.make_worker(self.client)
        self.ui = open_cache(self.cache)           # the UI thread's own connection
        self.outbox = Outbox(self.ui, self.clock)

    def make_worker(self, client: ApiClient, **kwargs) -> SyncWorker:
        return SyncWorker(self.cache, client, clock=self.clock,
                          post=lambda t, **a: self.posted.append((t, a)), **kwargs)

    def free_slots(self, n: int, agenda: str = "ag-etat-civil-1") -> list[str]:
        day = START.date()
        slots = self.client.slots(agenda, day, day + timedelta(days=20)).data.slots
        return [s.id for s in slots if s.places_left > 0 and s.start > START][:n]   # still to come at START

    def enqueue_booking(self, slot_id: str) -> str:
        payload = {"slot_id": slot_id, "service_id": "svc-cni", "channel": "kiosk",
                   "created_at": self.clock.now().isoformat()}
        return self.outbox.enqueue("booking", payload, personal=PERSON)

    def server_keys(self) -> dict[str, int]:
        """Idempotency key -> stored status, for this terminal, from the server's database."""
        conn = db.connect(self.db_path)
        try:
            return {r["key"]: r["status"] for r in conn.execute(
                "SELECT key, status FROM idempotency WHERE device_id = ?", (self.client.device_id,))}
        finally:
            conn.close()

    def server_bookings(self) -> int:
        conn = db.connect(self.db_path)
        try:
            return conn.execute("SELECT count(*) FROM bookings WHERE device_id = ?",
                                (self.client.device_id,)).fetchone()[0]
        finally:
            conn.close()

    def last(self, event_type: int) -> dict:
        return [a for t, a in self.posted if t == event_type][-1]


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        e = Env(tmp_path, base, db_path, clock)
        yield e
        e.ui.close()


def test_full_then_delta_sync(env):
    first = env.worker.run_once()
    assert first.error is None and first.online
    assert "catalog" in first.pull.changed and "keys" in first.pull.changed
    assert {r for r in first.pull.changed if r.startswith("slots:")} >= {"slots:ag-etat-civil-1", "slots:ag-ccas"}
    ui = env.ui
    assert ui.execute("SELECT count(*) FROM services").fetchone()[0] >= 8
    assert ui.execute("SELECT count(*) FROM places").fetchone()[0] >= 200
    assert ui.execute("SELECT count(*) FROM slots").fetchone()[0] > 100
    assert ui.execute("SELECT count(*) FROM keys").fetchone()[0] >= 1

    again = env.worker.run_once(force=True)   # nothing changed: every conditional GET is a 304
    assert "catalog" in again.pull.unchanged and all(r.startswith("slots:") for r in again.pull.unchanged[1:])
    assert not [r for r in again.pull.changed if r != "keys"]

    page = ui.execute("SELECT id FROM pages LIMIT 1").fetchone()[0]
    body = {**env.client.catalog().data.model_dump(mode="json")["pages"][0], "title": "Horaires d'été"}
    admin.put_catalog_item(env.db_path, "page", {**body, "id": page})
    gone = env.free_slots(1)[0]
    assert admin.delete_slot(env.db_path, gone)
    delta = env.worker.run_once(force=True)
    assert "catalog" in delta.pull.changed and "slots:ag-etat-civil-1" in delta.pull.changed
    assert ui.execute("SELECT title FROM pages WHERE id = ?", (page,)).fetchone()[0] == "Horaires d'été"
    assert ui.execute("SELECT count(*) FROM slots WHERE id = ?", (gone,)).fetchone()[0] == 0
    status = env.last(events.SYNC_STATUS)
    assert status["last_success"] == env.clock.now() and status["outbox_depth"] == 0 and status["failed"] == 0
    assert env.last(events.NETWORK_STATUS) == {"online": True}


def test_booking_sent_once_with_its_uuid_even_when_the_first_answer_is_lost(env):
    proxy = FaultProxy(env.client.base_url)
    try:
        client = ApiClient(proxy.url, credentials_path=env.creds, now=env.clock.now, max_attempts=1)
        worker = env.make_worker(client)
        key = env.enqueue_booking(env.free_slots(1)[0])
        proxy.queue(("forward_then_drop",))   # the server commits, the answer never arrives
        first = worker.run_once()
        assert first.push.retried == [key] and not first.online
        assert env.outbox.get(key).state == "pending" and env.outbox.get(key).attempts == 1
        assert env.server_keys() == {key: 201} and env.server_bookings() == 1
        env.clock.advance(3600)
        second = worker.run_once()
        assert second.push.acknowledged == [key] and second.online
        row = env.outbox.get(key)
        assert row.state == "acknowledged" and row.personal is None and row.server_summary["state"] == "booked"
        posts = [h for m, p, h in proxy.seen if m == "POST" and p.endswith("/v1/bookings")]
        assert [h["Idempotency-Key"] for h in posts] == [key, key]
        assert env.server_keys() == {key: 201} and env.server_bookings() == 1
    finally:
        proxy.stop()


def test_server_down_keeps_rows_and_sends_them_after_restart(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        env = Env(tmp_path, base, db_path, clock)
        env.worker.run_once()
        slots = env.free_slots(3)
    env.client.session.close()   # a stopped server's kept-alive connections are gone too
    try:
        keys = [env.enqueue_booking(s) for s in slots]
        down = env.worker.run_once()
        assert not down.online and down.push.retried == keys   # one wave of 3 concurrent POSTs, all kept
        assert [env.outbox.get(k).state for k in keys] == ["pending"] * 3
        assert env.last(events.NETWORK_STATUS) == {"online": False}
        assert env.last(events.SYNC_STATUS)["outbox_depth"] == 3
        assert env.worker.next_wait_s() >= 2.5   # backing off while offline
        env.clock.advance(1)
        assert env.worker.run_once().push.retried == keys   # still down: still kept
        port = int(base.rsplit(":", 1)[1])
        server, thread = serve("127.0.0.1", port, db_path, clock=clock)
        try:
            back = env.worker.run_once()   # the rows' own backoff is not over, but this is a reconnect
            assert back.online and back.push.acknowledged == keys
            assert env.outbox.depth() == 0 and env.server_keys() == {k: 201 for k in keys}
            assert env.server_bookings() == 3 and env.last(events.NETWORK_STATUS) == {"online": True}
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
    finally:
        env.ui.close()


def test_personal_data_is_purged_after_acknowledgement(env):
    key = env.enqueue_booking(env.free_slots(1)[0])
    assert env.ui.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 1
    assert env.worker.run_once().push.acknowledged == [key]
    assert env.ui.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0
    env.ui.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in env.tmp.glob("cache.sqlite3*"):
        assert b"Quastenberg" not in path.read_bytes(), path


def test_the_worker_keeps_the_outbox_bounded_over_weeks(env):
    """Delivered rows do not pile up on a terminal that runs for weeks: a round trims them (once
    an hour), while an action the server has not taken yet stays."""
    from offline_cache.outbox import ACKNOWLEDGED_KEPT

    first, second = env.free_slots(2)
    delivered = env.enqueue_booking(first)
    assert env.worker.run_once().push.acknowledged == [delivered]
    env.clock.advance(ACKNOWLEDGED_KEPT.total_seconds() + 2 * 3600)
    env.server_clock.advance(seconds=ACKNOWLEDGED_KEPT.total_seconds() + 2 * 3600)
    waiting = env.outbox.enqueue("booking", {"slot_id": second, "service_id": "svc-cni", "channel": "kiosk",
                                             "created_at": env.clock.now().isoformat()}, personal=PERSON)
    env.outbox.mark_retry(waiting, "server busy", retry_after_s=3600)   # not due in this round
    env.worker.run_once()
    assert env.outbox.get(delivered) is None
    assert env.outbox.get(waiting).state == "pending"


def test_409_is_marked_failed_with_the_alternatives_kept(env):
    slot = env.free_slots(1)[0]
    other = env.client.create_booking({"slot_id": slot, "service_id": "svc-cni", "person": PERSON["person"],
                                       "channel": "kiosk", "terminal_id": env.client.device_id,
                                       "created_at": START.isoformat()}, str(uuid.uuid4()))
    assert other.state == "booked"
    key = env.enqueue_booking(slot)   # the kiosk's copy of the slots was stale
    report = env.worker.run_once()
    assert report.online and [r.uuid for r in report.push.refused] == [key]
    row = env.outbox.get(key)
    assert row.state == "failed" and row.server_status == 409 and row.personal is None
    assert row.server_message.startswith("slot_unavailable: ") and "alternatives: " in row.server_message
    refusal = env.worker.refusals()[-1]
    assert refusal.uuid == key and refusal.code == "slot_unavailable" and refusal.alternatives
    assert refusal.alternatives[0]["id"] in row.server_message
    assert row.server_summary["error"] == "slot_unavailable" and row.server_summary["message"]
    assert [a["id"] for a in row.server_summary["alternatives"]] == [a["id"] for a in refusal.alternatives][:8]
    assert set(row.server_summary["alternatives"][0]) == {"id", "agenda_id", "start", "end"}
    status = env.last(events.SYNC_STATUS)
    assert status["failed"] == 1
    assert status["refusals"] == [{"kind": "booking", "at": row.created_at, "status": 409,
                                   "error": "slot_unavailable", "message": row.server_summary["message"]}]


def test_final_refusal_and_server_error(env):
    bad = env.outbox.enqueue("checkin", {"reference": "RDV-NOPE-00", "scanned_at": START.isoformat()}, personal=None)
    report = env.worker.run_once()
    assert [r.uuid for r in report.push.refused] == [bad]
    row = env.outbox.get(bad)
    assert row.state == "failed" and row.server_status == 404 and row.server_message.startswith("not_found: ")


def test_revoked_terminal_stops_and_keeps_its_rows(env):
    assert admin.revoke_device(env.db_path, env.client.device_id, env.server_clock)
    key = env.enqueue_booking("any-slot")
    report = env.worker.run_once()
    assert env.worker.revoked and report.error.code == "device_revoked"
    row = env.outbox.get(key)
    assert row.state == "pending" and row.attempts == 0 and row.personal is not None
    assert env.last(events.SYNC_STATUS)["revoked"] is True and env.worker.next_wait_s() >= 60


def test_clock_skew_is_flagged(env):
    env.worker.run_once()
    assert env.last(events.SYNC_STATUS)["clock_skew_flagged"] is False
    env.server_clock.advance(minutes=5)   # the server is 5 minutes ahead of the terminal
    env.worker.run_once(force=True)
    status = env.last(events.SYNC_STATUS)
    assert status["clock_skew_flagged"] is True and 290 <= status["clock_skew_s"] <= 310


def test_the_thread_sends_a_new_action_at_once(env):
    env.worker.run_once()
    worker = env.make_worker(env.client, catalog_interval_s=3600, slots_interval_s=3600)
    worker.start()
    try:
        deadline = time.monotonic() + 20  # generous: the machine may be loaded; it returns at once when done
        while worker.online is not True and time.monotonic() < deadline:
            time.sleep(0.02)
        key = env.enqueue_booking(env.free_slots(1)[0])
        worker.notify_new_action()
        while env.outbox.get(key).state == "pending" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert env.outbox.get(key).state == "acknowledged"
    finally:
        worker.stop()
    assert not worker._thread.is_alive()
