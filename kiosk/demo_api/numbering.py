"""Queue numbers: the day's online counter per letter and the terminals' offline blocks.

Two sources hand out numbers for the same letter on the same day without talking to each
other: the server (online, counting up from 001) and each terminal offline (from a block of
40 it fetched beforehand, counted down from 999). They can never collide because the server
reserves every block before any terminal uses it, never lets its online counter enter a
reserved block, and never reserves a block under a number it already gave. A number sent
back by a terminal (``offline_number``) is kept only inside that terminal's block of the day.

The day is the town's (Europe/Paris): numbers restart at 001 at its midnight, whatever the
UTC offset that night (the days of the clock change included).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from kiosk.api import models

from . import db
from .errors import ApiError
from .request import JsonObject, Request
from .seed import PARIS

BLOCK_SIZE = 40
TOP = 999
LOWEST_FIRST = 1


def town_day(when: datetime) -> date:
    return when.astimezone(PARIS).date()


def _lowest_reserved(conn: sqlite3.Connection, day: date) -> int:
    """The first number of the lowest block of ``day`` (TOP + 1 when none is reserved)."""
    row = conn.execute("SELECT min(first) FROM number_blocks WHERE day=?", (day.isoformat(),)).fetchone()
    return int(row[0]) if row[0] is not None else TOP + 1


def _highest_online(conn: sqlite3.Connection, day: date) -> int:
    """The highest number given online on ``day``, every letter (0 when none)."""
    row = conn.execute("SELECT max(value) FROM counters WHERE name LIKE ?", (f"queue:%:{day.isoformat()}",)).fetchone()
    return int(row[0] or 0)


def reserve_block(conn: sqlite3.Connection, device_id: str, day: date) -> tuple[int, int]:
    """This device's block of ``day`` (the same one on every call); inside a write transaction.
    ``ApiError`` 409 ``no_block_left`` when the next block would reach the online numbers."""
    row = conn.execute("SELECT first, last FROM number_blocks WHERE day=? AND device_id=?",
                       (day.isoformat(), device_id)).fetchone()
    if row is not None:
        return int(row["first"]), int(row["last"])
    last = _lowest_reserved(conn, day) - 1
    first = last - BLOCK_SIZE + 1
    if first < LOWEST_FIRST or first <= _highest_online(conn, day):
        raise ApiError(409, "no_block_left", "Plus aucun bloc de numéros disponible pour ce jour.",
                       {"day": day.isoformat()})
    conn.execute("INSERT INTO number_blocks VALUES (?, ?, ?, ?)", (day.isoformat(), device_id, first, last))
    return first, last


def next_online(conn: sqlite3.Connection, letter: str, day: date) -> int | None:
    """The next online number of ``letter`` on ``day`` (inside a write transaction), or None when
    the next one would enter a terminal's block: the day's numbers are exhausted."""
    name = f"queue:{letter}:{day.isoformat()}"
    if db.current(conn, name) + 1 >= _lowest_reserved(conn, day):
        return None
    return db.bump(conn, name)


def check_offline(conn: sqlite3.Connection, device_id: str, day: date, letter: str, offline_number: str) -> int:
    """The number of ``offline_number`` if this device may have printed it on ``day`` for
    ``letter`` and it is not taken yet; else 409 ``number_not_reserved`` saying why."""
    reason = None
    number = int(offline_number[1:])
    row = conn.execute("SELECT first, last FROM number_blocks WHERE day=? AND device_id=?",
                       (day.isoformat(), device_id)).fetchone()
    if offline_number[0] != letter:
        reason = "letter"
    elif row is None or not row["first"] <= number <= row["last"]:
        reason = "outside_block"
    elif conn.execute("SELECT 1 FROM queue_entries WHERE day=? AND queue_number=?",
                      (day.isoformat(), offline_number)).fetchone():
        reason = "taken"
    if reason is not None:
        raise ApiError(409, "number_not_reserved", "Ce numéro n'a pas été réservé pour ce terminal ce jour-là.",
                       {"offline_number": offline_number, "reason": reason, "day": day.isoformat()})
    return number


def number_block(req: Request) -> tuple[int, JsonObject]:
    """``GET /v1/number-blocks?day=``: today or tomorrow, town time."""
    raw = req.query.get("day")
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        raise ApiError(400, "invalid_request", "day must be a date (YYYY-MM-DD)", {"field": "day"}) from None
    today = town_day(req.now)
    if day not in (today, today + timedelta(days=1)):
        raise ApiError(400, "invalid_request", "day must be today or tomorrow (Europe/Paris)",
                       {"field": "day", "today": today.isoformat()})
    with db.write(req.conn):
        first, last = reserve_block(req.conn, req.terminal["id"], day)
    return 200, models.NumberBlock(day=day, first=first, last=last).model_dump(mode="json")
