"""The outbox: a citizen's action is on disk before the screen says it is done.

Every call is one transaction, so a process killed at any instant leaves each row either
wholly written or absent, never half (the kill -9 test checks this). A row's UUID is the
Idempotency-Key the sync worker sends: resending after a crash cannot book twice.

Personal data (name, phone, e-mail) lives in ``outbox_personal``, apart from the payload,
so that it can be erased alone: at acknowledgement, and also at a final refusal (it will
never be sent again, and a lost totem must not carry it). Erasing overwrites the value,
deletes the row (``secure_delete`` zeroes the freed space) and truncates the WAL, whose old
page images would otherwise still hold it. Error texts stored for the admin screen are
scrubbed of the row's personal values, since a server message may quote them.

Life of a row: pending → acknowledged (2xx) or failed (final 4xx); a retry keeps it pending
with ``attempts + 1`` and a later ``next_attempt_at``.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from kiosk.api.action_kinds import KIND_NAMES
from offline_cache.catalog import utc_text
from offline_cache.db import OUTBOX_SCHEMA, checkpoint_truncate, write_transaction

# The kinds an outbox row may have: the registry's, declared once (kiosk.api.action_kinds).
KINDS = KIND_NAMES
BACKOFF_BASE_S = 5.0
BACKOFF_CAP_S = 15 * 60.0          # a terminal offline for a day still retries every quarter hour
RETRY_AFTER_MAX_S = 6 * 3600.0     # a server's Retry-After is honoured, within reason
MAX_TEXT = 500
ACKNOWLEDGED_KEPT = timedelta(days=7)   # delivered actions: the week's, for looking back at a counter
FAILED_KEPT = 200                       # refusals kept for the admin screen (it shows the newest 100)
FAILED_KEPT_AT_LEAST = timedelta(days=1)   # ... and every refusal of the last day, however many
# What the admin screen shows of an acknowledgement; anything else in the response is dropped.
SUMMARY_KEYS = ("id", "booking_id", "reference", "state", "queue_number", "counter", "estimated_wait_minutes",
                "tracking_code")   # a démarche filed offline: the number the town gave it on arrival


class _Clock(Protocol):
    def now(self) -> datetime: ...


def backoff_delay(attempts: int, rng: random.Random, *, base_s: float = BACKOFF_BASE_S,
                  cap_s: float = BACKOFF_CAP_S) -> float:
    """Seconds to wait after the ``attempts``-th failure: exponential, capped, "equal jitter".

    The ceiling doubles per attempt (base, 2·base, 4·base … cap); the delay is drawn in
    [ceiling/2, ceiling], so terminals that lost the network together do not all come back
    in the same second, and none retries sooner than half the ceiling.
    """
    if attempts < 1:
        raise ValueError("attempts counts failures, from 1")
    ceiling = min(cap_s, base_s * 2 ** min(attempts - 1, 60))
    return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


@dataclass(frozen=True)
class OutboxRow:
    uuid: str
    kind: str
    payload: dict[str, Any]
    personal: dict[str, Any] | None      # None once erased (or if there never was any)
    created_at: str
    state: str
    attempts: int
    next_attempt_at: str
    last_error: str | None
    server_status: int | None
    server_message: str | None
    server_summary: dict[str, Any] | None


def _scrub(text: str, personal: dict[str, Any] | None) -> str:
    """``text`` without any of the row's personal values (case-insensitive), shortened."""
    for value in _personal_values(personal):
        text = re.sub(re.escape(value), "[…]", text, flags=re.IGNORECASE)
    return text[:MAX_TEXT]


def _scrub_all(value: Any, personal: dict[str, Any] | None) -> Any:
    """Every string inside ``value`` (dicts, lists) scrubbed of the row's personal values."""
    if isinstance(value, str):
        return _scrub(value, personal)
    if isinstance(value, dict):
        return {str(k): _scrub_all(v, personal) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_all(v, personal) for v in value]
    return value


def _personal_values(personal: Any) -> list[str]:
    if isinstance(personal, dict):
        return [v for x in personal.values() for v in _personal_values(x)]
    if isinstance(personal, (list, tuple)):
        return [v for x in personal for v in _personal_values(x)]
    if personal is None or isinstance(personal, bool):
        return []
    value = str(personal).strip()
    return [value] if len(value) >= 2 else []


