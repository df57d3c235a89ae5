"""Reference namespaces: the prefix each terminal assigns its own booking references in.

Why (openapi.yaml, « References »): a terminal prints the reference before the answer comes,
so the server must keep the one it was sent, and two terminals must never make the same one.
Each device gets a namespace once — at enrolment, or at its first heartbeat for a device
enrolled before namespaces — and keeps it for good; the table is created on every start, so a
demo database from before gains it and its devices get theirs at their next heartbeat.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime

from kiosk.api import references

from .errors import ApiError

SCHEMA = """
CREATE TABLE IF NOT EXISTS reference_namespaces(device_id TEXT PRIMARY KEY, namespace TEXT NOT NULL UNIQUE,
    assigned_at TEXT NOT NULL)
"""


def of_device(conn: sqlite3.Connection, device_id: str) -> str | None:
    row = conn.execute("SELECT namespace FROM reference_namespaces WHERE device_id=?", (device_id,)).fetchone()
    return str(row[0]) if row else None


def ensure(conn: sqlite3.Connection, device_id: str, now: datetime) -> str:
    """The device's namespace, given now if it has none (inside a write transaction). Random
    rather than counted: neighbouring terminals' references then do not look alike."""
    found = of_device(conn, device_id)
    if found is not None:
        return found
    taken = {r[0] for r in conn.execute("SELECT namespace FROM reference_namespaces")}
    if len(taken) >= references.NAMESPACE_COUNT:
        raise ApiError(500, "internal_error", "no reference namespace left for a new terminal")
    while True:
        namespace = (secrets.choice(references.LETTERS) + secrets.choice(references.DIGITS)
                     + secrets.choice(references.LETTERS))
        if namespace not in taken:
            break
    conn.execute("INSERT INTO reference_namespaces VALUES (?, ?, ?)", (device_id, namespace, now.isoformat()))
    return namespace


def claimed(conn: sqlite3.Connection, device_id: str, reference: str) -> str:
    """A reference a terminal assigned, checked before anything is stored: its check character
    (400 ``invalid_reference``) and its namespace (403 ``reference_outside_namespace``)."""
    if not references.is_terminal_reference(reference):
        raise ApiError(400, "invalid_reference", f"La référence {reference} est mal formée (caractère de contrôle).")
    namespace = of_device(conn, device_id)
    if references.namespace_of(reference) != namespace:
        raise ApiError(403, "reference_outside_namespace",
                       f"La référence {reference} n'est pas dans l'espace de ce terminal "
                       f"({namespace or 'aucun espace attribué'}).", {"namespace": namespace})
    return reference


def taken(conn: sqlite3.Connection, reference: str) -> bool:
    """Held by a booking or a request already: the same reference must never name two things."""
    return any(conn.execute(f"SELECT 1 FROM {table} WHERE reference=?", (reference,)).fetchone()
               for table in ("bookings", "booking_requests"))
