"""The cache rule of update/rollback (provisioning.cache_backup) on real SQLite files.

The cache is two files: the catalog and the outbox file (offline_cache.db); releases before
catalog schema 7 kept the outbox in the catalog. The end-to-end tests (test_release_update.py)
show the rule with the real kiosk and server; these show each branch of it, including the
refusals, quickly and on files a killed kiosk leaves.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from timebase import test_now

from kiosk.clock import ManualClock
from offline_cache.db import open_cache, outbox_path
from offline_cache.migrations import CURRENT_VERSION, OUTBOX_STEPS, migrate
from offline_cache.outbox import Outbox
from provisioning.cache_backup import BackupError, make_readable, read_meta, take

PERSON = {"person": {"last_name": "Martin", "first_name": "Anne", "phone": "0612345678"}}
OUTBOX_VERSION = OUTBOX_STEPS[-1][0]
KNOWN = (CURRENT_VERSION, OUTBOX_VERSION)   # what this checkout's release knows


def plain(path: Path) -> sqlite3.Connection:
    """A connection to one file, whatever its schema (a newer release's file, an older layout)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def enqueue(path: Path, count: int) -> list[str]:
    """Actions written into the file holding the outbox tables (the outbox file, or an old catalog)."""
    conn = plain(path)
    try:
        outbox = Outbox(conn, ManualClock(test_now()))
        return [outbox.enqueue("booking_request", {"service_id": "svc", "n": i}, personal=PERSON)
                for i in range(count)]
    finally:
        conn.close()


def acknowledge(path: Path, key: str) -> None:
    conn = plain(path)
    try:
        Outbox(conn, ManualClock(test_now())).mark_acknowledged(key, {"id": "br-1"}, status=202)
    finally:
        conn.close()


def bump(path: Path, sql: str) -> None:
    """What a newer release's migration does to one file: one more step, user_version + 1."""
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {version + 1}")
    conn.commit()
    conn.close()


def rows(path: Path) -> tuple[int, dict[str, str], int]:
    conn = sqlite3.connect(path)
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
    keys = enqueue(outbox_path(cache), 2)
    meta = take(cache, tmp_path / "backup", release="1.0.0")
    assert meta == {"release": "1.0.0", "schema": CURRENT_VERSION, "outbox_schema": OUTBOX_VERSION, "outbox_rows": 2}
    assert read_meta(tmp_path / "backup") == meta
    backup = tmp_path / "backup" / "outbox.sqlite3"
    assert rows(backup) == (OUTBOX_VERSION, dict.fromkeys(keys, "pending"), 0)
    assert b"0612345678" not in backup.read_bytes() and (backup.stat().st_mode & 0o777) == 0o600
    for path in (cache, outbox_path(cache)):
        path.unlink()                               # no cache (yet, or any more): no backup either
    assert take(cache, tmp_path / "backup", release="1.1.0") is None and read_meta(tmp_path / "backup") is None


def test_files_the_older_release_can_read_are_left_exactly_as_they_are(cache, tmp_path):
    enqueue(outbox_path(cache), 1)
    take(cache, tmp_path / "backup", release="1.0.0")
    enqueue(outbox_path(cache), 1)
    before = cache.read_bytes(), outbox_path(cache).read_bytes()
    assert make_readable(cache, tmp_path / "backup", KNOWN) is None
    assert (cache.read_bytes(), outbox_path(cache).read_bytes()) == before


def test_a_migrated_outbox_comes_back_with_the_newer_rows(cache, tmp_path):
    outbox = outbox_path(cache)
    waiting = enqueue(outbox, 2)
    take(cache, tmp_path / "backup", release="1.0.0")
    bump(outbox, "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'")   # the newer release…
    acknowledge(outbox, waiting[0])                 # …sends one of the waiting actions…
    created = enqueue(outbox, 1)                    # …and a citizen adds one
    catalog_before = cache.read_bytes()
    line = make_readable(cache, tmp_path / "backup", KNOWN)
    assert line == ("cache brought back (backup taken before release 1.0.0 was left): outbox back to schema "
                    f"{OUTBOX_VERSION}, 3 action(s) kept — the outbox is the newer one's")
    version, states, personal = rows(outbox)
    assert version == OUTBOX_VERSION
    assert states == {waiting[0]: "acknowledged", waiting[1]: "pending", created[0]: "pending"}
    assert personal == 2                            # the acknowledged one's was erased by the newer release
    assert cache.read_bytes() == catalog_before      # the catalog it could read is untouched
    conn = open_cache(cache)                        # the older release opens it, and sends in the same order
    try:
        due = Outbox(conn).due(test_now().replace(year=test_now().year + 1))
        assert [row.uuid for row in due] == [waiting[1], created[0]] and due[0].personal == PERSON
    finally:
        conn.close()


def test_a_migrated_catalog_comes_back_and_the_outbox_file_is_not_touched(cache, tmp_path):
    enqueue(outbox_path(cache), 1)
    take(cache, tmp_path / "backup", release="1.0.0")
    bump(cache, "CREATE TABLE release_notes (id TEXT PRIMARY KEY)")
    outbox_before = outbox_path(cache).read_bytes()
    line = make_readable(cache, tmp_path / "backup", KNOWN)
    assert line is not None and f"catalog back to schema {CURRENT_VERSION}" in line
    conn = sqlite3.connect(cache)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    conn.close()
    assert outbox_path(cache).read_bytes() == outbox_before


def test_back_to_a_release_that_kept_the_outbox_in_its_catalog(tmp_path):
    """A release before catalog schema 7: its catalog file holds the outbox; the newer one moved it out."""
    cache = tmp_path / "cache.sqlite3"
    conn = plain(cache)
    conn.execute("PRAGMA journal_mode=WAL")
    migrate(conn, target=6)                         # the older release's layout
    conn.close()
    waiting = enqueue(cache, 2)
    take(cache, tmp_path / "backup", release="0.9.0")
    open_cache(cache).close()                       # the newer release: the outbox moves to its own file
    assert rows(outbox_path(cache))[1] == dict.fromkeys(waiting, "pending")
    acknowledge(outbox_path(cache), waiting[0])
    created = enqueue(outbox_path(cache), 1)
    line = make_readable(cache, tmp_path / "backup", (6, None))
    assert line is not None and "catalog and outbox back to schema 6, 3 action(s) kept" in line
    assert rows(cache) == (6, {waiting[0]: "acknowledged", waiting[1]: "pending", created[0]: "pending"}, 2)
    assert not outbox_path(cache).exists()          # merged back: nothing left for a later release to copy again

    # Forward again (the newer release once more): its migration moves exactly those rows out.
    take(cache, tmp_path / "backup", release="0.9.0")
    open_cache(cache).close()
    assert rows(outbox_path(cache))[1] == {waiting[0]: "acknowledged", waiting[1]: "pending", created[0]: "pending"}


def test_the_wal_of_a_killed_kiosk_is_taken_into_account(cache, tmp_path):
    outbox = outbox_path(cache)
    take(cache, tmp_path / "backup", release="1.0.0")
    bump(outbox, "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'")
    # A writer that commits and dies without checkpointing: its rows are only in the WAL.
    script = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
              "c.execute('PRAGMA wal_autocheckpoint=0'); "
              "c.execute(\"INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at) VALUES "
              "('k-1', 'booking_request', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')\"); os._exit(0)")
    subprocess.run([sys.executable, "-c", script, str(outbox)], check=True)
    assert Path(f"{outbox}-wal").stat().st_size > 0
    make_readable(cache, tmp_path / "backup", KNOWN)
    assert rows(outbox)[1] == {"k-1": "pending"}
    assert not Path(f"{outbox}-wal").exists() or Path(f"{outbox}-wal").stat().st_size == 0


