"""Requests looked up at this terminal, kept for offline answers — by keyed hash only.

A tracking number is the only key to a citizen's file, so the cache never stores one:
rows are found by HMAC-SHA256 of the normalised number under a secret that belongs to
this terminal and lives outside the cache file. Someone who copies the file learns
neither which numbers exist nor, without the secret, how to test a guess. The status
stored is the public one the central API returns to anyone with the number (type,
steps, message), minus the number itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from datetime import datetime
from typing import Any

from offline_cache.catalog import utc_text
from offline_cache.db import write_transaction


def code_mac(secret: bytes, code: str) -> str:
    return hmac.new(secret, code.strip().upper().encode("ascii"), hashlib.sha256).hexdigest()


def remember(conn: sqlite3.Connection, secret: bytes, code: str, status: dict[str, Any],
             info_at: datetime, now: datetime) -> None:
    """Keep (or refresh) the public status of ``code``; the number itself is dropped."""
    public = {k: v for k, v in status.items() if k != "tracking_code"}
    with write_transaction(conn):
        conn.execute("INSERT INTO tracked_requests (code_mac, status, info_at, stored_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(code_mac) DO UPDATE SET status=excluded.status, info_at=excluded.info_at, "
                     "stored_at=excluded.stored_at",
                     (code_mac(secret, code), json.dumps(public, ensure_ascii=False, default=str),
                      utc_text(info_at), utc_text(now)))


def recall(conn: sqlite3.Connection, secret: bytes, code: str) -> tuple[dict[str, Any], str] | None:
    """The stored public status of ``code`` and when the central API last updated it, or None."""
    row = conn.execute("SELECT status, info_at FROM tracked_requests WHERE code_mac=?",
                       (code_mac(secret, code),)).fetchone()
    if row is None:
        return None
    return json.loads(row["status"]), row["info_at"]


def forget(conn: sqlite3.Connection, secret: bytes, code: str) -> bool:
    """The central API no longer knows ``code``: do not answer for it offline either."""
    with write_transaction(conn):
        cur = conn.execute("DELETE FROM tracked_requests WHERE code_mac=?", (code_mac(secret, code),))
    return cur.rowcount > 0


def prune(conn: sqlite3.Connection, stored_before: datetime) -> int:
    """Drop statuses not looked up since ``stored_before``: an old answer misleads more than none."""
    with write_transaction(conn):
        cur = conn.execute("DELETE FROM tracked_requests WHERE stored_at < ?", (utc_text(stored_before),))
    return cur.rowcount
