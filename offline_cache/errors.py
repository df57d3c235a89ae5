"""Why the offline cache cannot be used, as exceptions a technician's message rides on.

A module of its own so that opening the file (:mod:`offline_cache.db`) and migrating its
schema (:mod:`offline_cache.migrations`), which call each other's way, both raise them
without importing each other.
"""

from __future__ import annotations


class CacheError(Exception):
    """The offline cache cannot be used; the message says what a technician should do."""


class CacheCorrupt(CacheError):
    """The file is not a usable SQLite database (garbage, truncated, damaged)."""
