"""Opening the cache file, and the transactions every writer uses.

Threading rule — one connection per thread, never shared:

* the **UI thread** opens its own connection and reads from it (catalog, slots, place
  search); it also writes outbox rows, each in one short transaction, because a citizen's
  action must be durable before the screen says it is done;
* the **sync worker** opens its own connection for the bulk writes (catalog, slots, keys,
  sync state) and for marking outbox rows sent.

WAL mode is what makes this work: readers never block the writer and the writer never
blocks readers; a reader sees the last committed state, never half of a sync. Two writers
do wait for each other (up to ``BUSY_TIMEOUT_S``), which is why the worker keeps each bulk
write to one quick transaction. ``check_same_thread`` stays on, so handing a connection to
another thread raises at once instead of corrupting a transaction in flight.

``synchronous=FULL``: a commit returns only after the WAL is on disk, so an acknowledged
outbox row survives a power cut (NORMAL could lose the last commits). ``secure_delete=ON``:
deleted content (erased personal data) is overwritten with zeros in the file, not left
in free pages.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from offline_cache.errors import CacheCorrupt, CacheError

BUSY_TIMEOUT_S = 5.0

_savepoints = itertools.count()


def _corrupt(path: Path, exc: Exception) -> CacheCorrupt:
    return CacheCorrupt(
        f"The offline cache {path} is damaged or is not a SQLite database ({exc}). "
        "Stop the kiosk, move this file aside (do not delete it: its outbox may hold citizens' actions "
        "not yet sent — keep it for support), then start the kiosk again: a new cache is created and "
        "filled at the next synchronisation.")


def _wal_mode(conn: sqlite3.Connection, path: Path) -> str:
    """The file's journal mode, switched to WAL if it is not yet.

    Ask first: switching needs an exclusive lock, so a file already in WAL — every start but
    the first — is not switched again while another process writes or recovers it. And wait
    for that lock ourselves: SQLite does not call the busy handler for this switch, so when
    the app and the sync worker open a new cache at the same moment, the second one would
    fail at once with « database is locked » instead of waiting ``BUSY_TIMEOUT_S``.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
            if mode.lower() != "wal":
                mode = str(conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
            return mode
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise _corrupt(path, exc) from exc
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        except sqlite3.DatabaseError as exc:
            raise _corrupt(path, exc) from exc


def open_cache(path: str | Path, *, migrate: bool = True, check: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the cache at ``path`` for the calling thread.

    Migrations are applied here so that no code ever reads an old schema. ``check=True``
    also runs ``PRAGMA quick_check`` (a full read of the file: for start-up self-tests and
    `kiosk-provision check`, not for every open).
    """
    path = Path(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True)
    except sqlite3.OperationalError as exc:
        raise CacheError(f"Cannot open the offline cache {path} ({exc}): check that its directory exists "
                         "and that the kiosk user may write there.") from exc
    try:
        conn.row_factory = sqlite3.Row
        mode = _wal_mode(conn, path)
        if mode.lower() != "wal":
            raise CacheError(f"The offline cache {path} cannot use WAL mode (got {mode!r}); "
                             "is it on a network or read-only file system? Put it on the local disk.")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if check:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise _corrupt(path, sqlite3.DatabaseError("; ".join(problems[:5])))
        if migrate:
            from offline_cache.migrations import migrate as apply_migrations

            try:
                apply_migrations(conn, path=path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise
                raise _corrupt(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing: ``BEGIN IMMEDIATE … COMMIT``, or a savepoint when already inside one.

    IMMEDIATE takes the write lock at the start, so a writer waits (busy timeout) before doing
    any work instead of failing half-way with "database is locked". Nesting lets the sync worker
    group several bulk writes (catalog, places, sync state) into one atomic change.
    """
    if conn.in_transaction:
        name = f"sp{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """``[]`` when ``PRAGMA integrity_check`` says ok, else its first messages."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    return [] if rows == ["ok"] else rows


def checkpoint_truncate(conn: sqlite3.Connection) -> bool:
    """Copy the WAL into the database file and truncate the WAL to zero bytes.

    Old page images (for instance of personal data just erased) stay in the WAL file until
    it is overwritten or truncated; this removes them. Returns False when a reader still
    uses the WAL (the UI thread mid-query): then call it again later.
    """
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy == 0)
