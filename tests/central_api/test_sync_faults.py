"""The sync worker behind a misbehaving (real, loopback) proxy: a 500 on one row, 429 with
Retry-After, an answer that breaks the schema, offline backoff; nothing is lost and the
cache keeps its previous data."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
import test_sync
from fault_servers import FaultProxy, closed_port_url
from test_sync import START

from kiosk.api.client import ApiClient
from kiosk.sync import SyncWorker
from offline_cache.catalog import sync_state

env = test_sync.env   # the same synchronised terminal as test_sync
pytestmark = pytest.mark.reference_server

ERROR_500 = ("status", 500, {}, {"error": "internal_error", "message": "boom", "details": {}})


@pytest.fixture
def proxied(env):
    proxy = FaultProxy(env.client.base_url)
    client = ApiClient(proxy.url, credentials_path=env.creds, now=env.clock.now, max_attempts=1)
    yield env, proxy, env.make_worker(client)
    proxy.stop()


def test_a_500_on_one_row_does_not_stop_the_others(proxied):
    env, proxy, worker = proxied
    worker.run_once()
    booking = env.enqueue_booking(env.free_slots(1)[0])
    checkin = env.outbox.enqueue("checkin", {"reference": "RDV-NOPE-00", "scanned_at": START.isoformat()},
                                 personal=None)
    proxy.queue(ERROR_500)
    report = worker.run_once()
    assert report.push.retried == [booking] and [r.uuid for r in report.push.refused] == [checkin]
    assert report.online and env.outbox.get(booking).attempts == 1
    assert env.outbox.get(booking).last_error.startswith("ServerError")
    env.clock.advance(3600)
    assert worker.run_once().push.acknowledged == [booking]


def test_429_retry_after_is_the_rows_next_attempt(proxied):
    env, proxy, worker = proxied
    worker.run_once()
    key = env.enqueue_booking(env.free_slots(1)[0])
    proxy.queue(("status", 429, {"Retry-After": "120"}, {"error": "too_many_requests", "message": "slow down",
                                                         "details": {}}))
    report = worker.run_once()
    assert report.push.retried == [key] and not report.online
    when = datetime.fromisoformat(env.outbox.get(key).next_attempt_at.replace("Z", "+00:00"))
    assert abs((when - env.clock.now()).total_seconds() - 120) < 2
    assert worker.next_wait_s() >= 120


def test_a_schema_breaking_catalog_keeps_the_previous_cache(proxied):
    env, proxy, worker = proxied
    worker.run_once()
    names = env.ui.execute("SELECT id, name FROM services ORDER BY id").fetchall()
    before = sync_state(env.ui, "catalog")
    from kiosk.demo_api import admin
    service = env.client.catalog().data.model_dump(mode="json")["services"][0]
    admin.put_catalog_item(env.db_path, "service", {**service, "name": "Nouveau nom"})
    proxy.queue(("rewrite", lambda c: {**c, "services": [{**s, "domain": "Astrologie"} for s in c["services"]]}))
    report = worker.run_once(force=True)
    assert "catalog" in report.pull.failed and report.online
    assert env.ui.execute("SELECT id, name FROM services ORDER BY id").fetchall() == names
    after = sync_state(env.ui, "catalog")
    assert after["cursor"] == before["cursor"] and after["etag"] == before["etag"]
    assert "InvalidResponse" in after["failure_reason"] and "Astrologie" not in after["failure_reason"]
    fixed = worker.run_once(force=True)   # the next answer is fine: the change arrives
    assert "catalog" in fixed.pull.changed
    assert env.ui.execute("SELECT name FROM services WHERE id = ?", (service["id"],)).fetchone()[0] == "Nouveau nom"


def test_offline_backoff_grows_and_is_capped(env):
    client = ApiClient(closed_port_url(), credentials_path=env.creds, max_attempts=1)
    worker = SyncWorker(env.cache, client, clock=env.clock, post=lambda *a, **k: None,
                        offline_backoff_base_s=5, offline_backoff_cap_s=60, rng=random.Random(1))
    waits = []
    for _ in range(6):
        assert not worker.run_once().online
        waits.append(worker.next_wait_s())
    assert 2.5 <= waits[0] <= 5 and 5 <= waits[1] <= 10 and all(30 <= w <= 60 for w in waits[4:])
    assert worker.status()["online"] is False


def test_first_come_first_served_even_when_sending_concurrently(env):
    """Two citizens asked for the same slot while offline: the one who asked first gets it,
    however many POSTs fly at once (they never share a wave)."""
    from kiosk.sync.push import _waves

    slot, other = env.free_slots(2)
    first, second, third = env.enqueue_booking(slot), env.enqueue_booking(slot), env.enqueue_booking(other)
    rows = env.outbox.due(env.clock.now())
    assert [[r.uuid for r in w] for w in _waves(rows, 4)] == [[first], [second, third]]
    report = env.worker.run_once()
    assert sorted(report.push.acknowledged) == sorted([first, third])
    assert [r.uuid for r in report.push.refused] == [second]
    assert env.outbox.get(second).server_status == 409
