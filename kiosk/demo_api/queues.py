"""The day's queues: walk-in tickets, the entries check-ins add, and their state per service.

Every visitor waiting today is one row of ``queue_entries``, whatever brought them (a walk-in
ticket or a check-in): the agents call from it, the wait estimates count it, the displays show
its calls. A walk-in ticket is judged at ``taken_at`` (when the person pressed, which an
offline terminal sends later): the service's walk-in hours then, its daily capacity.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.api import models

from . import db, idempotency, numbering, plausible, waits
from .errors import ApiError, parse_body
from .request import JsonObject, Request
from .walk_in_hours import window


def service(conn: sqlite3.Connection, service_id: str) -> models.Service:
    """A service of the catalog, or 404 ``not_found``."""
    row = conn.execute("SELECT body FROM catalog WHERE kind='service' AND id=? AND deleted=0", (service_id,)).fetchone()
    if row is None:
        raise ApiError(404, "not_found", "Ce service n'existe pas.", {"service_id": service_id})
    return models.Service.model_validate_json(row["body"])


@dataclass(frozen=True)
class NewEntry:
    id: str
    day: date
    letter: str
    number: int
    service_id: str
    kind: str                  # "walk_in" | "checkin"
    arrived_at: datetime
    device_id: str
    booking_id: str | None = None
    start: datetime | None = None

    @property
    def queue_number(self) -> str:
        return f"{self.letter}{self.number:03d}"


KEPT_DAYS = 31   # the queues of a month, for the back office's figures; older days are deleted


def add_entry(conn: sqlite3.Connection, entry: NewEntry) -> None:
    """One more visitor in the day's queue (inside a write transaction); the days older than
    :data:`KEPT_DAYS` go at the same time, so the tables stay the size of a month."""
    oldest = (entry.day - timedelta(days=KEPT_DAYS)).isoformat()
    for table in ("calls", "queue_entries", "number_blocks"):
        conn.execute(f"DELETE FROM {table} WHERE day < ?", (oldest,))
    conn.execute("INSERT INTO queue_entries(id, day, letter, number, queue_number, service_id, kind, booking_id, "
                 "start, arrived_at, arrived_ts, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (entry.id, entry.day.isoformat(), entry.letter, entry.number, entry.queue_number, entry.service_id,
                  entry.kind, entry.booking_id, entry.start.isoformat() if entry.start else None,
                  entry.arrived_at.isoformat(), entry.arrived_at.timestamp(), entry.device_id))


def wait_for(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime,
             fallback_minutes: int) -> tuple[int, int | None]:
    """(people ahead, estimated minutes) of a queue entry now; the estimate is None when the
    entry is not of today (an offline ticket sent the next day) and 0 once it was called."""
    day = date.fromisoformat(row["day"])
    if row["state"] != "waiting":
        return 0, 0 if day == numbering.town_day(now) else None
    ahead = waits.people_ahead(conn, day, row["letter"], row["id"])
    if day != numbering.town_day(now):
        return ahead, None
    start = datetime.fromisoformat(row["start"]) if row["start"] else None
    return ahead, waits.estimate_minutes(conn, day, row["letter"], ahead, now, fallback_minutes, start)


def create_ticket(req: Request) -> tuple[int, JsonObject | None, dict[str, str]]:
    """``POST /v1/queue-tickets`` (action kind ``queue_ticket``)."""
    req.json_object()
    body = parse_body(models.QueueTicketCreate, req.body)
    req.check_terminal(body.terminal_id)
    plausible.stamped("taken_at", body.taken_at, req.now, plausible.MAX_CHECKIN_DELAY)

    def operation() -> tuple[int, JsonObject]:
        conn = req.conn
        svc = service(conn, body.service_id)
        if svc.walk_in is None:
            raise ApiError(409, "not_walk_in", "Ce service reçoit uniquement sur rendez-vous.",
                           {"service_id": svc.id})
        walk_in = svc.walk_in
        opening = window(walk_in.hours, body.taken_at)
        if not opening.is_open:
            details = {"opens_at": opening.opens_at.isoformat()} if opening.opens_at else {}
            raise ApiError(409, "walk_in_closed", "L'accueil sans rendez-vous est fermé pour le moment.", details)
        day = numbering.town_day(body.taken_at)
        if body.offline_number:
            # printed already: kept even past the capacity (the person holds the paper)
            number = numbering.check_offline(conn, req.terminal["id"], day, walk_in.prefix, body.offline_number)
        else:
            taken = conn.execute("SELECT count(*) FROM queue_entries WHERE day=? AND letter=? AND kind='walk_in'",
                                 (day.isoformat(), walk_in.prefix)).fetchone()[0]
            online = numbering.next_online(conn, walk_in.prefix, day) if taken < walk_in.daily_capacity else None
            if online is None:
                raise ApiError(409, "walk_in_full", "Il n'y a plus de numéro pour ce service aujourd'hui.",
                               {"daily_capacity": walk_in.daily_capacity})
            number = online
        entry = NewEntry(f"qt-{db.bump(conn, 'queue_ticket'):06d}", day, walk_in.prefix, number, svc.id, "walk_in",
                         body.taken_at, req.terminal["id"])
        add_entry(conn, entry)
        row = conn.execute("SELECT * FROM queue_entries WHERE id=?", (entry.id,)).fetchone()
        ahead, minutes = wait_for(conn, row, req.now, svc.duration_minutes)
        return 200, models.QueueTicket(id=entry.id, service_id=svc.id, queue_number=entry.queue_number,
                                       waiting_area=walk_in.waiting_area, people_ahead=ahead,
                                       estimated_wait_minutes=minutes,
                                       taken_at=body.taken_at).model_dump(mode="json")

    return idempotency.run(req, operation)


def _state(conn: sqlite3.Connection, svc: models.Service, now: datetime, day: date) -> JsonObject | None:
    if svc.walk_in is None:
        letters = [r["letter"] for r in (conn.execute("SELECT letter FROM agendas WHERE id=?", (a,)).fetchone()
                                         for a in svc.agenda_ids) if r is not None]
        if not letters:
            return None
        waiting = conn.execute("SELECT count(*) FROM queue_entries WHERE day=? AND service_id=? AND state='waiting'",
                               (day.isoformat(), svc.id)).fetchone()[0]
        return {"service_id": svc.id, "letter": letters[0], "accepts_walk_ins": False, "status": "closed",
                "waiting": waiting, "estimated_wait_minutes": None, "opens_at": None, "closes_at": None,
                "remaining_today": None}
    letter, opening = svc.walk_in.prefix, window(svc.walk_in.hours, now)
    taken = conn.execute("SELECT count(*) FROM queue_entries WHERE day=? AND letter=? AND kind='walk_in'",
                         (day.isoformat(), letter)).fetchone()[0]
    remaining = max(0, svc.walk_in.daily_capacity - taken)
    waiting = waits.people_ahead(conn, day, letter)
    status = ("closed" if not opening.is_open else "full" if remaining == 0
              else "closing_soon" if opening.closing_soon(now) else "open")
    estimate = (None if status in ("closed", "full")
                else waits.estimate_minutes(conn, day, letter, waiting, now, svc.duration_minutes))
    return {"service_id": svc.id, "letter": letter, "accepts_walk_ins": True, "status": status, "waiting": waiting,
            "estimated_wait_minutes": estimate,
            "opens_at": opening.opens_at.isoformat() if opening.opens_at else None,
            "closes_at": opening.closes_at.isoformat() if opening.closes_at else None,
            "remaining_today": remaining}


def queues(req: Request) -> tuple[int, JsonObject]:
    """``GET /v1/queues``: one entry per service (its walk-in letter, else its first agenda's)."""
    now, day = req.now, numbering.town_day(req.now)
    with db.read(req.conn):
        rows = req.conn.execute("SELECT body FROM catalog WHERE kind='service' AND deleted=0 ORDER BY id").fetchall()
        states = [_state(req.conn, models.Service.model_validate(json.loads(r["body"])), now, day) for r in rows]
    return 200, {"day": day.isoformat(), "generated_at": now.isoformat(), "queues": [s for s in states if s]}
