"""Calls: the agents' side (call next, recall, absent, served) and the displays' long poll.

Why long polling (``GET /v1/calls?after=&wait=``): a display makes plain requests, each answer
is complete, a lost connection is just the next poll. A held request waits on the server's
:class:`~.signals.CallSignal` (a condition variable) which every call and recall notifies once its
transaction is committed, so the display hears of it well under a second later; it looks at the
clock at least once a second too, so a day that ends during the hold is answered at once.

Agents authenticate with an agent token (``admin.create_agent_token``; ``kiosk demo-api`` prints
one), never a terminal's. Their actions carry an ``Idempotency-Key`` like the terminals': a
« call next » repeated after a lost answer must not call a second person.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import datetime

from kiosk.api import models

from . import db, idempotency, numbering
from .devices import digest
from .errors import ApiError, parse_body
from .request import JsonObject, Request

MAX_CALLS = 3
CALLS_SHOWN = 10
MAX_WAIT_S = 25
CLOCK_LOOK_S = 1.0


# ---------------------------------------------------------------- the displays' side
def board(conn: sqlite3.Connection, now: datetime) -> JsonObject:
    day = numbering.town_day(now).isoformat()
    with db.read(conn):
        calls = conn.execute("SELECT * FROM calls WHERE day=? ORDER BY seq DESC LIMIT ?", (day, CALLS_SHOWN)).fetchall()
        waiting = conn.execute("SELECT letter, service_id, sum(state='waiting') AS waiting FROM queue_entries "
                               "WHERE day=? GROUP BY letter, service_id ORDER BY letter, service_id", (day,)).fetchall()
    return {"day": day, "seq": calls[0]["seq"] if calls else 0, "calls": [_call(c) for c in calls],
            "waiting": [{"letter": w["letter"], "service_id": w["service_id"], "waiting": w["waiting"]}
                        for w in waiting],
            "server_time": now.isoformat()}


def _int_param(req: Request, name: str, high: int) -> int:
    raw = req.query.get(name, "0")
    if not (raw.isascii() and raw.isdigit()) or not 0 <= int(raw) <= high:
        raise ApiError(400, "validation_error", f"{name}: a whole number from 0 to {high}",
                       {"errors": [{"field": name, "message": f"a whole number from 0 to {high}"}]})
    return int(raw)


def calls(req: Request) -> tuple[int, JsonObject]:
    """``GET /v1/calls``: at once when ``seq`` differs from ``after`` (a newer call, or another
    day), else held up to ``wait`` seconds for a call."""
    after = _int_param(req, "after", 1_000_000_000)
    wait = _int_param(req, "wait", MAX_WAIT_S)
    deadline = time.monotonic() + wait
    while True:
        seen = req.signal.generation if req.signal else 0   # before reading: a later call wakes us
        answer = board(req.conn, req.clock())
        left = deadline - time.monotonic()
        if answer["seq"] != after or left <= 0 or req.signal is None or req.signal.closing:
            return 200, answer
        req.signal.wait(seen, min(CLOCK_LOOK_S, left))


# ---------------------------------------------------------------- the agents' side
def authenticate_agent(conn: sqlite3.Connection, header: str | None) -> sqlite3.Row:
    """The agent behind ``Authorization: Bearer``; a terminal's token is refused like any other."""
    scheme, _, token = (header or "").partition(" ")
    row = None
    if scheme.lower() == "bearer" and token.strip():
        row = conn.execute("SELECT 'agent:' || name AS id, name FROM agent_tokens WHERE token_hash=?",
                           (digest(token.strip()),)).fetchone()
    if row is None:
        raise ApiError(401, "unauthorized", "an agent's token is required (Authorization: Bearer <agent token>)",
                       headers={"WWW-Authenticate": 'Bearer realm="kiosk-agents"'})
    agent: sqlite3.Row = row
    return agent


def _call(row: sqlite3.Row) -> JsonObject:
    return {"seq": row["seq"], "queue_number": row["queue_number"], "counter": row["counter"],
            "service_id": row["service_id"], "kind": row["kind"], "at": row["at"]}


def _record_call(conn: sqlite3.Connection, entry: sqlite3.Row, counter: str, kind: str, now: datetime) -> JsonObject:
    cur = conn.execute("INSERT INTO calls(day, entry_id, queue_number, letter, counter, service_id, kind, at, at_ts) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (numbering.town_day(now).isoformat(), entry["id"], entry["queue_number"], entry["letter"],
                        counter, entry["service_id"], kind, now.isoformat(), now.timestamp()))
    return _call(conn.execute("SELECT * FROM calls WHERE seq=?", (cur.lastrowid,)).fetchone())


def _next_visitor(rows: list[sqlite3.Row], now: datetime) -> sqlite3.Row | None:
    """Checked-in bookings whose start has come, earliest start first; then all others by arrival
    (``rows`` come in arrival order, two at the same instant in the order received: the sort keeps it)."""
    def due(row: sqlite3.Row) -> bool:
        return row["kind"] == "checkin" and row["start"] is not None and datetime.fromisoformat(row["start"]) <= now
    ordered = sorted(rows, key=lambda r: (0, datetime.fromisoformat(r["start"]).timestamp(), r["arrived_ts"])
                     if due(r) else (1, r["arrived_ts"], 0.0))
    return ordered[0] if ordered else None


