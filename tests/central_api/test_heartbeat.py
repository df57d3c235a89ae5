"""Heartbeats from the sync worker to the real reference server: schedule, body (device states
folded into the contract's words, outbox depth, anonymous usage counts), configuration
overrides applied or refused; and the usage counters themselves."""

from __future__ import annotations

import json
import logging

import pytest
from timebase import test_now

import kiosk
from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock as KioskClock
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync import SyncWorker
from kiosk.sync.heartbeat import contract_state
from kiosk.usage import MAX_FEATURES, UsageCounters
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


class Env:
    def __init__(self, tmp_path, base, db_path, server_clock) -> None:
        self.db_path = db_path
        self.clock = KioskClock(START)
        self.client = ApiClient(base, credentials_path=tmp_path / "credentials.json", now=self.clock.now,
                                max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock), TERMINAL)
        self.cache = tmp_path / "cache.sqlite3"
        self.usage = UsageCounters()
        self.states = {"printer": "paper_low", "scanner": "ok", "touch": "disconnected"}
        self.worker = SyncWorker(self.cache, self.client, clock=self.clock, post=lambda *a, **k: None,
                                 heartbeat_interval_s=300, device_states=lambda: self.states, usage=self.usage)

    def heartbeats(self) -> list[dict]:
        conn = db.connect(self.db_path)
        try:
            return [json.loads(r["body"]) for r in conn.execute(
                "SELECT body FROM heartbeats WHERE device_id = ? ORDER BY rowid", (self.client.device_id,))]
        finally:
            conn.close()


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield Env(tmp_path, base, db_path, clock)


def test_heartbeat_body_and_schedule(env):
    env.usage.bump("booking.confirmed", 2)
    env.usage.bump("places.search")
    ui = open_cache(env.cache)
    try:
        Outbox(ui, env.clock).enqueue("checkin", {"reference": "RDV-XXXX-XX", "scanned_at": START.isoformat()},
                                      personal=None, hold_s=3600)   # still waiting at heartbeat time
        env.clock.advance(42)
        env.worker.online = True   # not a reconnect round (that one would send even a held row)
        env.worker.run_once()
    finally:
        ui.close()
    [beat] = env.heartbeats()
    assert beat["version"] == kiosk.__version__ and beat["uptime_s"] == 42
    assert beat["device_states"] == {"printer": "degraded", "scanner": "ok", "touch": "error"}
    assert beat["outbox_depth"] == 1 and beat["last_sync"] is None   # the first round had not finished yet
    assert beat["usage"] == {"booking.confirmed": 2, "places.search": 1}
    assert env.usage.snapshot() == {}                              # acknowledged: counted once
    env.usage.bump("places.search")
    env.clock.advance(100)
    env.worker.run_once(force=True)
    assert len(env.heartbeats()) == 1                               # not due yet
    assert 0 < env.worker.next_wait_s() <= 200
    env.clock.advance(200)
    env.worker.run_once()
    second = env.heartbeats()[1]
    assert second["usage"] == {"places.search": 1} and second["last_sync"] is not None


def test_a_failing_device_report_does_not_stop_the_heartbeat(env, caplog):
    def broken():
        raise RuntimeError("driver bug")

    env.worker.heartbeat.device_states = broken
    with caplog.at_level(logging.ERROR):
        env.worker.run_once()
    assert env.heartbeats()[0]["device_states"] == {}
    assert "device states" in caplog.text


def test_overrides_from_the_server_are_applied_or_logged(env, caplog):
    admin.set_config_overrides(env.db_path, env.client.device_id, {
        "sync.slots_interval_s": 60, "sync.heartbeat_interval_s": 900, "sync.catalog_interval_s": 5,
        "idle.warn_after_s": 10, "api.base_url": "https://elsewhere.example/"})
    with caplog.at_level(logging.INFO, logger="kiosk.sync"):
        env.worker.run_once()
    assert env.worker.intervals["slots"] == 60 and env.worker.heartbeat.interval_s == 900
    assert env.worker.intervals["catalog"] == 300                  # 5 s is below the [sync] limit
    assert set(env.worker.heartbeat.applied) == {"sync.slots_interval_s", "sync.heartbeat_interval_s"}
    assert set(env.worker.heartbeat.ignored) == {"sync.catalog_interval_s", "idle.warn_after_s", "api.base_url"}
    assert "idle.warn_after_s from the central API ignored" in caplog.text
    assert "api.base_url from the central API ignored" in caplog.text
    assert "sync.catalog_interval_s = 5 from the central API ignored" in caplog.text
    caplog.clear()
    env.clock.advance(900)
    with caplog.at_level(logging.INFO, logger="kiosk.sync"):
        env.worker.run_once()
    assert len(env.heartbeats()) == 2 and "override" not in caplog.text   # logged once per value


def test_states_fold_into_the_contract_words():
    assert [contract_state(s) for s in ("ready", "OK", "paper_out", "disabled", "offline", "starting")] == [
        "ok", "ok", "degraded", "absent", "error", "degraded"]


def test_usage_counters_keep_bumps_made_while_sending():
    usage = UsageCounters()
    usage.bump("tracking.lookup", 3)
    sent = usage.snapshot()
    usage.bump("tracking.lookup")          # while the heartbeat is on its way
    usage.subtract(sent)
    assert usage.snapshot() == {"tracking.lookup": 1}


@pytest.mark.parametrize("bad", ["Jean Dupont", "booking confirmed", "", "x" * 41, "rue jean-jaurès", "a..b", 3])
def test_usage_keys_are_identifiers_never_free_text(bad):
    with pytest.raises(ValueError, match="identifiers"):
        UsageCounters().bump(bad)


def test_usage_counters_are_bounded():
    usage = UsageCounters()
    for i in range(MAX_FEATURES + 5):
        usage.bump(f"feature_{i}")
    counts = usage.snapshot()
    assert len(counts) == MAX_FEATURES + 1 and counts["other"] == 5
    with pytest.raises(ValueError):
        usage.bump("booking", 0)


def test_a_terminal_enrolled_before_reference_namespaces_gets_one_from_its_heartbeat(env, tmp_path):
    """Issue 14, defect 1: no new enrolment needed. The namespace is kept with the credentials
    (the file the enrolment wrote), so that a wiped cache does not lose it."""
    from kiosk.api.client import read_credentials, write_credentials
    from kiosk.api.references import is_namespace
    from kiosk.services import Services

    path = tmp_path / "credentials.json"
    held = read_credentials(path)
    assert is_namespace(held.reference_namespace)          # enrolment gives one today
    # as a terminal and a server from before namespaces left them
    write_credentials(path, held.device_id, held.token)
    conn = db.connect(env.db_path)
    conn.execute("DELETE FROM reference_namespaces")
    conn.close()
    env.client.forget_credentials()
    services = Services(env.cache, client_source=lambda: env.client, clock=env.clock)
    assert services.reference_namespace is None and services.new_reference() is None
    env.worker.run_once()
    given = read_credentials(path).reference_namespace
    conn = db.connect(env.db_path)
    on_server = conn.execute("SELECT namespace FROM reference_namespaces WHERE device_id = ?",
                             (held.device_id,)).fetchone()[0]
    conn.close()
    assert is_namespace(given) and given == on_server
    assert services.reference_namespace == given and services.new_reference().startswith(given + "-")
    assert oct(path.stat().st_mode & 0o777) == "0o600"     # still readable by the kiosk user only
    services.close()
