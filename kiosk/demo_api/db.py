"""SQLite storage of the reference server: schema, connections, version counters.

Why this shape:

* Catalog entities are stored as JSON bodies with a ``version`` taken from one global
  counter and a ``deleted`` flag (tombstone): a ``?since=`` cursor is then just "versions
  greater than N", and deletions are never forgotten, so a delta is always complete.
* Slots carry their own ``version`` (global ``slot_version`` counter) for the same reason,
  and ``agendas.version`` names the latest change of one agenda: it is the ETag.
* Every HTTP connection (one thread) opens its own SQLite connection (``check_same_thread``
  stays on, threads never share one) in autocommit mode, and writes run inside ``BEGIN IMMEDIATE`` so the write
  lock is taken *before* reading what the write depends on (places left, idempotency keys).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE catalog(kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY(kind, id));
CREATE INDEX catalog_by_version ON catalog(version);
CREATE TABLE agendas(id TEXT PRIMARY KEY, name TEXT NOT NULL, counter TEXT NOT NULL,
    letter TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE slots(id TEXT PRIMARY KEY, agenda_id TEXT NOT NULL REFERENCES agendas(id),
    start TEXT NOT NULL, end TEXT NOT NULL, start_ts INTEGER NOT NULL,
    capacity INTEGER NOT NULL, booked INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    CHECK (booked >= 0 AND booked <= capacity));
CREATE INDEX slots_by_time ON slots(agenda_id, start_ts);
CREATE INDEX slots_by_version ON slots(agenda_id, version);
CREATE TABLE enrolment_codes(code_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT, device_id TEXT);
CREATE TABLE devices(id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, facts TEXT NOT NULL,
    enrolled_at TEXT NOT NULL, revoked_at TEXT, config_overrides TEXT NOT NULL DEFAULT '{}',
    last_heartbeat TEXT);
CREATE TABLE heartbeats(device_id TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE bookings(id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
    service_id TEXT NOT NULL, slot_id TEXT NOT NULL, agenda_id TEXT NOT NULL,
    last_name_key TEXT NOT NULL, person TEXT NOT NULL, terminal_id TEXT NOT NULL,
    device_id TEXT NOT NULL, created_at TEXT NOT NULL, checkin_token TEXT NOT NULL,
    updated_at TEXT NOT NULL, queue_number TEXT);
CREATE TABLE booking_requests(id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL, service_id TEXT NOT NULL, wanted_start TEXT NOT NULL,
    wanted_slot_id TEXT, person TEXT NOT NULL, terminal_id TEXT NOT NULL,
    device_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE idempotency(device_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY(device_id, key));
CREATE INDEX idempotency_by_age ON idempotency(created_at);
CREATE TABLE tracking(code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE signing_keys(kid TEXT PRIMARY KEY, private_key BLOB NOT NULL, public_key TEXT NOT NULL,
    not_before TEXT NOT NULL, not_after TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
# The queues (issue 12), created with IF NOT EXISTS on every start: a demo database from before
# them gains the tables and keeps the rest (they hold only the day's queue, nothing to migrate).
QUEUE_SCHEMA = """
CREATE TABLE IF NOT EXISTS number_blocks(day TEXT NOT NULL, device_id TEXT NOT NULL,
    first INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY(day, device_id), UNIQUE(day, first));
CREATE TABLE IF NOT EXISTS queue_entries(id TEXT PRIMARY KEY, day TEXT NOT NULL, letter TEXT NOT NULL,
    number INTEGER NOT NULL, queue_number TEXT NOT NULL, service_id TEXT NOT NULL, kind TEXT NOT NULL,
    booking_id TEXT UNIQUE, start TEXT, arrived_at TEXT NOT NULL, arrived_ts REAL NOT NULL,
    device_id TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'waiting', calls INTEGER NOT NULL DEFAULT 0,
    counter TEXT, first_call_ts REAL, handled_s REAL, handled_ts REAL,
    UNIQUE(day, queue_number), CHECK (calls BETWEEN 0 AND 3));
