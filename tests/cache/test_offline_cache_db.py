"""Opening the cache: pragmas, damaged files, the one-connection-per-thread rule, WAL readers."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from offline_cache.catalog import replace_catalog
from offline_cache.db import CacheCorrupt, CacheError, integrity_problems, open_cache, write_transaction
from offline_cache.migrations import CURRENT_VERSION, schema_version


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cache.sqlite3"


def test_new_file_is_migrated_with_durable_settings(db_path):
    conn = open_cache(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert schema_version(conn) == CURRENT_VERSION
        assert integrity_problems(conn) == []
    finally:
        conn.close()


def test_reopening_keeps_data(db_path):
    conn = open_cache(db_path)
    replace_catalog(conn, "agendas", [{"id": "ag-1", "name": "Guichet 1"}])
    conn.close()
    conn = open_cache(db_path, check=True)
    try:
        assert [r["id"] for r in conn.execute("SELECT id FROM agendas")] == ["ag-1"]
    finally:
        conn.close()


@pytest.mark.parametrize("content", [b"this is not a database at all " * 200, b"\x00" * 4096 + b"\xff" * 100,
                                     b"SQLite format 3\x00" + b"\xee" * 3000])
def test_garbage_file_gives_a_clear_error(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(CacheCorrupt) as err:
        open_cache(db_path)
    message = str(err.value)
    assert str(db_path) in message and "move this file aside" in message
    assert db_path.read_bytes() == content  # never overwritten: it may hold unsent actions


def test_damaged_pages_are_found_by_the_check(db_path):
    conn = open_cache(db_path)
    replace_catalog(conn, "pages", [{"id": f"p{i}", "title": f"Page {i}", "body": "x" * 3000} for i in range(50)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # scribble over every page but the first two
        data[offset:offset + 64] = b"\xa5" * 64
    db_path.write_bytes(bytes(data))
    with pytest.raises(CacheCorrupt):
        conn = open_cache(db_path, check=True)
        conn.close()


def test_a_connection_cannot_be_used_from_another_thread(db_path):
    conn = open_cache(db_path)
    errors = []

    def use():
        try:
            conn.execute("SELECT 1")
        except sqlite3.ProgrammingError as exc:
            errors.append(exc)

    worker = threading.Thread(target=use)
    worker.start()
    worker.join()
    conn.close()
    assert len(errors) == 1


def test_reader_is_not_blocked_by_a_writer_mid_transaction(db_path):
    """The UI thread reads while the sync worker is inside a bulk write: it sees the last commit."""
    writer = open_cache(db_path)
    replace_catalog(writer, "agendas", [{"id": "ag-1", "name": "Ancien nom"}])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE agendas SET name = 'Nouveau nom'")
    writer.execute("INSERT INTO agendas (id, name) VALUES ('ag-2', 'Guichet 2')")
    seen = {}

    def ui_thread():
        reader = open_cache(db_path)
        try:
            reader.execute("PRAGMA busy_timeout = 0")  # would fail at once if the read had to wait
            seen["rows"] = [tuple(r) for r in reader.execute("SELECT id, name FROM agendas ORDER BY id")]
        finally:
            reader.close()

    thread = threading.Thread(target=ui_thread)
    thread.start()
    thread.join(10)
    writer.execute("COMMIT")
    writer.close()
    assert seen["rows"] == [("ag-1", "Ancien nom")]


def test_write_transaction_is_all_or_nothing_and_nests(db_path):
    conn = open_cache(db_path)
    try:
        with pytest.raises(RuntimeError), write_transaction(conn):
            conn.execute("INSERT INTO agendas (id) VALUES ('a')")
            raise RuntimeError("network lost mid-sync")
        assert conn.execute("SELECT count(*) FROM agendas").fetchone()[0] == 0
        with write_transaction(conn):
            conn.execute("INSERT INTO agendas (id) VALUES ('b')")
            # a savepoint: only this part is undone
            with pytest.raises(sqlite3.IntegrityError), write_transaction(conn):
                conn.execute("INSERT INTO agendas (id) VALUES ('c')")
                conn.execute("INSERT INTO agendas (id) VALUES ('c')")
        assert [r[0] for r in conn.execute("SELECT id FROM agendas")] == ["b"]
        assert not conn.in_transaction
    finally:
        conn.close()


def test_missing_directory_gives_a_clear_error(tmp_path):
    with pytest.raises(CacheError, match="directory exists"):
        open_cache(tmp_path / "no-such-dir" / "cache.sqlite3")


def test_opening_waits_for_a_writer_before_switching_a_new_file_to_wal(tmp_path):
    """While another connection writes to a new file (as the first opener does when it migrates
    it), SQLite fails the switch to WAL at once, without its busy handler: the cache waits for the
    lock itself, so the app and the sync worker may open a new cache at the same moment."""
    path = tmp_path / "new.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")                                     # a writer holds the file
    threading.Timer(0.3, other.commit).start()
    conn = open_cache(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
        other.close()
