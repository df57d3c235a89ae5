"""A terminal's cache filled from the real reference server, the way a terminal fills it:
the demo town seeded at a fixed instant, served on loopback, the kiosk's own API client
enrolled with a one-time code, and the sync worker's catalog pull writing the cache.

Filled once per test run per instant and copied for each test (seeding and syncing 200
places takes a second or two)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import PARIS
from kiosk.demo_api import admin
from kiosk.demo_api.holidays import is_holiday
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync.pull import Puller, PullReport
from offline_cache.db import open_cache


def quiet_tuesday_morning(after: datetime) -> datetime:
    """The city scenarios' instant, derived from the test instant: 9 h 30 on the first Tuesday on or
    after ``after``'s day (Paris) whose next 15 days hold no public holiday and no change of clocks,
    outside the pool's summer season (June to August). The town's week then reads as the scenarios
    tell it (« Fermé · ouvre demain à 14 h », the library's inventory from Friday); every date in
    their words is computed from this instant."""
    day = after.astimezone(PARIS).date()
    while True:
        if day.weekday() == 1:
            window = [day + timedelta(days=n) for n in range(16)]
            start = datetime.combine(day, time(9, 30), PARIS)
            offsets = {datetime.combine(d, time(12), PARIS).utcoffset() for d in window}
            if (not any(is_holiday(d) for d in window) and len(offsets) == 1
                    and not any(d.month in (6, 7, 8) for d in window)):
                return start
        day += timedelta(days=1)


# 9 h 30 on a quiet Tuesday in Saint-Clément-des-Vignes, from KIOSK_TEST_NOW (tests/timebase.py)
SEEDED_AT = quiet_tuesday_morning(test_now())
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