CREATE INDEX IF NOT EXISTS queue_entries_waiting ON queue_entries(day, service_id, state);
CREATE TABLE IF NOT EXISTS calls(seq INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES queue_entries(id), queue_number TEXT NOT NULL, letter TEXT NOT NULL,
    counter TEXT NOT NULL, service_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, at_ts REAL NOT NULL);
CREATE INDEX IF NOT EXISTS calls_by_day ON calls(day, seq);
CREATE TABLE IF NOT EXISTS agent_tokens(token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
"""

# The démarches (issue 16), created with IF NOT EXISTS on every start like the queues. Every version
# of a form ever published is kept (a person finishes on the version they started); the current one
# is also in ``catalog`` (kind 'form'). A démarche's answers and contact (personal data) live in its
# row only: its tracking row and the logs never hold them.
DEMARCHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS form_versions(form_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
    published_at TEXT NOT NULL, PRIMARY KEY(form_id, version));
CREATE TABLE IF NOT EXISTS demarches(id TEXT PRIMARY KEY, tracking_code TEXT NOT NULL UNIQUE,
    form_id TEXT NOT NULL, form_version INTEGER NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
    language TEXT NOT NULL, answers TEXT NOT NULL, contact TEXT, filed_at TEXT NOT NULL, received_at TEXT NOT NULL,
    device_id TEXT NOT NULL, channel TEXT NOT NULL, service_code TEXT, latitude REAL, longitude REAL, address TEXT,
    FOREIGN KEY(form_id, form_version) REFERENCES form_versions(form_id, version));
"""


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection for one HTTP connection's requests: autocommit (we issue BEGIN ourselves), WAL so readers
    never wait for a booking, a generous busy timeout so ten simultaneous bookings queue
    on the write lock instead of failing with "database is locked"."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def create_schema(conn: sqlite3.Connection) -> bool:
    """Create the tables if the database is empty; True when it was. A database from a
    newer server is refused rather than misread."""
    row = conn.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone()
    if row:
        found = int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
        if found != SCHEMA_VERSION:
            raise RuntimeError(f"demo-api database has schema {found}, this code knows {SCHEMA_VERSION}")
        with write(conn):
            _run(conn, QUEUE_SCHEMA + DEMARCHE_SCHEMA)
        return False
    with write(conn):
        _run(conn, SCHEMA + QUEUE_SCHEMA + DEMARCHE_SCHEMA)
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        # names this database in cursors and ETags: after a restore or a reseed, a terminal's
        # old cursor is recognised as foreign (full answer) instead of giving a wrong delta
        conn.execute("INSERT INTO meta VALUES ('instance', ?)", (secrets.token_hex(4),))
    return True


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction holding the database write lock from its first statement."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def read(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction: one consistent snapshot (WAL) without taking the write lock."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def instance(conn: sqlite3.Connection) -> str:
    value: str = conn.execute("SELECT value FROM meta WHERE key='instance'").fetchone()[0]
    return value


def bump(conn: sqlite3.Connection, name: str) -> int:
    """Next value of a named counter (call inside a write transaction)."""
    conn.execute("INSERT INTO counters VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
                 (name,))
    value: int = conn.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()[0]
    return value


def current(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()
    return row[0] if row else 0


def put_catalog(conn: sqlite3.Connection, kind: str, body: dict[str, Any]) -> int:
    """Insert or replace one catalog entity (inside a write transaction); returns its version."""
    version = bump(conn, "catalog_version")
    conn.execute("INSERT INTO catalog VALUES (?, ?, ?, 0, ?) ON CONFLICT(kind, id) DO UPDATE SET "
                 "version=excluded.version, deleted=0, body=excluded.body",
                 (kind, body["id"], version, json.dumps(body, ensure_ascii=False)))
    return version


def delete_catalog(conn: sqlite3.Connection, kind: str, entity_id: str) -> bool:
    """Tombstone one catalog entity so deltas report it; False if it did not exist."""
    if not conn.execute("SELECT 1 FROM catalog WHERE kind=? AND id=? AND deleted=0",
                        (kind, entity_id)).fetchone():
        return False
    version = bump(conn, "catalog_version")
    conn.execute("UPDATE catalog SET deleted=1, version=? WHERE kind=? AND id=?", (version, kind, entity_id))
    return True
