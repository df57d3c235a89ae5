"""The cache's two files meet a bad disk: a damaged catalog is rebuilt, a damaged outbox is kept
aside, a full disk is called a full disk — and no waiting action is lost or confirmed unsaved.

Real SQLite files damaged for real (random bytes, cut in the middle), a missing folder, and
SQLite's own SQLITE_FULL error (``PRAGMA max_page_count``: the file may not grow one page
more, exactly what a full file system does to it). The whole kiosk on a really full file
system is in test_disk_kiosk.py.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3

import pytest
from disk_support import random_bytes, truncate_half
from timebase import test_now

from kiosk.clock import ManualClock
from kiosk.devtools.offline_seed import fill_cache
from offline_cache import health
from offline_cache.db import open_cache, outbox_path, storage_error
from offline_cache.errors import CacheCorrupt, DiskFull, FolderMissing
from offline_cache.outbox import Outbox

START = test_now()
PERSON = {"person": {"last_name": "Quastenberg", "first_name": "Ève", "phone": "0611223344"}}


def _waiting(cache, n: int = 3) -> dict[str, dict]:
    """``n`` actions waiting in the outbox (one with personal data each): uuid -> personal."""
    conn = open_cache(cache)
    outbox = Outbox(conn, ManualClock(START), random.Random(1))
    keys = {outbox.enqueue("booking_request", {"service_id": "svc-cni", "n": i}, personal=PERSON): PERSON
            for i in range(n)}
    conn.close()
    return keys


def _still_waiting(cache) -> dict[str, dict | None]:
    conn = open_cache(cache, recover=True)
    try:
        outbox = Outbox(conn)
        return {r.uuid: r.personal for r in outbox.due(START.replace(year=START.year + 1), limit=1000)}
    finally:
        conn.close()


def _storage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "offline_cache" and r.levelno >= logging.WARNING]


@pytest.mark.parametrize("damage", ["random_bytes", "truncated"])
def test_a_damaged_catalog_is_moved_aside_and_rebuilt_while_the_outbox_is_kept(tmp_path, caplog, damage):
    cache = fill_cache(tmp_path / "cache.sqlite3", START)
    waiting = _waiting(cache)
    if damage == "random_bytes":
        data = random_bytes(cache)
    else:
        truncate_half(cache)
        data = cache.read_bytes()
    with caplog.at_level(logging.INFO):
        conn = open_cache(cache, recover=True)
    try:
        assert conn.execute("SELECT count(*) FROM services").fetchone()[0] == 0     # new, to be filled by a sync
        assert conn.execute("PRAGMA main.quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert _still_waiting(cache) == waiting                         # every waiting action, with its person
    moved = health.moved_aside(cache, "catalog")
    assert len(moved) == 1 and moved[0].read_bytes() == data         # kept as it was, not deleted
    lines = _storage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("offline cache catalog damaged")
    assert "moved aside" in lines[0] and "Quastenberg" not in caplog.text
    assert health.storage_state(cache)["state"] == "ok"             # nothing for a technician to do


def test_a_damaged_catalog_is_refused_without_recover_and_left_untouched(tmp_path):
    cache = tmp_path / "cache.sqlite3"
    data = random_bytes(cache)
    with pytest.raises(CacheCorrupt) as err:
        open_cache(cache)
    assert err.value.part == "catalog" and cache.read_bytes() == data


def test_a_cut_catalog_is_found_at_open_not_at_the_first_tap(tmp_path):
    """SQLite opens a file cut in the middle and fails only when a screen reads a missing page:
    the header's page count says it at once."""
    cache = fill_cache(tmp_path / "cache.sqlite3", START)
    truncate_half(cache)
    with pytest.raises(CacheCorrupt, match="truncated"):
        open_cache(cache)


