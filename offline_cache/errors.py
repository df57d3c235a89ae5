"""Why the offline cache cannot be used, as exceptions a technician's message rides on.

A module of its own so that opening the files (:mod:`offline_cache.db`) and migrating their
schemas (:mod:`offline_cache.migrations`), which call each other's way, both raise them
without importing each other.

The kinds are kept apart because each calls for a different act: a **damaged** catalog is
moved aside and rebuilt from the central API, a damaged outbox is moved aside and kept for
support, a **full disk** needs room (moving a healthy file aside would be wrong: it may hold
citizens' actions), a **missing folder** needs provisioning.
"""

from __future__ import annotations

from pathlib import Path


class CacheError(Exception):
    """The offline cache cannot be used; the message says what a technician should do."""


class CacheCorrupt(CacheError):
    """The file is not a usable SQLite database (garbage, truncated, damaged).

    ``path`` is the damaged file; ``part`` says which one: ``"catalog"`` (rebuilt from the
    central API) or ``"outbox"`` (citizens' actions: moved aside, never deleted)."""

    def __init__(self, message: str, *, path: Path | None = None, part: str = "catalog", reason: str = "") -> None:
        super().__init__(message)
        self.path, self.part, self.reason = path, part, reason or message


class DiskFull(CacheError):
    """The file system holding the cache has no room left (SQLite's SQLITE_FULL): nothing
    is damaged, nothing must be moved; new actions cannot be stored until room is made."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class FolderMissing(CacheError):
    """The cache's folder does not exist (a terminal not provisioned, or a lost mount)."""
