"""Sync worker benchmarks: a round with nothing new, and draining the outbox after an outage.

Both run the real worker against the real reference server on loopback (``kiosk demo-api``
in its own process, a seeded SQLite file in a temporary directory), with the production cache
settings (WAL, synchronous=FULL): what is measured is HTTP on loopback, JSON and pydantic
validation, and SQLite commits — not the town's network, whose latency would add one
round trip per request on a real terminal.

* ``sync_no_change``: after a full sync, one round where the catalog and every agenda's
  slots are asked again and all answer 304 (keys are on their hourly schedule, not asked).
* ``sync_flush_1000``: 1 000 booking requests queued while offline, then one reconnect
  round sends them all (each: a keyed POST, the server's commit, the acknowledgement that
  erases the personal data).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.devtools.bench import Session, benchmark, summarize

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient
    from kiosk.sync import SyncWorker

FLUSH = 1000
QUICK_FLUSH = 200
PERSON = {"person": {"last_name": "Banc-d'Essai", "first_name": "Camille", "phone": "06 00 00 00 00"}}


class _Server:
    """The reference server in its own process, as the central API is on its own machine:
    in this process its threads would compete with the worker's for the GIL."""

    def __init__(self, db_path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "kiosk", "demo-api", "--port", "0", "--db", str(db_path)],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None   # stdout=PIPE
        first, second = self.proc.stdout.readline(), self.proc.stdout.readline()
        found = re.search(r"http://\S+", first)
        if not found or ": " not in second:
            self.stop()
            raise RuntimeError(f"the reference server did not start: {first!r}")
        self.url, self.code = found.group(0), second.split(": ", 1)[1].strip()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def _setup(tmp: Path, **worker_args: Any) -> tuple[_Server, ApiClient, SyncWorker]:
    from kiosk.api.client import ApiClient
    from kiosk.clock import Clock
    from kiosk.sync import SyncWorker

    api = _Server(tmp / "api.sqlite3")
    client = ApiClient(api.url, credentials_path=tmp / "credentials.json", max_attempts=1)
    client.enroll(api.code, {"hostname": "bench", "kind": "totem", "app_version": "bench"})
    worker = SyncWorker(tmp / "cache.sqlite3", client, clock=Clock(), post=lambda *a, **k: None, **worker_args)
    first = worker.run_once()
    if first.error is not None:
        api.stop()
        raise RuntimeError(f"the first sync failed: {first.error}")
    return api, client, worker


@benchmark("sync_no_change", "≤ 50 ms", title="sync: no-change round (all 304)", judged_on="median_ms", limit=50)
def sync_no_change(session: Session) -> dict[str, Any]:
    """Median of 20 rounds (5 in quick mode) after 2 warm-up rounds."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as tmp:
        api, client, worker = _setup(Path(tmp), catalog_interval_s=0, slots_interval_s=0, keys_interval_s=1e9)
        try:
            samples, requests = [], 0
            for i in range(2 + (5 if session.quick else 20)):
                t0 = time.perf_counter()
                report = worker.run_once()
                elapsed = (time.perf_counter() - t0) * 1000
                if report.pull.changed or report.error is not None:
                    raise RuntimeError(f"expected a no-change round, got {report.pull.changed} {report.error}")
                if i >= 2:
                    samples.append(elapsed)
                requests = len(report.pull.unchanged)
        finally:
            worker_conn = worker._conn
            if worker_conn is not None:
                worker_conn.close()
            client.close()
            api.stop()
    figures = summarize(samples, "ms")
    figures["requests_per_round"] = requests
    return figures


@benchmark("sync_flush_1000", "≤ 5 s", title="sync: flush 1 000 queued actions", judged_on="flush_s", limit=5)
def sync_flush_1000(session: Session) -> dict[str, Any]:
    """One run (the server's database grows with each): 1 000 in full mode; 200 in quick mode,
    reported scaled to 1 000 (``flush_s``) beside the time measured."""
    from offline_cache.db import open_cache
    from offline_cache.outbox import Outbox

    count = QUICK_FLUSH if session.quick else FLUSH
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-flush-") as tmp:
        api, client, worker = _setup(Path(tmp), catalog_interval_s=1e9, slots_interval_s=1e9, keys_interval_s=1e9)
        ui = open_cache(Path(tmp) / "cache.sqlite3")
        try:
            outbox = Outbox(ui)
            now = datetime.now(UTC)
            wanted = now.replace(year=now.year + 1).isoformat()
            for _ in range(count):
                outbox.enqueue("booking_request", {"service_id": "svc-cni", "wanted_start": wanted, "channel": "kiosk",
                                                   "created_at": now.isoformat()}, personal=PERSON)
            worker.online = False   # the outage: the next round that gets through is a reconnect
            t0 = time.perf_counter()
            report = worker.run_once()
            elapsed = time.perf_counter() - t0
            left = outbox.depth()
        finally:
            ui.close()
            if worker._conn is not None:
                worker._conn.close()
            client.close()
            api.stop()
    if left or len(report.push.acknowledged) != count:
        raise RuntimeError(f"{left} actions left, {len(report.push.acknowledged)} acknowledged of {count}")
    return {"flush_s": round(elapsed * FLUSH / count, 3), "measured_s": round(elapsed, 3), "actions": count,
            "per_action_ms": round(elapsed / count * 1000, 2)}
