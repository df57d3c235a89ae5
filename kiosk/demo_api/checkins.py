"""Arrival at the counter: a signed QR token (or the reference typed in) becomes a queue
ticket, and the booking's state becomes ``arrived``.

The check is made against ``scanned_at`` (when the visitor stood at the terminal), not
the time the request reaches us, because a counter terminal that lost the network sends
its check-ins later from its outbox.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from kiosk.api import models

from . import db, idempotency, plausible, signing
from .bookings import find
from .errors import ApiError, parse_body
from .request import JsonObject, Request
from .seed import PARIS


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


def create(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    req.json_object()
    body = parse_body(models.CheckinCreate, req.body)
    req.check_terminal(body.terminal_id)
    # backdating is for an outbox sent after an outage, bounded; the token is then checked as of scanned_at
    plausible.stamped("scanned_at", body.scanned_at, req.now, plausible.MAX_CHECKIN_DELAY)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        row = _booking(req, body)
        if row["state"] != "booked":
            code = {"cancelled": "booking_cancelled",
                    "arrived": "already_checked_in"}.get(row["state"], "invalid_state")
            raise ApiError(409, code, f"booking is {row['state']}", {"state": row["state"]})
        slot = conn.execute("SELECT * FROM slots WHERE id=?", (row["slot_id"],)).fetchone()
        start = datetime.fromisoformat(slot["start"])
        day = start.astimezone(PARIS).date()
        if body.scanned_at.astimezone(PARIS).date() != day:
            raise ApiError(409, "outside_checkin_window", "Ce rendez-vous n'est pas prévu aujourd'hui.",
                           {"start": slot["start"]})
        agenda = conn.execute("SELECT * FROM agendas WHERE id=?", (row["agenda_id"],)).fetchone()
        number = db.bump(conn, f"queue:{agenda['id']}:{day.isoformat()}")
        queue_number = f"{agenda['letter']}{number:03d}"
        ahead = conn.execute(
            "SELECT count(*) FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.agenda_id=? "
            "AND b.state='arrived' AND s.start_ts >= ? AND s.start_ts <= ?",
            (agenda["id"], int(start.timestamp()) - 86400 // 2, int(start.timestamp()))).fetchone()[0]
        duration = json.loads(conn.execute("SELECT body FROM catalog WHERE kind='service' AND id=?",
                                           (row["service_id"],)).fetchone()["body"])["duration_minutes"]
        early = max(0, int((start - body.scanned_at).total_seconds() // 60))
        conn.execute("UPDATE bookings SET state='arrived', queue_number=?, updated_at=? WHERE id=?",
                     (queue_number, req.now.isoformat(), row["id"]))
        return 200, {"booking_id": row["id"], "reference": row["reference"], "service_id": row["service_id"],
                     "start": slot["start"], "queue_number": queue_number, "counter": agenda["counter"],
                     "people_ahead": ahead, "estimated_wait_minutes": max(early, ahead * duration)}

    return idempotency.run(req, operation)
