"""Opening the cache, and the transactions every writer uses.

Two files, one connection. The catalog (``cache.sqlite3``: services, places, slots, keys,
sync state) can always be downloaded again; the outbox (``cache.outbox.sqlite3`` beside it:
citizens' actions not yet acknowledged) cannot. So they live apart: the outbox file is
ATTACHed to every connection as schema ``actions`` (its tables keep their names, so
``SELECT … FROM outbox`` finds them), and a damage to one never costs the other. With
``recover=True`` (what the terminal uses) a damaged catalog is moved aside and a new one
is made, filled at the next synchronisation; a damaged outbox is moved aside too — never
deleted: support may still read it — reported (:mod:`offline_cache.health`) and a new
one is made, so the terminal goes on taking actions. A full disk is neither: it is
raised as :class:`DiskFull`, and nothing is moved.

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
in free pages. Both are set for each of the two files.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from offline_cache.errors import CacheCorrupt, CacheError, DiskFull, FolderMissing

log = logging.getLogger("offline_cache")
BUSY_TIMEOUT_S = 5.0
OUTBOX_SCHEMA = "actions"
KEEP_DAMAGED_CATALOGS = 3   # older damaged catalog copies are deleted (they hold nothing that is not on the server)
_HEADER = b"SQLite format 3\x00"
DAMAGED = ".damaged-"       # infix of a file moved aside: cache.sqlite3.damaged-20261203T221500Z

_savepoints = itertools.count()
_recovery = threading.Lock()             # one thread at a time moves a damaged file aside
_generations: dict[Path, int] = {}


def outbox_path(cache_path: str | Path) -> Path:
    """The outbox file of the cache at ``cache_path``: ``cache.sqlite3`` → ``cache.outbox.sqlite3``."""
    path = Path(cache_path)
    return path.with_name(f"{path.stem}.outbox{path.suffix or '.sqlite3'}")


def generation(cache_path: str | Path) -> int:
    """Changes each time a damaged file of this cache is replaced: a holder of an older
    connection (opened on the damaged file) opens a new one."""
    return _generations.get(Path(cache_path).resolve(), 0)


def _is_full(exc: BaseException, path: Path) -> bool:
    """SQLITE_FULL, or an I/O error on a file system with (almost) no room left."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name == "SQLITE_FULL" or "database or disk is full" in str(exc):
        return True
    if name.startswith("SQLITE_IOERR") or isinstance(exc, OSError):
        try:
            return shutil.disk_usage(path.parent).free < 64 * 1024
        except OSError:
            return False
    return False


def _full(path: Path, exc: BaseException) -> DiskFull:
    return DiskFull(f"The disk holding the offline cache {path.parent} is full ({exc}). Nothing is damaged: "
                    "do not move the cache files (the outbox holds citizens' actions not yet sent). Make room on "
                    "that file system (old logs, journal); the kiosk resumes by itself.", path=path)


def _corrupt(path: Path, exc: BaseException, part: str = "catalog") -> CacheError:
    """What an error met while opening says: a full disk, a damaged file — or neither (locked,
    an I/O error, no permission), which must never move a healthy file aside."""
    if _is_full(exc, path):
        return _full(path, exc)
    name = str(getattr(exc, "sqlite_errorname", ""))
    if isinstance(exc, sqlite3.OperationalError) and not name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return CacheError(f"The offline cache {path} cannot be used now ({exc}): check the disk, the file's owner "
                          "and mode; nothing was moved.")
    if part == "outbox":
        advice = ("It holds citizens' actions not yet sent: the kiosk moves it aside (never deletes it) and "
                  "starts a new one; keep the old file for support.")
    else:
        advice = ("Stop the kiosk, move this file aside (do not delete it: a cache from an older release may hold "
                  "citizens' actions not yet sent — keep it for support), then start the kiosk again: a new cache is "
                  "created and filled at the next synchronisation.")
    return CacheCorrupt(f"The offline cache {path} is damaged or is not a SQLite database ({exc}). {advice}",
                        path=path, part=part, reason=str(exc)[:200])


def _header_and_size(path: Path) -> tuple[bytes, int] | None:
    try:
        with path.open("rb") as f:
            header = f.read(100)
        return header, path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheError(f"Cannot read the offline cache {path} ({exc}): check its owner and mode.") from exc