class Outbox:
    """The outbox on one connection (so: one thread, see :mod:`offline_cache.db`)."""

    def __init__(self, conn: sqlite3.Connection, clock: _Clock | None = None,
                 rng: random.Random | None = None) -> None:
        if clock is None:
            from kiosk.clock import Clock

            clock = Clock()
        self.conn, self.clock, self.rng = conn, clock, rng or random.Random()
        self._wal_to_purge = False
        # the outbox's own file when attached (offline_cache.db): its WAL only, not the catalog's
        attached = OUTBOX_SCHEMA in [r[1] for r in conn.execute("PRAGMA database_list")]
        self._schema = OUTBOX_SCHEMA if attached else None

    def enqueue(self, kind: str, payload: dict[str, Any], *, personal: dict[str, Any] | None,
                hold_s: float = 0.0) -> str:
        """Store an action durably; returns its UUID once committed (synchronous=FULL).

        ``hold_s``: the sync worker's ordinary rounds leave the row alone that long, while
        the service that wrote it tries to send it at once (:mod:`kiosk.services`); the
        service calls :meth:`release` when it gives up. A worker that sends it anyway (a
        reconnect sends everything) only costs an idempotent replay.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown outbox kind {kind!r}; one of {', '.join(KINDS)}")
        key = str(uuidlib.uuid4())
        now = self.clock.now()
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with write_transaction(self.conn):
            self.conn.execute("INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at) "
                              "VALUES (?, ?, ?, ?, ?)", (key, kind, body, utc_text(now),
                                                         utc_text(now + timedelta(seconds=max(0.0, hold_s)))))
            if personal:
                self.conn.execute("INSERT INTO outbox_personal (uuid, data) VALUES (?, ?)",
                                  (key, json.dumps(personal, ensure_ascii=False, sort_keys=True)))
        return key

    def due(self, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """Pending rows whose time has come, oldest first, with their personal data (to send)."""
        if self._wal_to_purge:
            self._purge_wal()
        rows = self.conn.execute(
            f"{_SELECT} WHERE o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.seq LIMIT ?",
            (utc_text(now), limit))
        return [_row(r) for r in rows]

    def release(self, key: str) -> None:
        """End a :meth:`enqueue` hold: the row is due now (if still pending)."""
        with write_transaction(self.conn):
            self.conn.execute("UPDATE outbox SET next_attempt_at = ? WHERE uuid = ? AND state = 'pending'",
                              (utc_text(self.clock.now()), key))

    def amend_payload(self, key: str, changes: dict[str, Any]) -> bool:
        """Add ``changes`` to a row's payload while it is still pending and was never answered;
        returns whether it was amended. For a value only known once the first sending failed
        before reaching the server (an offline queue number): a row already acknowledged keeps
        what the server saw."""
        with write_transaction(self.conn):
            row = self.conn.execute("SELECT payload FROM outbox WHERE uuid = ? AND state = 'pending' "
                                    "AND server_status IS NULL", (key,)).fetchone()
            if row is None:
                return False
            payload = {**json.loads(row[0]), **changes}
            self.conn.execute("UPDATE outbox SET payload = ? WHERE uuid = ?",
                              (json.dumps(payload, ensure_ascii=False, sort_keys=True), key))
        return True

    def get(self, key: str) -> OutboxRow | None:
        row = self.conn.execute(f"{_SELECT} WHERE o.uuid = ?", (key,)).fetchone()
        return _row(row) if row else None

    def mark_acknowledged(self, key: str, server_response: dict[str, Any] | None = None, *,
                          status: int | None = None) -> None:
        """The server accepted the action: keep a summary for the admin screen, erase personal data."""
        if not self.mark_acknowledged_many([(key, server_response, status)]):
            raise KeyError(f"no pending outbox row {key}")

    def mark_acknowledged_many(self, acks: list[tuple[str, dict[str, Any] | None, int | None]]) -> list[str]:
        """:meth:`mark_acknowledged` for many rows ``(key, server_response, status)`` in ONE
        transaction (one fsync, one WAL purge: what bounds flushing a backlog). Rows no longer
        pending (another thread wrote their verdict) are left alone; returns the keys marked."""
        done = []
        with write_transaction(self.conn):
            for key, response, status in acks:
                personal = self._personal(key)
                summary = {k: (_scrub(response[k], personal) if isinstance(response[k], str) else response[k])
                           for k in SUMMARY_KEYS if response and k in response}
                if self._finish(key, "acknowledged", status, None, summary, strict=False):
                    self._erase(key)
                    done.append(key)
        if done:
            self._purge_wal()
        return done

    def mark_retry(self, key: str, error: str, retry_after_s: float | None = None) -> datetime:
        """Sending failed for now (timeout, 5xx, 408, 429): try again later; returns when."""
        with write_transaction(self.conn):
            row = self.conn.execute("SELECT attempts, state FROM outbox WHERE uuid = ?", (key,)).fetchone()
            if row is None or row["state"] != "pending":
                raise KeyError(f"no pending outbox row {key}")
            attempts = row["attempts"] + 1
            if retry_after_s is not None:
                wait = min(max(retry_after_s, 0.0), RETRY_AFTER_MAX_S)
            else:
                wait = backoff_delay(attempts, self.rng)
            when = self.clock.now() + timedelta(seconds=wait)
            self.conn.execute("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE uuid = ?",
                              (attempts, utc_text(when), _scrub(error, self._personal(key)), key))
        return when

    def mark_failed(self, key: str, status: int, message: str, details: dict[str, Any] | None = None) -> None:
        """A final refusal (4xx other than 408/429): kept for the admin screen, personal data erased.

        ``details`` (the server's error code, message, a 409's alternatives...) is kept as
        ``server_summary``, scrubbed like the message, so the admin screen can show the
        refusal as data rather than parse the text."""
        with write_transaction(self.conn):
            personal = self._personal(key)
            self._finish(key, "failed", status, _scrub(message, personal),
                         _scrub_all(details, personal) if details is not None else None)
            self._erase(key)
        self._purge_wal()

    def depth(self) -> int:
        """Actions not yet acknowledged or refused (the header badge, the heartbeat)."""
        pending: int = self.conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        return pending

    def failed(self, limit: int = 100) -> list[OutboxRow]:
        """Refused actions, newest first, without personal data (there is none left)."""
        rows = self.conn.execute(f"{_SELECT} WHERE o.state = 'failed' ORDER BY o.seq DESC LIMIT ?", (limit,))
        return [_row(r) for r in rows]

    def prune(self, done_before: datetime) -> int:
        """Forget acknowledged rows finished before ``done_before`` (failed ones stay for the admin)."""
        with write_transaction(self.conn):
            cur = self.conn.execute("DELETE FROM outbox WHERE state = 'acknowledged' AND done_at < ?",
                                    (utc_text(done_before),))
        return cur.rowcount

    def trim(self, now: datetime) -> int:
        """Keep the outbox bounded on a terminal that runs for weeks: acknowledged rows older than
        :data:`ACKNOWLEDGED_KEPT` go (the day's check-ins are still looked up by the counter), and
        of the refusals older than :data:`FAILED_KEPT_AT_LEAST` only the newest :data:`FAILED_KEPT`
        stay for the admin screen (a day's refusals all stay: a technician looks at today's).
        Pending rows are never touched: they are citizens' actions not yet delivered."""
        with write_transaction(self.conn):
            old = self.conn.execute("DELETE FROM outbox WHERE state = 'acknowledged' AND done_at < ?",
                                    (utc_text(now - ACKNOWLEDGED_KEPT),)).rowcount
            extra = self.conn.execute(
                "DELETE FROM outbox WHERE state = 'failed' AND done_at < ? AND seq NOT IN "
                "(SELECT seq FROM outbox WHERE state = 'failed' ORDER BY seq DESC LIMIT ?)",
                (utc_text(now - FAILED_KEPT_AT_LEAST), FAILED_KEPT)).rowcount
        return old + extra

    def _purge_wal(self) -> None:
        """Truncate the WAL, which still holds erased values; if a reader prevents it, retry at next due()."""
        self._wal_to_purge = not checkpoint_truncate(self.conn, self._schema)

    # -- inside a transaction ------------------------------------------------------------
    def _personal(self, key: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM outbox_personal WHERE uuid = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _finish(self, key: str, state: str, status: int | None, message: str | None,
                summary: dict[str, Any] | None, strict: bool = True) -> bool:
        cur = self.conn.execute(
            "UPDATE outbox SET state = ?, done_at = ?, server_status = ?, server_message = ?, server_summary = ? "
            "WHERE uuid = ? AND state = 'pending'",
            (state, utc_text(self.clock.now()), status, message,
             json.dumps(summary, ensure_ascii=False) if summary is not None else None, key))
        if cur.rowcount != 1 and strict:
            raise KeyError(f"no pending outbox row {key}")
        return cur.rowcount == 1

    def _erase(self, key: str) -> None:
        # Overwrite in place first, then delete: with secure_delete the freed cell is zeroed too.
        self.conn.execute("UPDATE outbox_personal SET data = zeroblob(length(CAST(data AS BLOB))) WHERE uuid = ?",
                          (key,))
        self.conn.execute("DELETE FROM outbox_personal WHERE uuid = ?", (key,))


_SELECT = ("SELECT o.*, p.data AS personal FROM outbox o LEFT JOIN outbox_personal p ON p.uuid = o.uuid")


def _row(r: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        uuid=r["uuid"], kind=r["kind"], payload=json.loads(r["payload"]),
        personal=json.loads(r["personal"]) if r["personal"] is not None else None,
        created_at=r["created_at"], state=r["state"], attempts=r["attempts"],
        next_attempt_at=r["next_attempt_at"], last_error=r["last_error"], server_status=r["server_status"],
        server_message=r["server_message"],
        server_summary=json.loads(r["server_summary"]) if r["server_summary"] is not None else None)
