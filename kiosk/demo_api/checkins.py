"""Arrival at the counter: a signed QR token (or the reference typed in) becomes a queue
ticket, and the booking's state becomes ``arrived``; the visitor joins the day's queue of the
agenda's letter (:mod:`queues`), with a number of its own or the one the terminal printed offline
from its block (:mod:`numbering`).

The check is made against ``scanned_at`` (when the visitor stood at the terminal), not
the time the request reaches us, because a counter terminal that lost the network sends
its check-ins later from its outbox.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from kiosk.api import models

from . import idempotency, numbering, plausible, queues, signing
from .bookings import find
from .errors import ApiError, parse_body
from .request import JsonObject, Request


def _booking(req: Request, body: models.CheckinCreate) -> sqlite3.Row:
    if body.token:
        try:
            payload = signing.verify(body.token, signing.usable_public_keys(req.conn), body.scanned_at)
        except signing.TokenError as exc:
            raise ApiError(400, "invalid_token", f"check-in token refused: {exc}") from None
        row = find(req.conn, str(payload.get("jti")))
        if row is None or row["reference"] != payload.get("ref"):
            raise ApiError(404, "not_found", "Aucun rendez-vous ne correspond à ce code.")
        return row
    row = find(req.conn, body.reference or "")
    if row is None or row["reference"] != (body.reference or "").upper():
        raise ApiError(404, "not_found", "Aucun rendez-vous ne correspond à cette référence.")
    return row


def answer(conn: sqlite3.Connection, booking: sqlite3.Row, now: datetime) -> JsonObject:
    """The Checkin of a checked-in booking as of ``now``: its number, the people ahead and the wait."""
    entry = conn.execute("SELECT * FROM queue_entries WHERE booking_id=?", (booking["id"],)).fetchone()
    agenda = conn.execute("SELECT * FROM agendas WHERE id=?", (booking["agenda_id"],)).fetchone()
    slot = conn.execute("SELECT start FROM slots WHERE id=?", (booking["slot_id"],)).fetchone()
    ahead, minutes = 0, None
    if entry is not None:
        ahead, minutes = queues.wait_for(conn, entry, now, queues.service(conn, booking["service_id"]).duration_minutes)
    return models.Checkin(booking_id=booking["id"], reference=booking["reference"], service_id=booking["service_id"],
                          start=slot["start"], queue_number=booking["queue_number"] or "", counter=agenda["counter"],
                          people_ahead=ahead, estimated_wait_minutes=minutes).model_dump(mode="json")


def create(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    req.json_object()
    body = parse_body(models.CheckinCreate, req.body)
    req.check_terminal(body.terminal_id)
    # backdating is for an outbox sent after an outage, bounded; the token is then checked as of scanned_at
    plausible.stamped("scanned_at", body.scanned_at, req.now, plausible.MAX_CHECKIN_DELAY)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        row = _booking(req, body)
        if row["state"] == "arrived":
            # scanned twice: the same number again (to reprint), never a second one
            raise ApiError(409, "already_checked_in", "Vous êtes déjà enregistré(e).",
                           {"state": "arrived", "checkin": answer(conn, row, req.now)})
        if row["state"] != "booked":
            code = {"cancelled": "booking_cancelled"}.get(row["state"], "invalid_state")
            raise ApiError(409, code, f"booking is {row['state']}", {"state": row["state"]})
        slot = conn.execute("SELECT * FROM slots WHERE id=?", (row["slot_id"],)).fetchone()
        start = datetime.fromisoformat(slot["start"])
        day = numbering.town_day(start)
        if numbering.town_day(body.scanned_at) != day:
            raise ApiError(409, "outside_checkin_window", "Ce rendez-vous n'est pas prévu aujourd'hui.",
                           {"start": slot["start"]})
        agenda = conn.execute("SELECT * FROM agendas WHERE id=?", (row["agenda_id"],)).fetchone()
        letter = agenda["letter"]
        if body.offline_number:
            number = numbering.check_offline(conn, req.terminal["id"], day, letter, body.offline_number)
        else:
            online = numbering.next_online(conn, letter, day)
            if online is None:
                raise ApiError(409, "invalid_state", "Plus aucun numéro disponible aujourd'hui.", {"letter": letter})
            number = online
        entry = queues.NewEntry(f"ci-{row['id']}", day, letter, number, row["service_id"], "checkin",
                                body.scanned_at, req.terminal["id"], booking_id=row["id"], start=start)
        queues.add_entry(conn, entry)
        conn.execute("UPDATE bookings SET state='arrived', queue_number=?, updated_at=? WHERE id=?",
                     (entry.queue_number, req.now.isoformat(), row["id"]))
        return 200, answer(conn, conn.execute("SELECT * FROM bookings WHERE id=?", (row["id"],)).fetchone(), req.now)

    return idempotency.run(req, operation)