def _wal_in_use(path: Path) -> bool:
    """A write-ahead log with content beside the file. It may vanish while we look (the last
    connection of another thread closing checkpoints and deletes it): gone counts as absent."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _truncated(header: bytes, size: int) -> str | None:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]   # the page count is trustworthy (SQLite's own rule)
    if valid and pages and size < pages * page_size:
        return f"truncated: {size} bytes, {pages} pages of {page_size}"
    return None


def _check_header(path: Path, part: str) -> None:
    """A file shorter than its header says (cut by a full disk or a bad copy) is damaged, though
    SQLite opens it and fails only at the first read of a missing page."""
    measured = _header_and_size(path)
    if measured is None:
        return
    header, size = measured
    if len(header) < 100 or not header.startswith(_HEADER):
        # Not judged here: read without SQLite's locks, a file another thread is creating right
        # now looks empty or headless for a moment (its header read before the size measured).
        # SQLite reads it under its locks next, and says « not a database » when it is not one.
        return
    if _wal_in_use(path):
        return   # a checkpoint may be copying pages in (page 1 first): only SQLite can judge the pair
    if _truncated(header, size) is None:
        return
    # Looked at again once the log is known to be gone: a checkpoint of another connection may
    # have been between its first page and its last when the file was first measured. A healthy
    # file must never be called damaged (it would be moved aside).
    measured = _header_and_size(path)
    if measured is None or _wal_in_use(path):
        return
    problem = _truncated(*measured)
    if problem is not None:
        raise _corrupt(path, sqlite3.DatabaseError(problem), part)


def _wal_mode(conn: sqlite3.Connection, path: Path, schema: str = "main", part: str = "catalog") -> str:
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
            mode = str(conn.execute(f"PRAGMA {schema}.journal_mode").fetchone()[0])
            if mode.lower() != "wal":
                mode = str(conn.execute(f"PRAGMA {schema}.journal_mode=WAL").fetchone()[0])
            return mode
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise _corrupt(path, exc, part) from exc
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        except sqlite3.DatabaseError as exc:
            raise _corrupt(path, exc, part) from exc


def _connect(path: Path) -> sqlite3.Connection:
    if not path.parent.is_dir():
        raise FolderMissing(f"the cache folder {path.parent} does not exist: create it, owned by the kiosk user "
                            "(kiosk-provision install does); the terminal works without its data until then "
                            "(check that the directory exists and that the kiosk user may write there)")
    try:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True)
    except sqlite3.OperationalError as exc:
        raise CacheError(f"Cannot open the offline cache {path} ({exc}): check that its directory exists "
                         "and that the kiosk user may write there.") from exc


def _durable(conn: sqlite3.Connection, schema: str) -> None:
    conn.execute(f"PRAGMA {schema}.synchronous=FULL")
    conn.execute(f"PRAGMA {schema}.secure_delete=ON")


def _prepare_outbox(path: Path) -> None:
    """Create or upgrade the outbox file on a connection of its own (its schema versions are its own)."""
    from offline_cache.migrations import OUTBOX_STEPS, migrate

    _check_header(path, "outbox")
    conn = _connect(path)
    try:
        mode = _wal_mode(conn, path, part="outbox")
        if mode.lower() != "wal":
            raise CacheError(f"The outbox {path} cannot use WAL mode (got {mode!r}); put it on the local disk.")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _durable(conn, "main")
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]   # a small file: cheap, and it matters
        if problems != ["ok"]:
            raise _corrupt(path, sqlite3.DatabaseError("; ".join(problems[:5])), "outbox")
        migrate(conn, steps=OUTBOX_STEPS, path=path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        raise _corrupt(path, exc, "outbox") from exc
    finally:
        conn.close()


def _open(path: Path, migrate: bool, check: bool) -> sqlite3.Connection:
    outbox = outbox_path(path)
    _prepare_outbox(outbox)
    _check_header(path, "catalog")
    conn = _connect(path)
    try:
        conn.row_factory = sqlite3.Row
        mode = _wal_mode(conn, path)
        if mode.lower() != "wal":
            raise CacheError(f"The offline cache {path} cannot use WAL mode (got {mode!r}); "
                             "is it on a network or read-only file system? Put it on the local disk.")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _durable(conn, "main")
        try:
            conn.execute(f"ATTACH DATABASE ? AS {OUTBOX_SCHEMA}", (str(outbox),))
            _durable(conn, OUTBOX_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise _corrupt(outbox, exc, "outbox") from exc
        if check:
            try:
                problems = [r[0] for r in conn.execute("PRAGMA main.quick_check")]
            except sqlite3.DatabaseError as exc:
                raise _corrupt(path, exc) from exc
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


def _move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal and -shm) to ``<name>.damaged-<UTC time>``; returns the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}{DAMAGED}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{DAMAGED}{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):   # the database last: until then a reader still finds it whole
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.rename(target.with_name(target.name + suffix))
    return target


def moved_aside(cache_path: str | Path, part: str) -> list[Path]:
    """Files of ``part`` (``"catalog"`` or ``"outbox"``) moved aside in the cache's folder, oldest first."""
    main = outbox_path(cache_path) if part == "outbox" else Path(cache_path)
    try:
        return sorted(p for p in main.parent.glob(main.name + DAMAGED + "*") if not p.name.endswith(("-wal", "-shm")))
    except OSError:
        return []