def test_without_a_usable_backup_nothing_is_changed(cache, tmp_path):
    bump(outbox_path(cache), "ALTER TABLE outbox ADD COLUMN channel TEXT")
    before = cache.read_bytes(), outbox_path(cache).read_bytes()
    with pytest.raises(BackupError, match=f"the cache has schema {OUTBOX_VERSION + 1}, newer than the release to "
                                          "start knows, and no backup of an older cache is kept"):
        make_readable(cache, tmp_path / "backup", KNOWN)
    assert (cache.read_bytes(), outbox_path(cache).read_bytes()) == before


def test_an_outbox_the_older_release_could_not_take_is_refused_whole(cache, tmp_path):
    outbox = outbox_path(cache)
    enqueue(outbox, 1)
    take(cache, tmp_path / "backup", release="1.0.0")
    # A newer release that rebuilt the outbox without a column the older one requires.
    conn = sqlite3.connect(outbox)
    conn.executescript("PRAGMA foreign_keys=OFF; CREATE TABLE outbox_new AS SELECT seq, uuid, payload, created_at, "
                       "state, attempts, next_attempt_at FROM outbox; DROP TABLE outbox; "
                       "ALTER TABLE outbox_new RENAME TO outbox;")
    conn.execute(f"PRAGMA user_version = {OUTBOX_VERSION + 1}")
    conn.commit()
    conn.close()
    before = outbox.read_bytes()
    with pytest.raises(BackupError, match="the newer cache's outbox has no kind column"):
        make_readable(cache, tmp_path / "backup", KNOWN)
    assert outbox.read_bytes() == before
    assert not (tmp_path / "backup" / ".restore-outbox.sqlite3").exists()
