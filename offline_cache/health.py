"""What is wrong with the cache's storage, said once, for the log, the admin screen and the heartbeat.

A full disk or a damaged file is met by every thread that touches the cache (the screens,
the actions runner, the sync worker), over and over: each of them calls :func:`noticed`,
and only a *change* is logged — one line when the disk becomes full, one when it has room
again — instead of a traceback per tap and per sync round.

State is kept per cache folder (so that two terminals' caches in one test run, or a test's
full disk, never colour another's report). Outbox files moved aside are not a passing
state but files on the disk: :func:`storage_state` lists them every time, so a restart does
not forget them and only a technician (who moves them away after support read them) clears
the report.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from offline_cache.db import DAMAGED, moved_aside
from offline_cache.errors import CacheCorrupt, CacheError, DiskFull

log = logging.getLogger("offline_cache")

STATES = ("ok", "full", "outbox_moved_aside", "unavailable")   # the heartbeat's words, worst last but one
__all__ = ["DAMAGED", "STATES", "is_full", "moved_aside", "noticed", "recovered", "storage_state"]

_lock = threading.Lock()
_full: dict[Path, str] = {}           # folder -> the message of the disk-full error
_unusable: dict[Path, str] = {}       # folder -> why the cache cannot be opened at all


def noticed(exc: CacheError, cache_path: Path) -> bool:
    """Record ``exc`` met while using the cache at ``cache_path``; True when it is news (logged)."""
    folder = cache_path.resolve().parent
    with _lock:
        if isinstance(exc, DiskFull):
            if folder in _full:
                return False
            _full[folder] = str(exc)
            log.error("disk full: %s", exc)
            return True
        if isinstance(exc, CacheCorrupt):
            return False   # moved aside where it was found (offline_cache.db), logged there
        reason = f"{type(exc).__name__}: {exc}"
        if _unusable.get(folder) == reason:
            return False
        _unusable[folder] = reason
        log.error("offline cache unavailable: %s", exc)
        return True


def is_full(cache_path: Path) -> bool:
    with _lock:
        return cache_path.resolve().parent in _full


def recovered(cache_path: Path) -> None:
    """A write to the cache at ``cache_path`` just worked: a full disk has room again."""
    folder = cache_path.resolve().parent
    with _lock:
        was_full = _full.pop(folder, None) is not None
        _unusable.pop(folder, None)
    if was_full:
        log.warning("disk has room again: the offline cache in %s is written to again", folder)


def storage_state(cache_path: Path) -> dict[str, Any]:
    """``{"state", "outbox_files_moved_aside", "detail"}`` for the heartbeat and the admin screen.

    ``state``: ``unavailable`` (the cache cannot be opened: folder missing, unreadable),
    ``full`` (no room: new actions are refused, not lost), ``outbox_moved_aside`` (a damaged
    outbox file waits for support), else ``ok``."""
    folder = cache_path.resolve().parent
    with _lock:
        full, unusable = _full.get(folder), _unusable.get(folder)
    outboxes = moved_aside(cache_path, "outbox")
    if unusable is not None or not folder.is_dir():
        state, detail = "unavailable", unusable or f"no folder {folder}"
    elif full is not None:
        state, detail = "full", full
    elif outboxes:
        state, detail = "outbox_moved_aside", ", ".join(p.name for p in outboxes[-3:])
    else:
        state, detail = "ok", ""
    return {"state": state, "outbox_files_moved_aside": len(outboxes), "detail": detail[:300]}


