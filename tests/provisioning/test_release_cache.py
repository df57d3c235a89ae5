"""The cache rule of update/rollback (provisioning.cache_backup) on real SQLite files.

The end-to-end tests (test_release_update.py) show it with the real kiosk and server; these show
each branch of the rule, including the refusals, quickly and on files a killed kiosk leaves.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from timebase import test_now

from kiosk.clock import ManualClock
from offline_cache.db import open_cache
from offline_cache.migrations import CURRENT_VERSION
from offline_cache.outbox import Outbox
from provisioning.cache_backup import BackupError, make_readable, read_meta, take

PERSON = {"person": {"last_name": "Martin", "first_name": "Anne", "phone": "0612345678"}}


def enqueue(cache: Path, count: int) -> list[str]:
    conn = open_cache(cache, migrate=False)
    try:
        outbox = Outbox(conn, ManualClock(test_now()))
        return [outbox.enqueue("booking_request", {"service_id": "svc", "n": i}, personal=PERSON)
                for i in range(count)]
    finally:
        conn.close()


def acknowledge(cache: Path, key: str) -> None:
    conn = open_cache(cache, migrate=False)
    try:
        Outbox(conn, ManualClock(test_now())).mark_acknowledged(key, {"id": "br-1"}, status=202)
    finally:
        conn.close()


def migrate_further(cache: Path, sql: str = "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'k'") -> None:
    """What a newer release's migration does: one more step, user_version + 1."""
    conn = sqlite3.connect(cache)
    conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()


def rows(cache: Path) -> tuple[int, dict[str, str], int]:
    conn = sqlite3.connect(cache)
    try:
        return (conn.execute("PRAGMA user_version").fetchone()[0], dict(conn.execute("SELECT uuid, state FROM outbox")),
                conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache.sqlite3"
    open_cache(path).close()
    return path


def test_the_backup_keeps_the_outbox_but_no_personal_data(cache, tmp_path):
    keys = enqueue(cache, 2)
    meta = take(cache, tmp_path / "backup", release="1.0.0")
    assert meta == {"release": "1.0.0", "schema": CURRENT_VERSION, "outbox_rows": 2}
    assert read_meta(tmp_path / "backup") == meta
    backup = tmp_path / "backup" / "cache.sqlite3"
    assert rows(backup) == (CURRENT_VERSION, dict.fromkeys(keys, "pending"), 0)
    assert b"0612345678" not in backup.read_bytes() and (backup.stat().st_mode & 0o777) == 0o600
    cache.unlink()                                  # no cache (yet, or any more): no backup either
    assert take(cache, tmp_path / "backup", release="1.1.0") is None and read_meta(tmp_path / "backup") is None


def test_a_cache_the_older_release_can_read_is_left_exactly_as_it_is(cache, tmp_path):
    enqueue(cache, 1)
    take(cache, tmp_path / "backup", release="1.0.0")
    enqueue(cache, 1)
    before = cache.read_bytes()
    assert make_readable(cache, tmp_path / "backup", CURRENT_VERSION) is None
    assert cache.read_bytes() == before


def test_a_migrated_cache_comes_back_with_the_newer_outbox(cache, tmp_path):
    waiting = enqueue(cache, 2)
    take(cache, tmp_path / "backup", release="1.0.0")
    migrate_further(cache)                          # the newer release starts…
    acknowledge(cache, waiting[0])                  # …sends one of the waiting actions…
    created = enqueue(cache, 1)                     # …and a citizen adds one
    line = make_readable(cache, tmp_path / "backup", CURRENT_VERSION)
    assert line == (f"cache brought back to schema {CURRENT_VERSION} (backup taken before release 1.0.0 was left); "
                    "its outbox is the newer one's: 3 action(s) kept")
    version, states, personal = rows(cache)
    assert version == CURRENT_VERSION
    assert states == {waiting[0]: "acknowledged", waiting[1]: "pending", created[0]: "pending"}
    assert personal == 2                            # the acknowledged one's was erased by the newer release
    conn = open_cache(cache)                        # the older release opens it, and sends in the same order
    try:
        due = Outbox(conn).due(test_now().replace(year=test_now().year + 1))
        assert [row.uuid for row in due] == [waiting[1], created[0]] and due[0].personal == PERSON
    finally:
        conn.close()


def test_the_wal_of_a_killed_kiosk_is_taken_into_account(cache, tmp_path):
    take(cache, tmp_path / "backup", release="1.0.0")
    migrate_further(cache)
    # A writer that commits and dies without checkpointing: its rows are only in the WAL.
    script = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
              "c.execute('PRAGMA wal_autocheckpoint=0'); "
              "c.execute(\"INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at) VALUES "
              "('k-1', 'booking_request', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')\"); os._exit(0)")
    subprocess.run([sys.executable, "-c", script, str(cache)], check=True)
    assert Path(f"{cache}-wal").stat().st_size > 0
    make_readable(cache, tmp_path / "backup", CURRENT_VERSION)
    assert rows(cache)[1] == {"k-1": "pending"}
    assert not Path(f"{cache}-wal").exists() or Path(f"{cache}-wal").stat().st_size == 0


def test_without_a_usable_backup_nothing_is_changed(cache, tmp_path):
    migrate_further(cache)
    before = cache.read_bytes()
    with pytest.raises(BackupError, match=f"the cache has schema {CURRENT_VERSION + 1}, the release to start knows "
                                          f"{CURRENT_VERSION} at most, and no backup of an older cache is kept"):
        make_readable(cache, tmp_path / "backup", CURRENT_VERSION)
    assert cache.read_bytes() == before


def test_an_outbox_the_older_release_could_not_take_is_refused_whole(cache, tmp_path):
    enqueue(cache, 1)
    take(cache, tmp_path / "backup", release="1.0.0")
    # A newer release that rebuilt the outbox without a column the older one requires.
    conn = sqlite3.connect(cache)
    conn.executescript("PRAGMA foreign_keys=OFF; CREATE TABLE outbox_new AS SELECT seq, uuid, payload, created_at, "
                       "state, attempts, next_attempt_at FROM outbox; DROP TABLE outbox; "
                       "ALTER TABLE outbox_new RENAME TO outbox;")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = cache.read_bytes()
    with pytest.raises(BackupError, match="the newer cache's outbox has no kind column"):
        make_readable(cache, tmp_path / "backup", CURRENT_VERSION)
    assert cache.read_bytes() == before
    assert not (tmp_path / "backup" / ".restore.sqlite3").exists()
