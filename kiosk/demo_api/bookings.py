"""Bookings, cancellations and offline booking requests.

A slot is never double-booked: the places-left check and the decrement run inside the
``BEGIN IMMEDIATE`` transaction opened by ``idempotency.run``, and the UPDATE repeats the
condition (``booked < capacity``) while a CHECK constraint guards the table itself.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import unicodedata
from datetime import datetime

from kiosk.api import models

from . import db, idempotency, namespaces, plausible, signing
from .errors import ApiError, parse_body
from .request import JsonObject, Request

REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ALTERNATIVES = 5


def name_key(name: str) -> str:
    """Last names compared as a counter agent would: « Lefèvre » = « LEFEVRE » = « le fevre »."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def new_reference(conn: sqlite3.Connection, prefix: str, table: str) -> str:
    """The server's own reference (``RDV-QXNG-SR``), for a request that brings none."""
    while True:
        raw = "".join(secrets.choice(REF_ALPHABET) for _ in range(6))
        ref = f"{prefix}-{raw[:4]}-{raw[4:]}"
        if not conn.execute(f"SELECT 1 FROM {table} WHERE reference=?", (ref,)).fetchone():
            return ref


def reference_for(req: Request, claimed: str | None, prefix: str, table: str) -> str:
    """The terminal's reference, kept as sent (its shape and namespace were checked before the
    operation), or a new one of the server's. Inside the operation, after the Idempotency-Key's
    replay: a reference found here belongs to another action, refused without being remembered
    under this key, so that the terminal may send the same key again with another reference."""
    if claimed is None:
        return new_reference(req.conn, prefix, table)
    if namespaces.taken(req.conn, claimed):
        raise ApiError(409, "reference_taken", f"La référence {claimed} désigne déjà un autre rendez-vous.",
                       remember=False)
    return claimed


def service(conn: sqlite3.Connection, service_id: str) -> JsonObject:
    row = conn.execute("SELECT body FROM catalog WHERE kind='service' AND id=? AND deleted=0",
                       (service_id,)).fetchone()
    if row is None:
        raise ApiError(404, "not_found", f"no service {service_id!r}")
    body: JsonObject = json.loads(row["body"])
    return body


def alternatives(conn: sqlite3.Connection, agenda_ids: list[str], around_ts: int, now: datetime) -> list[JsonObject]:
    """The free future slots of the service nearest in time to the one asked for."""
    marks = ",".join("?" * len(agenda_ids))
    rows = conn.execute(
        f"SELECT * FROM slots WHERE agenda_id IN ({marks}) AND deleted=0 AND booked < capacity "
        f"AND start_ts > ? ORDER BY abs(start_ts - ?), start_ts LIMIT ?",
        (*agenda_ids, int(now.timestamp()), around_ts, ALTERNATIVES)).fetchall()
    return [{"id": r["id"], "agenda_id": r["agenda_id"], "start": r["start"], "end": r["end"],
             "places_left": r["capacity"] - r["booked"]} for r in rows]


def move_places(conn: sqlite3.Connection, slot: sqlite3.Row, delta: int) -> bool:
    """Take (+1) or give back (-1) a place; the slot and its agenda get a new version."""
    version = db.bump(conn, "slot_version")
    done = conn.execute("UPDATE slots SET booked = booked + ?, version = ? WHERE id = ? AND booked + ? "
                        "BETWEEN 0 AND capacity", (delta, version, slot["id"], delta)).rowcount
    conn.execute("UPDATE agendas SET version=? WHERE id=?", (version, slot["agenda_id"]))
    return done == 1


def booking_json(conn: sqlite3.Connection, booking_id: str) -> JsonObject:
    row = conn.execute("SELECT b.*, s.start, s.end FROM bookings b JOIN slots s ON s.id = b.slot_id "
                       "WHERE b.id=?", (booking_id,)).fetchone()
    return {"id": row["id"], "reference": row["reference"], "state": row["state"],
            "service_id": row["service_id"], "slot_id": row["slot_id"], "start": row["start"],
            "end": row["end"], "checkin_token": row["checkin_token"]}


def create(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    req.json_object()
    body = parse_body(models.BookingCreate, req.body)
    req.check_terminal(body.terminal_id)
    plausible.stamped("created_at", body.created_at, req.now, plausible.MAX_ACTION_AGE)
    if body.reference is not None:
        namespaces.claimed(req.conn, req.terminal["id"], body.reference)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        svc = service(conn, body.service_id)
        slot = conn.execute("SELECT * FROM slots WHERE id=?", (body.slot_id,)).fetchone()
        if slot is None:
            raise ApiError(404, "not_found", f"no slot {body.slot_id!r}")
        if slot["agenda_id"] not in svc["agenda_ids"]:
            raise ApiError(400, "invalid_request", f"slot {body.slot_id!r} is not in an agenda of {svc['id']!r}")
        free = not slot["deleted"] and slot["booked"] < slot["capacity"] and slot["start_ts"] > req.now.timestamp()
        if not free or not move_places(conn, slot, +1):
            raise ApiError(409, "slot_unavailable", "Ce créneau n'est plus disponible.",
                           {"alternatives": alternatives(conn, svc["agenda_ids"], slot["start_ts"], req.now)})
        reference = reference_for(req, body.reference, "RDV", "bookings")
        booking_id = f"bk-{db.bump(conn, 'booking'):06d}"
        kid, key = signing.active_key(conn, req.now)
        end_ts = int(datetime.fromisoformat(slot["end"]).timestamp())
        token = signing.sign(kid, key, {"jti": booking_id, "ref": reference, "svc": svc["id"],
                                        "slot": slot["id"], "start": slot["start"], "exp": end_ts + 86400})
        conn.execute("INSERT INTO bookings(id, reference, state, service_id, slot_id, agenda_id, last_name_key, "
                     "person, terminal_id, device_id, created_at, checkin_token, updated_at) "
                     "VALUES (?, ?, 'booked', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (booking_id, reference, svc["id"], slot["id"], slot["agenda_id"],
                      name_key(body.person.last_name), body.person.model_dump_json(), body.terminal_id,
                      req.terminal["id"], body.created_at.isoformat(), token, req.now.isoformat()))
        return 201, booking_json(conn, booking_id)

    return idempotency.run(req, operation)


