"""A catalog damaged while the terminal runs: the sync worker's round meets it, says it in one line,
and its next round moves the file aside and fills a new one — the outbox untouched.

A real sync worker thread against a scripted central API on loopback (tests/fault_servers.py),
a real cache whose pages are scribbled over under the worker's open connection.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from answers_support import GOOD, START
from fault_servers import ScriptedApi
from support import wait_for

from kiosk.api.client import ApiClient, write_credentials
from kiosk.clock import ManualClock
from kiosk.sync.worker import SyncWorker
from offline_cache import health
from offline_cache.db import open_cache
from offline_cache.errors import CacheError
from offline_cache.outbox import Outbox


def _scribble(path, first_page: int = 2) -> None:
    """Garbage over every page after the first ones (as a failing disk does), under open connections."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * first_page, len(data), 4096):
        data[offset:offset + 512] = b"\xa5" * 512
    with path.open("r+b") as f:
        f.write(bytes(data))


def test_a_catalog_damaged_under_a_running_worker_is_replaced_by_its_next_round(tmp_path, caplog):
    api = ScriptedApi()
    api.answers = dict(GOOD)
    creds = tmp_path / "credentials.json"
    write_credentials(creds, "dev-1", "t" * 32)
    cache = tmp_path / "cache.sqlite3"
    conn = open_cache(cache)
    waiting = Outbox(conn, ManualClock(START)).enqueue("checkin", {"reference": "RDV-AAAA-BB"}, personal=None,
                                                       hold_s=10**6)
    conn.close()
    client = ApiClient(api.url, credentials_path=creds, max_attempts=1, connect_timeout_s=2, read_timeout_s=5)
    worker = SyncWorker(cache, client, clock=ManualClock(START), post=lambda *a, **k: None, push_parallel=1,
                        offline_backoff_cap_s=5)
    try:
        with caplog.at_level(logging.INFO):
            worker.start()
            wait_for(lambda: worker.last_success is not None, timeout=20)
            probe = open_cache(cache)
            probe.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _scribble(cache)
            probe.execute("PRAGMA main.user_version = 7")   # a write: the worker's page cache is read again
            probe.close()
            deadline = time.monotonic() + 30
            while not health.moved_aside(cache, "catalog") and time.monotonic() < deadline:
                worker.sync_now()
                time.sleep(0.2)
            assert health.moved_aside(cache, "catalog"), "the damaged catalog was not replaced"
            worker.sync_now()
            wait_for(lambda: _services(cache) == {"svc-cni"}, timeout=20)     # filled again from the API
    finally:
        worker.stop()
        client.close()
        api.stop()
    conn = open_cache(cache)
    try:
        assert Outbox(conn).get(waiting) is not None        # still there, with the server's verdict
    finally:
        conn.close()
    assert "v1/checkins" in api.seen                        # it was sent
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].startswith("offline cache catalog damaged"), lines
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def _services(cache) -> set[str]:
    try:
        conn = open_cache(cache)
    except CacheError:   # being replaced at this very moment
        return set()
    try:
        return {r[0] for r in conn.execute("SELECT id FROM services")}
    except sqlite3.Error:
        return set()
    finally:
        conn.close()