def _prune_damaged_catalogs(path: Path) -> None:
    """Only the newest few damaged catalogs are kept: a disk that keeps breaking must not fill up with them."""
    for old in moved_aside(path, "catalog")[:-KEEP_DAMAGED_CATALOGS]:
        for suffix in ("", "-wal", "-shm"):
            old.with_name(old.name + suffix).unlink(missing_ok=True)


def _replace_damaged(exc: CacheCorrupt, cache_path: Path) -> None:
    damaged = exc.path or cache_path
    try:
        moved = _move_aside(damaged)
    except OSError as err:
        raise CacheError(f"{exc} — and it cannot be moved aside ({err}).") from exc
    key = cache_path.resolve()
    _generations[key] = _generations.get(key, 0) + 1
    if exc.part == "outbox":
        log.error("outbox damaged (%s): moved aside to %s and kept for support — the actions it holds are not "
                  "sent until support recovers them; a new outbox is used from now on", exc.reason, moved)
    else:
        log.error("offline cache catalog damaged (%s): moved aside to %s; a new one is filled from the central API "
                  "at the next synchronisation (waiting actions are in the outbox, untouched)",
                  exc.reason, moved.name)
        _prune_damaged_catalogs(cache_path)


def open_cache(path: str | Path, *, migrate: bool = True, check: bool = False,
               recover: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the cache at ``path`` and its outbox, for the calling thread.

    Migrations are applied here so that no code ever reads an old schema. ``check=True``
    also runs ``PRAGMA quick_check`` on the catalog (a full read of the file: for start-up
    self-tests and `kiosk-provision check`, not for every open; the small outbox file is
    checked at every open). ``recover=True``: a damaged file is moved aside and replaced
    (see the module's docstring) instead of raised; :class:`DiskFull`, :class:`FolderMissing`
    and other :class:`CacheError` are raised either way.
    """
    path = Path(path)
    try:
        return _open(path, migrate, check)
    except CacheCorrupt:
        if not recover:
            raise
    with _recovery:   # one thread replaces; the others, waiting here, then open what it made
        for _attempt in range(3):   # the catalog and the outbox may both be damaged
            try:
                return _open(path, migrate, check)
            except CacheCorrupt as exc:
                _replace_damaged(exc, path)
        return _open(path, migrate, check)


def storage_error(exc: BaseException, path: str | Path) -> CacheError:
    """An ``sqlite3`` error met while using the cache at ``path``, as the exception tree says it."""
    if isinstance(exc, CacheError):
        return exc
    path = Path(path)
    if _is_full(exc, path):
        return _full(path, exc)
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc) or "not a database" in str(exc):
        return _corrupt(path, exc)
    return CacheError(f"The offline cache {path} failed: {type(exc).__name__}: {exc}")


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


def checkpoint_truncate(conn: sqlite3.Connection, schema: str | None = None) -> bool:
    """Copy the WAL into the database file and truncate the WAL to zero bytes.

    Old page images (for instance of personal data just erased) stay in the WAL file until
    it is overwritten or truncated; this removes them. Returns False when a reader still
    uses the WAL (the UI thread mid-query): then call it again later. ``schema``: only that
    file (the outbox's, after erasing personal data), not the catalog's large WAL too.
    """
    prefix = f"{schema}." if schema else ""
    busy, _log, _done = conn.execute(f"PRAGMA {prefix}wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy == 0)
