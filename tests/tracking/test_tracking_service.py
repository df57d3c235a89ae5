"""The tracking service against the real reference server on loopback: online answers, the
hashed offline memory (never the number itself), fallbacks on every kind of failure, the
anti-guessing throttle, and the terminal's secret."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pygame
import pytest
from fault_servers import FaultProxy
from timebase import test_now

from kiosk import events
from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock as KioskClock
from kiosk.config.models import TrackingConfig
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.tracking.service import TrackingService, load_or_create_secret
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)


@pytest.fixture(autouse=True)
def event_queue():
    pygame.display.init()
    pygame.event.clear()
    yield
    pygame.display.quit()


class Env:
    def __init__(self, tmp_path, base: str, db_path, server_clock: ManualClock) -> None:
        self.tmp, self.db_path, self.base = tmp_path, db_path, base
        self.creds = tmp_path / "credentials.json"
        self.client = ApiClient(base, credentials_path=self.creds, max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock), {"hostname": "borne", "kind": "totem",
                                                                   "app_version": "1.4.0"})
        self.cache = tmp_path / "cache.sqlite3"
        self.secret = tmp_path / "tracking.key"
        self.clock = KioskClock(START)
        self.online = True
        self.service = self.make_service()

    def make_service(self, **rules) -> TrackingService:
        return TrackingService(TrackingConfig(**rules), self.clock, cache_path=self.cache, secret_path=self.secret,
                               client_factory=self._client)

    def _client(self):
        if not self.online:
            return None
        return self.client.clone(read_timeout_s=2, max_attempts=1)

    def codes(self, status: str | None = None) -> list[str]:
        conn = sqlite3.connect(self.db_path)
        try:
            rows = conn.execute("SELECT code, body FROM tracking ORDER BY code").fetchall()
        finally:
            conn.close()
        return [code for code, body in rows if status is None or json.loads(body)["status"] == status]

    def ask(self, code: str, service: TrackingService | None = None):
        service = service or self.service
        number = service.lookup(code)
        service.join()
        answers = [e.answer for e in pygame.event.get(events.TRACKING_RESULT)]
        assert [a.lookup for a in answers] == [number]
        return answers[0]


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ManualClock(START)
    with running_server(db_path, server_clock) as base:
        yield Env(tmp_path, base, db_path, server_clock)


def test_online_answer_is_remembered_by_keyed_hash_only(env):
    code = env.codes("waiting_citizen")[0]
    answer = env.ask(code)
    assert answer.outcome == "found" and answer.online
    assert answer.request.tracking_code == code and answer.request.message
    assert answer.info_at == answer.request.updated_at
    # The cache holds one row, keyed by an HMAC, and the number appears nowhere in the file.
    conn = open_cache(env.cache)
    rows = conn.execute("SELECT code_mac, status FROM tracked_requests").fetchall()
    conn.close()
    assert len(rows) == 1 and len(rows[0]["code_mac"]) == 64
    assert "tracking_code" not in json.loads(rows[0]["status"])
    for path in env.tmp.glob("cache.sqlite3*"):
        data = path.read_bytes()
        assert code.encode() not in data and code.replace("-", "").encode() not in data


def test_offline_answer_comes_from_memory_with_its_date(env):
    code = env.codes("in_progress")[0]
    online = env.ask(code)
    env.online = False
    offline = env.ask(code.lower())
    assert offline.outcome == "found" and not offline.online
    assert offline.request == online.request
    assert offline.info_at == online.request.updated_at


def test_offline_unknown_when_never_looked_up_here(env):
    env.online = False
    assert env.ask(env.codes()[0]).outcome == "offline_unknown"


def test_unknown_number_online_and_forgotten_offline(env):
    code = env.codes()[0]
    assert env.ask(code).outcome == "found"
    # The department withdraws the file: the server no longer knows the number.
    conn = sqlite3.connect(env.db_path)
    conn.execute("DELETE FROM tracking WHERE code=?", (code,))
    conn.commit()
    conn.close()
    assert env.ask(code).outcome == "unknown"
    env.online = False
    assert env.ask(code).outcome == "offline_unknown"


@pytest.mark.parametrize("fault", [
    ("status", 500, {}, {"error": "internal_error", "message": "boom", "details": {}}),
    ("status", 503, {"Retry-After": "120"}, {"error": "unavailable", "message": "maintenance", "details": {}}),
    ("raw", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{not json!!}"),
    ("rewrite", lambda body: {**body, "steps": "none"}),
])
def test_server_faults_fall_back_to_memory(env, fault):
    code = env.codes()[1]
    assert env.ask(code).outcome == "found"
    proxy = FaultProxy(env.base)
    try:
        proxy.queue(fault)
        service = TrackingService(TrackingConfig(), env.clock, cache_path=env.cache, secret_path=env.secret,
                                  client_factory=lambda: ApiClient(proxy.url, credentials_path=env.creds,
                                                                   max_attempts=1))
        answer = env.ask(code, service)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert answer.outcome == "found" and not answer.online


def test_unreachable_server_answers_offline_quickly(env):
    code = env.codes()[2]
    env.ask(code)
    service = TrackingService(TrackingConfig(), env.clock, cache_path=env.cache, secret_path=env.secret,
                              client_factory=lambda: ApiClient("http://127.0.0.1:9/", credentials_path=env.creds,
                                                               max_attempts=1, connect_timeout_s=1))
    answer = env.ask(code, service)
    assert answer.outcome == "found" and not answer.online


def test_throttle_pauses_lookups_after_too_many_unknown_numbers(env):
    service = env.make_service(max_unknown=3, window_s=60, cooldown_s=120)
    known = env.codes()[0]
    assert [env.ask(c, service).outcome for c in ("ZZZZ-0001", "ZZZZ-0002")] == ["unknown", "unknown"]
    assert env.ask(known, service).outcome == "found"            # known numbers do not count
    env.clock.advance(61)                                        # the window slides
    assert [env.ask(c, service).outcome for c in ("ZZZZ-0003", "ZZZZ-0004")] == ["unknown", "unknown"]
    assert env.ask("ZZZZ-0005", service).outcome == "unknown"    # the third within a minute
    paused = env.ask(known, service)
    assert paused.outcome == "cooldown" and paused.cooldown_s == 120
    env.clock.advance(119)
    assert env.ask(known, service).cooldown_s == 1
    env.clock.advance(1)
    assert env.ask(known, service).outcome == "found"


def test_offline_guesses_count_too(env):
    env.online = False
    service = env.make_service(max_unknown=3)
    outcomes = [env.ask(f"ZZZZ-000{i}", service).outcome for i in range(4)]
    assert outcomes == ["offline_unknown"] * 3 + ["cooldown"]


def test_old_statuses_expire(env):
    code = env.codes()[3]
    env.ask(code)
    env.clock.advance(61 * 86400)
    env.ask(env.codes()[4])          # a later lookup prunes what was not looked up for 60 days
    env.online = False
    assert env.ask(code).outcome == "offline_unknown"


def test_secret_is_private_and_stable(tmp_path):
    path = tmp_path / "tracking.key"
    first = load_or_create_secret(path)
    assert len(first) == 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_secret(path) == first
    path.write_text("abcd\n")
    with pytest.raises(ValueError, match="too short"):
        load_or_create_secret(path)


def test_without_a_cache_everything_is_offline_unknown(tmp_path):
    service = TrackingService(TrackingConfig(), KioskClock(START), cache_path=None, secret_path=None,
                              client_factory=lambda: None)
    number = service.lookup("ABCD-1234")
    service.join()
    [event] = pygame.event.get(events.TRACKING_RESULT)
    assert event.answer.lookup == number and event.answer.outcome == "offline_unknown"


def test_a_bug_in_the_lookup_still_answers(env):
    def broken():
        raise RuntimeError("bug")
    service = TrackingService(TrackingConfig(), env.clock, cache_path=env.cache, secret_path=env.secret,
                              client_factory=broken)
    assert env.ask("ABCD-1234", service).outcome == "error"
