"""The cache across an update and a rollback: no citizen action lost, none sent twice.

The cache is two files (:mod:`offline_cache.db`): the catalog ``cache.sqlite3`` (can always be
downloaded again) and the outbox ``cache.outbox.sqlite3`` (citizens' actions); releases before
catalog schema 7 kept the outbox tables in the catalog file. Each file has its schema version
(``PRAGMA user_version``), and an older kiosk refuses a file newer than it knows.

The rule (README « Updates and rollbacks »):

1. Before a new release starts, with the kiosk stopped, both files are copied with SQLite's backup
   API (consistent whatever the WAL holds) to ``/var/lib/kiosk/update-backup/``, with their schema
   versions. The copies keep no personal data (``outbox_personal`` is erased in them): rule 3
   never needs it.
2. Going back to a release: every file that release can read is left exactly as it is.
3. A file migrated beyond what it knows is replaced by its backup; and **the outbox is always
   taken whole from the newer file** (the columns both schemas know, in the same order) and put
   where the older release keeps it (its outbox file, or its catalog file before schema 7; the
   outbox file is then removed): actions created since the backup are there, actions sent
   meanwhile keep their « acknowledged », so nothing is lost and nothing sent again. The catalog
   is the backup's, refreshed at the next sync. Without a usable backup the switch is refused,
   and nothing is changed.

Every replacement is whole or nothing: the new file is built beside, made durable, and renamed
over the old one after its WAL was checkpointed, so a power cut leaves one or the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from offline_cache.db import outbox_path
from provisioning.common import atomic_write

OUTBOX_TABLES = ("outbox", "outbox_personal")   # parent first (personal rows reference outbox rows)
CATALOG, OUTBOX = "cache.sqlite3", "outbox.sqlite3"   # the backup's two files


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
    return meta if isinstance(meta, dict) and (folder / CATALOG).is_file() else None


def _copy(src_path: Path, into: Path) -> tuple[int, int]:
    """``into`` := a private copy of ``src_path`` without personal data; returns (schema, outbox rows)."""
    into.unlink(missing_ok=True)
    src = _connect(src_path)
    try:
        dst = _connect(into)
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
    os.chmod(into, 0o600)
    _fsync(into)
    return version, int(outbox)


def take(cache: Path, folder: Path, *, release: str) -> dict[str, Any] | None:
    """Back up the cache's files (the kiosk stopped) into ``folder``; None when there is no cache yet."""
    for name in ("backup.json", CATALOG, OUTBOX):   # a backup stands for the cache as it is now, or not at all
        (folder / name).unlink(missing_ok=True)
    if not cache.is_file():
        return None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    outbox = outbox_path(cache)
    meta: dict[str, Any] = {"release": release, "schema": None, "outbox_schema": None, "outbox_rows": 0}
    try:
        if outbox.is_file() and _keeps_outbox(cache):
            # An outbox file beside a catalog that still holds the outbox is left from an earlier
            # rollback: stale. A release with the outbox file would copy it in first: set it aside.
            _set_aside(outbox)
        meta["schema"], rows = _copy(cache, folder / f".{CATALOG}.tmp")
        os.replace(folder / f".{CATALOG}.tmp", folder / CATALOG)
        if outbox.is_file():
            meta["outbox_schema"], rows = _copy(outbox, folder / f".{OUTBOX}.tmp")
            os.replace(folder / f".{OUTBOX}.tmp", folder / OUTBOX)
        meta["outbox_rows"] = rows
    except sqlite3.Error as exc:
        for name in (CATALOG, OUTBOX):
            (folder / f".{name}.tmp").unlink(missing_ok=True)
        raise BackupError(f"cannot back up the cache {cache} before the update ({exc}); nothing was changed") from exc
    atomic_write(folder / "backup.json", json.dumps(meta).encode(), 0o600)
    return meta


def _keeps_outbox(catalog: Path) -> bool:
    conn = _connect(catalog)
    try:
        return _has_table(conn, "main", "outbox")
    finally:
        conn.close()


def _set_aside(path: Path) -> None:
    """Rename a stale outbox file (and its -wal, -shm) out of the kiosk's way; kept for support."""
    for suffix in ("-wal", "-shm", ""):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(side.with_name(f"{path.name}.superseded{suffix}"))


def _columns(conn: sqlite3.Connection, db: str, table: str) -> list[tuple[str, bool]]:
    """(name, required: NOT NULL without default and not the rowid) of each column."""
    return [(r[1], bool(r[3]) and r[4] is None and not r[5]) for r in conn.execute(f"PRAGMA {db}.table_info({table})")]