Answer = tuple[int, JsonObject | None, dict[str, str]]


def _keyed(req: Request, operation: Callable[[], tuple[int, JsonObject]]) -> Answer:
    """Run an agent's action once per key (the agent's token stands for the device), then wake
    the displays once it is committed (a replay wakes them for nothing, harmlessly)."""
    status, body, headers = idempotency.run(req, operation)
    if req.signal is not None:
        req.signal.notify()
    return status, None if status == 204 else body, headers


def call_next(req: Request) -> Answer:
    """``POST /v1/agent/calls``."""
    req.device = authenticate_agent(req.conn, req.headers.get("Authorization"))
    req.json_object()
    body = parse_body(models.AgentCallCreate, req.body)

    def operation() -> tuple[int, JsonObject]:
        conn, now = req.conn, req.now
        day = numbering.town_day(now).isoformat()
        if conn.execute("SELECT 1 FROM catalog WHERE kind='service' AND id=? AND deleted=0",
                        (body.service_id,)).fetchone() is None:
            raise ApiError(404, "not_found", "Ce service n'existe pas.", {"service_id": body.service_id})
        waiting = conn.execute("SELECT * FROM queue_entries WHERE day=? AND service_id=? AND state='waiting' "
                               "ORDER BY arrived_ts, rowid",   # same instant: in the order received
                               (day, body.service_id)).fetchall()
        entry = _next_visitor(waiting, now)
        if entry is None:
            raise ApiError(404, "queue_empty", "Personne n'attend pour ce service.", {"service_id": body.service_id})
        # the counter's previous visitor, still called and not marked: its handling ends now
        conn.execute("UPDATE queue_entries SET handled_s = ? - first_call_ts, handled_ts = ? "
                     "WHERE day=? AND counter=? AND state='called' AND handled_s IS NULL",
                     (now.timestamp(), now.timestamp(), day, body.counter))
        conn.execute("UPDATE queue_entries SET state='called', calls=1, counter=?, first_call_ts=? WHERE id=?",
                     (body.counter, now.timestamp(), entry["id"]))
        return 200, _record_call(conn, entry, body.counter, "call", now)

    return _keyed(req, operation)


def _entry(req: Request) -> sqlite3.Row:
    """Today's entry of the path's number, called at least once and not gone."""
    row = req.conn.execute("SELECT * FROM queue_entries WHERE day=? AND queue_number=?",
                           (numbering.town_day(req.now).isoformat(), req.params["queue_number"])).fetchone()
    if row is None:
        raise ApiError(404, "not_found", "Ce numéro n'existe pas aujourd'hui.",
                       {"queue_number": req.params["queue_number"]})
    if row["state"] == "waiting":
        raise ApiError(409, "not_called", "Ce numéro n'a pas encore été appelé.", {"state": row["state"]})
    if row["state"] != "called":
        raise ApiError(409, "invalid_state", "Ce numéro a déjà quitté la file.", {"state": row["state"]})
    entry: sqlite3.Row = row
    return entry


def recall(req: Request) -> Answer:
    """``POST /v1/agent/calls/{queue_number}/recall``: to the counter of its call, 3 calls at most."""
    req.device = authenticate_agent(req.conn, req.headers.get("Authorization"))

    def operation() -> tuple[int, JsonObject]:
        entry = _entry(req)
        if entry["calls"] >= MAX_CALLS:
            raise ApiError(409, "too_many_calls", f"Ce numéro a déjà été appelé {MAX_CALLS} fois.",
                           {"calls": entry["calls"]})
        req.conn.execute("UPDATE queue_entries SET calls = calls + 1 WHERE id=?", (entry["id"],))
        return 200, _record_call(req.conn, entry, entry["counter"], "recall", req.now)

    return _keyed(req, operation)


def _leave(req: Request, state: str) -> Answer:
    req.device = authenticate_agent(req.conn, req.headers.get("Authorization"))
    booking_state = {"served": "fulfilled", "absent": "noshow"}[state]

    def operation() -> tuple[int, JsonObject]:
        entry = _entry(req)
        now = req.now.timestamp()
        handled = "handled_s = coalesce(handled_s, ? - first_call_ts), handled_ts = coalesce(handled_ts, ?), "
        req.conn.execute(f"UPDATE queue_entries SET {handled if state == 'served' else ''}state=? WHERE id=?",
                         ((now, now, state, entry["id"]) if state == "served" else (state, entry["id"])))
        if entry["booking_id"]:
            req.conn.execute("UPDATE bookings SET state=?, updated_at=? WHERE id=? AND state='arrived'",
                             (booking_state, req.now.isoformat(), entry["booking_id"]))
        return 204, {}

    return _keyed(req, operation)


def absent(req: Request) -> Answer:
    """``POST /v1/agent/calls/{queue_number}/absent``: only after at least one call."""
    return _leave(req, "absent")


def served(req: Request) -> Answer:
    """``POST /v1/agent/calls/{queue_number}/served``: the handling time counts from the first call."""
    return _leave(req, "served")

