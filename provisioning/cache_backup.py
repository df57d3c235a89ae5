"""The cache across an update and a rollback: no citizen action lost, none sent twice.

The rule (README « Updates and rollbacks »):

1. Before a new release starts, with the kiosk stopped, the cache is copied with SQLite's backup
   API (consistent whatever the WAL holds) to ``/var/lib/kiosk/update-backup/``, with its schema
   version (``PRAGMA user_version``) and the release that wrote it. The copy keeps no personal
   data: ``outbox_personal`` is erased in it (rule 3 never needs it).
2. Going back to a release (a failed health check, or ``rollback``): if that release can read the
   cache's schema (it was not migrated), the cache is left exactly as it is — it holds every
   action, with the verdicts the newer release received.
3. If the newer release migrated the schema beyond what the older one knows (an older kiosk
   refuses a newer file, :mod:`offline_cache.migrations`), the backup comes back, and **the whole
   outbox is taken from the newer file** (the columns both schemas know): actions created since
   the backup are there, actions sent meanwhile keep their « acknowledged » verdict, so nothing is
   lost and nothing sent again. Everything else (catalog, slots, keys) is the backup's, refreshed
   at the next sync. Without a usable backup the switch is refused, and nothing is changed.

Every replacement is whole or nothing: the new file is built beside, made durable, and renamed
over the cache after the old file's WAL was checkpointed, so a power cut leaves one or the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from provisioning.common import atomic_write

OUTBOX_TABLES = ("outbox", "outbox_personal")   # parent first (personal rows reference outbox rows)


class BackupError(Exception):
    """The cache cannot be backed up or brought back; nothing was changed (one plain line)."""


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    conn.execute("PRAGMA secure_delete=ON")   # what is deleted here is zeroed in the file
    return conn


def schema(conn: sqlite3.Connection, db: str = "main") -> int:
    version: int = conn.execute(f"PRAGMA {db}.user_version").fetchone()[0]
    return version


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _has_table(conn: sqlite3.Connection, db: str, table: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {db}.sqlite_master WHERE type = 'table' AND name = ?",
                        (table,)).fetchone() is not None


def read_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / "backup.json").read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and (folder / "cache.sqlite3").is_file() else None


def take(cache: Path, folder: Path, *, release: str) -> dict[str, Any] | None:
    """Back up ``cache`` (the kiosk stopped) into ``folder``; None when there is no cache yet."""
    if not cache.is_file():   # nothing to keep; an older backup would stand for a cache that is gone
        for name in ("backup.json", "cache.sqlite3"):
            (folder / name).unlink(missing_ok=True)
        return None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = folder / ".cache.sqlite3.tmp"
    tmp.unlink(missing_ok=True)
    try:
        src = _connect(cache)
        try:
            dst = _connect(tmp)
            try:
                src.backup(dst)
                version = schema(dst)
                outbox = 0
                if _has_table(dst, "main", "outbox"):
                    outbox = dst.execute("SELECT count(*) FROM outbox").fetchone()[0]
                if _has_table(dst, "main", "outbox_personal"):
                    dst.execute("UPDATE outbox_personal SET data = zeroblob(length(CAST(data AS BLOB)))")
                    dst.execute("DELETE FROM outbox_personal")
                dst.execute("PRAGMA journal_mode=DELETE")   # one self-contained file
                dst.execute("VACUUM")
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(tmp, 0o600)
        _fsync(tmp)
        os.replace(tmp, folder / "cache.sqlite3")
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"cannot back up the cache {cache} before the update ({exc}); nothing was changed") from exc
    meta = {"release": release, "schema": version, "outbox_rows": outbox}
    atomic_write(folder / "backup.json", json.dumps(meta).encode(), 0o600)
    return meta


def _columns(conn: sqlite3.Connection, db: str, table: str) -> list[tuple[str, bool]]:
    """(name, required: NOT NULL without default and not the rowid) of each column."""
    return [(r[1], bool(r[3]) and r[4] is None and not r[5]) for r in conn.execute(f"PRAGMA {db}.table_info({table})")]


def make_readable(cache: Path, folder: Path, target_schema: int) -> str | None:
    """Rule 2 or 3 for a release that knows cache schemas up to ``target_schema``; returns a line
    saying what was done when the cache was replaced, None when it was left as it is."""
    if not cache.is_file():
        return None
    conn = _connect(cache)
    try:
        found = schema(conn)
    finally:
        conn.close()
    if found <= target_schema:
        return None
    meta = read_meta(folder)
    if meta is None or not isinstance(meta.get("schema"), int) or meta["schema"] > target_schema:
        raise BackupError(f"the cache has schema {found}, the release to start knows {target_schema} at most, and "
                          f"no backup of an older cache is kept in {folder}: not switching")
    restored = folder / ".restore.sqlite3"
    restored.unlink(missing_ok=True)
    try:
        kept = _merge(folder / "cache.sqlite3", cache, restored)
        # The newer file's WAL goes into its main file (and the WAL file away) before the rename:
        # a WAL left beside would be replayed into the restored file.
        conn = _connect(cache)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
        if busy:
            raise BackupError(f"the cache {cache} is still in use: stop the kiosk first")
        for suffix in ("-wal", "-shm"):
            side = cache.with_name(cache.name + suffix)
            if side.exists() and side.stat().st_size and suffix == "-wal":
                raise BackupError(f"the cache's journal {side} could not be emptied; nothing was changed")
            side.unlink(missing_ok=True)
        os.chmod(restored, cache.stat().st_mode & 0o777)
        _fsync(restored)
        os.replace(restored, cache)
        _fsync(cache.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot bring the cache back to schema {meta['schema']} ({exc}); nothing was changed") \
            from exc
    finally:
        restored.unlink(missing_ok=True)
    return (f"cache brought back to schema {meta['schema']} (backup taken before release {meta['release']} "
            f"was left); its outbox is the newer one's: {kept} action(s) kept")


def _merge(backup: Path, newer: Path, into: Path) -> int:
    """``into`` := the backup, with the outbox tables of ``newer``; returns the outbox rows kept."""
    src = _connect(backup)
    try:
        conn = _connect(into)
        try:
            src.backup(conn)
        finally:
            conn.close()
    finally:
        src.close()
    conn = _connect(into)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("ATTACH DATABASE ? AS newer", (str(newer),))
        statements: list[str] = []
        for table in OUTBOX_TABLES:
            if not (_has_table(conn, "main", table) and _has_table(conn, "newer", table)):
                raise BackupError(f"the {table} table is missing from the backup or the cache; nothing was changed")
            theirs = {name for name, _required in _columns(conn, "newer", table)}
            ours = _columns(conn, "main", table)
            lost = [name for name, required in ours if required and name not in theirs]
            if lost:
                raise BackupError(f"the newer cache's {table} has no {', '.join(lost)} column: the older release "
                                  "cannot take its rows; nothing was changed")
            names = ", ".join(f'"{name}"' for name, _required in ours if name in theirs)
            order = " ORDER BY seq" if "seq" in theirs and table == "outbox" else ""   # first come, first sent
            statements.append(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM newer.{table}{order}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in reversed(OUTBOX_TABLES):
                if table == "outbox_personal":
                    conn.execute("UPDATE main.outbox_personal SET data = zeroblob(length(CAST(data AS BLOB)))")
                conn.execute(f"DELETE FROM main.{table}")
            for sql in statements:
                conn.execute(sql)
            kept = conn.execute("SELECT count(*) FROM main.outbox").fetchone()[0]
            expected = conn.execute("SELECT count(*) FROM newer.outbox").fetchone()[0]
            personal = conn.execute("SELECT count(*) FROM main.outbox_personal").fetchone()[0]
            if (kept, personal) != (expected, conn.execute("SELECT count(*) FROM newer.outbox_personal").fetchone()[0]):
                raise BackupError("the outbox could not be copied whole; nothing was changed")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE newer")
    finally:
        conn.close()
    return int(kept)
