"""What this terminal remembers of the queue numbers it gave today, in the cache.

Why: a visitor who scans the booking twice (the ticket did not come out fast enough, or they
came back to ask) must get the same number and a reprint, never a second check-in — also when
the terminal restarted in between, and also offline, before the server has heard of the first.
Each row is keyed by what identifies the booking (``checkin:<token id>``, or
``checkin-ref:<REFERENCE>`` for a typed reference), holds the outbox row's UUID (the action's
Idempotency-Key) and what the ticket said: the number, the service, where to wait. No name.
Rows of past days are purged (:func:`purge_before`): the table holds one day of a counter.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from offline_cache.catalog import utc_text
from offline_cache.db import write_transaction


@dataclass(frozen=True)
class Remembered:
    key: str
    kind: str
    day: date
    outbox_uuid: str
    number: str | None
    ticket: dict[str, Any]


def recall(conn: sqlite3.Connection, key: str, day: date) -> Remembered | None:
    """The number given today for ``key``, if any (a row of another day does not count)."""
    row = conn.execute("SELECT key, kind, day, outbox_uuid, number, ticket FROM queue_tickets "
                       "WHERE key = ? AND day = ?", (key, day.isoformat())).fetchone()
    if row is None:
        return None
    return Remembered(str(row[0]), str(row[1]), date.fromisoformat(str(row[2])), str(row[3]),
                      None if row[4] is None else str(row[4]), json.loads(row[5]))


def remember(conn: sqlite3.Connection, *, key: str, kind: str, day: date, outbox_uuid: str, number: str | None,
             ticket: dict[str, Any], at: datetime) -> None:
    """Keep (or update) what was given for ``key`` today."""
    with write_transaction(conn):
        conn.execute("INSERT INTO queue_tickets (key, kind, day, outbox_uuid, number, ticket, stored_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, "
                     "day = excluded.day, outbox_uuid = excluded.outbox_uuid, number = excluded.number, "
                     "ticket = excluded.ticket, stored_at = excluded.stored_at",
                     (key, kind, day.isoformat(), outbox_uuid, number, json.dumps(ticket, sort_keys=True),
                      utc_text(at)))


def learn_letter(conn: sqlite3.Connection, agenda_id: str, letter: str, at: datetime) -> None:
    """The letter the town gives ``agenda_id``'s check-in numbers, for numbering offline. The
    catalog's ``agenda_letters`` fill it at every catalog sync (offline_cache.from_api); the queue
    board and online check-ins confirm it (a catalog of a server from before those letters)."""
    if len(letter) != 1 or not "A" <= letter <= "Z":
        return
    with write_transaction(conn):
        conn.execute("INSERT INTO queue_letters (agenda_id, letter, learned_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(agenda_id) DO UPDATE SET letter = excluded.letter, learned_at = excluded.learned_at "
                     "WHERE letter IS NOT excluded.letter", (agenda_id, letter, utc_text(at)))


def letter_for(conn: sqlite3.Connection, agenda_id: str) -> str | None:
    row = conn.execute("SELECT letter FROM queue_letters WHERE agenda_id = ?", (agenda_id,)).fetchone()
    return None if row is None else str(row[0])


def agenda_of(conn: sqlite3.Connection, slot_id: str | None, service_id: str | None) -> str | None:
    """The agenda a booking's slot belongs to (the cached slots hold full ones too), else the
    service's only agenda; None when the cache cannot tell."""
    if slot_id:
        row = conn.execute("SELECT agenda_id FROM slots WHERE id = ?", (slot_id,)).fetchone()
        if row is not None:
            return str(row[0])
    if service_id:
        row = conn.execute("SELECT agenda_ids FROM services WHERE id = ?", (service_id,)).fetchone()
        agendas = json.loads(row[0]) if row is not None else []
        if len(agendas) == 1:
            return str(agendas[0])
    return None


def purge_before(conn: sqlite3.Connection, day: date) -> int:
    """Forget the numbers of days before ``day``; returns how many rows went."""
    with write_transaction(conn):
        return conn.execute("DELETE FROM queue_tickets WHERE day < ?", (day.isoformat(),)).rowcount