def find(conn: sqlite3.Connection, id_or_reference: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM bookings WHERE id=? OR reference=?",
                                           (id_or_reference, id_or_reference.upper())).fetchone()
    return row


def cancel(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    req.json_object()
    body = parse_body(models.BookingCancel, req.body)
    req.check_terminal(body.terminal_id)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        row = _cancellable(req, body)
        slot = conn.execute("SELECT * FROM slots WHERE id=?", (row["slot_id"],)).fetchone()
        move_places(conn, slot, -1)
        conn.execute("UPDATE bookings SET state='cancelled', updated_at=? WHERE id=?",
                     (req.now.isoformat(), row["id"]))
        return 200, booking_json(conn, row["id"])

    return idempotency.run(req, operation)


def check_cancel(req: Request) -> tuple[int, JsonObject]:
    """What a cancellation would cancel, with the same proof and answers; changes nothing."""
    req.json_object()
    body = parse_body(models.BookingCancel, req.body)
    req.check_terminal(body.terminal_id)
    return 200, booking_json(req.conn, _cancellable(req, body)["id"])


def _cancellable(req: Request, body: models.BookingCancel) -> sqlite3.Row:
    row = find(req.conn, req.params["booking_id"])
    # one answer for "no such booking", "wrong name" and "wrong token": no oracle for guessing references
    if row is None or row["reference"] != body.reference.upper() or not _proved(req, row, body):
        raise ApiError(404, "not_found", "Aucun rendez-vous ne correspond à cette référence et ce nom.")
    if row["state"] != "booked":
        raise ApiError(409, "invalid_state", f"a booking in state {row['state']!r} cannot be cancelled",
                       {"state": row["state"]})
    return row


def _proved(req: Request, row: sqlite3.Row, body: models.BookingCancel) -> bool:
    """The last name matches, or the token is this booking's, signed by one of our keys."""
    if body.last_name:
        return bool(row["last_name_key"] == name_key(body.last_name))
    try:
        payload = signing.verify(body.token or "", signing.usable_public_keys(req.conn), req.now)
    except signing.TokenError:
        return False
    return bool(payload.get("jti") == row["id"] and payload.get("ref") == row["reference"])


def create_request(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    req.json_object()
    body = parse_body(models.BookingRequestCreate, req.body)
    req.check_terminal(body.terminal_id)
    plausible.stamped("created_at", body.created_at, req.now, plausible.MAX_ACTION_AGE)
    plausible.wanted("wanted_start", body.wanted_start, body.created_at, req.now)
    if body.reference is not None:
        namespaces.claimed(req.conn, req.terminal["id"], body.reference)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        svc = service(conn, body.service_id)
        if body.wanted_slot_id is not None:
            slot = conn.execute("SELECT agenda_id FROM slots WHERE id=?", (body.wanted_slot_id,)).fetchone()
            if slot is None or slot["agenda_id"] not in svc["agenda_ids"]:
                raise ApiError(400, "invalid_request", f"wanted_slot_id: not a slot of {svc['id']!r}")
        reference = reference_for(req, body.reference, "DEM", "booking_requests")
        request_id = f"br-{db.bump(conn, 'booking_request'):06d}"
        conn.execute("INSERT INTO booking_requests VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
                     (request_id, reference, svc["id"], body.wanted_start.isoformat(), body.wanted_slot_id,
                      body.person.model_dump_json(), body.terminal_id, req.terminal["id"],
                      body.created_at.isoformat()))
        return 202, {"id": request_id, "reference": reference, "state": "pending", "service_id": svc["id"],
                     "wanted_start": body.wanted_start.isoformat()}

    return idempotency.run(req, operation)


def get_request(req: Request) -> tuple[int, JsonObject]:
    """A booking request by id or reference: its state, never the person."""
    key = req.params["request_id"]
    row = req.conn.execute("SELECT * FROM booking_requests WHERE id=? OR reference=?", (key, key.upper())).fetchone()
    if row is None:
        raise ApiError(404, "not_found", "Aucune demande ne correspond à cette référence.")
    return 200, {"id": row["id"], "reference": row["reference"], "state": row["state"],
                 "service_id": row["service_id"], "wanted_start": row["wanted_start"]}