def test_a_damaged_outbox_is_moved_aside_never_deleted_and_reported(tmp_path, caplog):
    cache = fill_cache(tmp_path / "cache.sqlite3", START)
    _waiting(cache)
    outbox_file = outbox_path(cache)
    data = random_bytes(outbox_file, size=20 * 1024)
    with caplog.at_level(logging.INFO):
        conn = open_cache(cache, recover=True)
    try:
        assert conn.execute("SELECT count(*) FROM services").fetchone()[0] > 0     # the catalog is untouched
        assert Outbox(conn).depth() == 0                                          # a new, empty outbox
        key = Outbox(conn, ManualClock(START)).enqueue("checkin", {"reference": "RDV-AAAA-BB"}, personal=None)
        assert Outbox(conn).get(key) is not None                                  # and it takes actions
    finally:
        conn.close()
    moved = health.moved_aside(cache, "outbox")
    assert len(moved) == 1 and moved[0].read_bytes() == data
    state = health.storage_state(cache)
    assert state["state"] == "outbox_moved_aside" and state["outbox_files_moved_aside"] == 1
    lines = _storage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("outbox damaged") and "kept for support" in lines[0]


def test_a_missing_folder_is_named_as_such(tmp_path):
    with pytest.raises(FolderMissing, match="the cache folder .* does not exist"):
        open_cache(tmp_path / "nowhere" / "cache.sqlite3", recover=True)
    assert not (tmp_path / "nowhere").exists()


def _full_outbox(cache) -> tuple[sqlite3.Connection, Outbox]:
    """A connection whose outbox file may not grow by one page: SQLite's real SQLITE_FULL."""
    conn = open_cache(cache)
    pages = conn.execute("PRAGMA actions.page_count").fetchone()[0]
    conn.execute(f"PRAGMA actions.max_page_count = {pages}")
    return conn, Outbox(conn, ManualClock(START))


def test_a_full_disk_is_called_a_full_disk_and_nothing_is_moved(tmp_path, caplog):
    cache = fill_cache(tmp_path / "cache.sqlite3", START)
    waiting = _waiting(cache, n=2)
    before = {p.name for p in tmp_path.iterdir()}
    conn, outbox = _full_outbox(cache)
    big = {"service_id": "svc-cni", "notes": "x" * 20_000}     # more than the pages left
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            outbox.enqueue("booking_request", big, personal=PERSON)
        problem = storage_error(raised.value, cache)
        assert isinstance(problem, DiskFull)
        assert "full" in str(problem) and "do not move" in str(problem) and "damaged or" not in str(problem)
        assert outbox.depth() == 2                                     # the refused one is not there, half or whole
        with caplog.at_level(logging.INFO):
            assert health.noticed(problem, cache) is True
            for _ in range(5):                                         # every tap, every round: said once
                assert health.noticed(storage_error(raised.value, cache), cache) is False
        assert health.storage_state(cache)["state"] == "full"
    finally:
        conn.close()
    assert {p.name for p in tmp_path.iterdir()} - {"cache.sqlite3-wal", "cache.sqlite3-shm"} <= before
    assert _still_waiting(cache) == waiting                            # nothing moved, nothing lost
    lines = _storage_lines(caplog)
    assert lines == [f"disk full: {problem}"]
    health.recovered(cache)
    assert health.storage_state(cache)["state"] == "ok"
    assert "disk has room again" in caplog.text


def test_personal_data_of_the_old_single_file_outbox_leaves_the_catalog(tmp_path):
    """After the move to a file of its own (schema v7), the catalog's bytes hold no citizen's data."""
    from offline_cache.migrations import migrate

    cache = tmp_path / "cache.sqlite3"
    conn = open_cache(cache, migrate=False)
    migrate(conn, target=6)
    conn.execute("INSERT INTO main.outbox (uuid, kind, payload, created_at, next_attempt_at) "
                 "VALUES ('u-1', 'booking', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO main.outbox_personal VALUES ('u-1', ?)", (json.dumps(PERSON),))
    migrate(conn)
    conn.close()
    assert b"Quastenberg" not in b"".join(p.read_bytes() for p in tmp_path.glob("cache.sqlite3*"))
    assert _still_waiting(cache)["u-1"] == PERSON