def _version(path: Path) -> int | None:
    if not path.is_file():
        return None
    conn = _connect(path)
    try:
        return schema(conn)
    finally:
        conn.close()


def _swap(built: Path, path: Path) -> None:
    """Put ``built`` in place of ``path``: the old file's WAL into it first (and away: a WAL left
    beside would be replayed into the new file), then one rename."""
    if path.is_file():
        conn = _connect(path)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
        if busy:
            raise BackupError(f"the cache {path} is still in use: stop the kiosk first")
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise BackupError(f"the cache's journal {wal} could not be emptied; nothing was changed")
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.chmod(built, path.stat().st_mode & 0o777)
    _fsync(built)
    os.replace(built, path)
    _fsync(path.parent)


def make_readable(cache: Path, folder: Path, target: tuple[int, int | None]) -> str | None:
    """Rule 2 or 3 for a release that knows catalog schemas up to ``target[0]`` and outbox-file
    schemas up to ``target[1]`` (None: it keeps the outbox in its catalog); returns a line saying
    what was done, None when the files were left as they are."""
    catalog_known, outbox_known = target
    outbox = outbox_path(cache)
    catalog_version, outbox_version = _version(cache), _version(outbox)
    if catalog_version is None or catalog_version <= catalog_known:
        catalog_version = None                      # readable (or absent): left as it is
    if outbox_known is not None and (outbox_version is None or outbox_version <= outbox_known):
        outbox_version = None
    if catalog_version is None and outbox_version is None:
        return None
    meta = read_meta(folder) or {}
    backup_schema, backup_outbox = meta.get("schema"), meta.get("outbox_schema")
    if not isinstance(backup_schema, int) or backup_schema > catalog_known or (
            outbox_version is not None and outbox_known is not None
            and (not isinstance(backup_outbox, int) or backup_outbox > outbox_known)):
        found = catalog_version if catalog_version is not None else outbox_version
        raise BackupError(f"the cache has schema {found}, newer than the release to start knows, and no backup of "
                          f"an older cache is kept in {folder}: not switching")
    done: list[str] = []
    try:
        if outbox_known is None:
            # The older release keeps the outbox in its catalog: the backup's, with the newer outbox in it.
            source = outbox if outbox.is_file() else cache
            kept = _merge(folder / CATALOG, source, folder / ".restore.sqlite3")
            _swap(folder / ".restore.sqlite3", cache)
            for suffix in ("", "-wal", "-shm"):
                outbox.with_name(outbox.name + suffix).unlink(missing_ok=True)
            done.append(f"catalog and outbox back to schema {backup_schema}, {kept} action(s) kept")
        else:
            if catalog_version is not None:
                _restore_catalog(folder / CATALOG, folder / ".restore.sqlite3")
                _swap(folder / ".restore.sqlite3", cache)
                done.append(f"catalog back to schema {backup_schema}")
            if outbox_version is not None:
                kept = _merge(folder / OUTBOX, outbox, folder / ".restore-outbox.sqlite3")
                _swap(folder / ".restore-outbox.sqlite3", outbox)
                done.append(f"outbox back to schema {backup_outbox}, {kept} action(s) kept")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot bring the cache back ({exc}); nothing was changed") from exc
    finally:
        for name in (".restore.sqlite3", ".restore-outbox.sqlite3"):
            (folder / name).unlink(missing_ok=True)
    return (f"cache brought back (backup taken before release {meta.get('release')} was left): "
            + "; ".join(done) + " — the outbox is the newer one's")


def _restore_catalog(backup: Path, into: Path) -> None:
    """The backup's catalog for a release with an outbox file. A catalog from before the outbox
    file still has outbox tables: emptied, since the outbox file holds the truth (that release's
    migration would copy stale rows into it)."""
    src = _connect(backup)
    try:
        conn = _connect(into)
        try:
            src.backup(conn)
            conn.execute("PRAGMA journal_mode=DELETE")
            if _has_table(conn, "main", "outbox_personal"):
                conn.execute("UPDATE outbox_personal SET data = zeroblob(length(CAST(data AS BLOB)))")
                conn.execute("DELETE FROM outbox_personal")
            if _has_table(conn, "main", "outbox"):
                conn.execute("DELETE FROM outbox")
        finally:
            conn.close()
    finally:
        src.close()


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
