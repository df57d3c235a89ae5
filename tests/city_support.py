"""A terminal's cache filled from the real reference server, the way a terminal fills it:
the demo town seeded at a fixed instant, served on loopback, the kiosk's own API client
enrolled with a one-time code, and the sync worker's catalog pull writing the cache.

Filled once per test run per instant and copied for each test (seeding and syncing 200
places takes a second or two)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from kiosk.api.client import ApiClient
from kiosk.clock import PARIS
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync.pull import Puller, PullReport
from offline_cache.db import open_cache

# Tuesday 1 December 2026, 9 h 30 in Saint-Clément-des-Vignes (the screenshots' instant)
SEEDED_AT = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
TERMINAL = {"hostname": "borne-place-mairie", "kind": "totem", "app_version": "1.4.0"}
_FILLED: dict[datetime, Path] = {}


def _fill(path: Path, at: datetime) -> None:
    workdir = path.parent
    server_clock = ManualClock(at)
    db_path = workdir / "demo-api.sqlite3"
    with running_server(db_path, server_clock) as base:
        client = ApiClient(base, credentials_path=workdir / "credentials.json", now=lambda: at, max_attempts=1)
        try:
            client.enroll(admin.create_enrolment_code(db_path, server_clock), TERMINAL)
            conn = open_cache(path)
            try:
                report = PullReport()
                Puller().catalog(conn, client, at, report)
                assert report.changed == ["catalog"], report
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        finally:
            client.close()


def seeded_cache(dest: Path, at: datetime = SEEDED_AT) -> Path:
    """A copy of the demo town's synchronised cache at ``dest`` (a file path)."""
    template = _FILLED.get(at)
    if template is None:
        template = Path(tempfile.mkdtemp(prefix="city-cache-")) / "cache.sqlite3"
        _fill(template, at)
        _FILLED[at] = template
    shutil.copyfile(template, dest)
    return dest
