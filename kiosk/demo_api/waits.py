"""The wait estimate, as ``openapi.yaml`` (« Wait estimate ») states it, from today's data only.

Per letter: the handling time is the median of the last 10 handling times of the day (a
number's first call to it being marked served, or to the same counter's next call), or the
service's ``duration_minutes`` while fewer than 3 are known (a morning's first visitors say
little); the counters are those that called this letter in the last 60 minutes (at least
one); the estimate is ``ceil(people ahead × handling / counters)`` minutes. A check-in never
waits less than the minutes left before its appointment. Nothing is averaged across days:
a Monday morning says nothing about a Thursday afternoon.
"""

from __future__ import annotations

import math
import sqlite3
import statistics
from datetime import date, datetime

RECENT_HANDLINGS = 10
MIN_KNOWN = 3
COUNTER_WINDOW_S = 3600


def handling_seconds(conn: sqlite3.Connection, day: date, letter: str, fallback_minutes: int) -> float:
    rows = conn.execute("SELECT handled_s FROM queue_entries WHERE day=? AND letter=? AND handled_s IS NOT NULL "
                        "ORDER BY handled_ts DESC LIMIT ?", (day.isoformat(), letter, RECENT_HANDLINGS)).fetchall()
    if len(rows) < MIN_KNOWN:
        return fallback_minutes * 60.0
    return float(statistics.median(float(r[0]) for r in rows))


def active_counters(conn: sqlite3.Connection, day: date, letter: str, now: datetime) -> int:
    row = conn.execute("SELECT count(DISTINCT counter) FROM calls WHERE day=? AND letter=? AND at_ts > ?",
                       (day.isoformat(), letter, now.timestamp() - COUNTER_WINDOW_S)).fetchone()
    return max(1, int(row[0]))


def people_ahead(conn: sqlite3.Connection, day: date, letter: str, entry_id: str | None = None) -> int:
    """Numbers of ``letter`` still waiting (not called, not gone) that arrived before entry
    ``entry_id`` (two at the same instant: in the order the server received them), or all of
    them when None (a person joining now)."""
    sql = "SELECT count(*) FROM queue_entries q WHERE day=? AND letter=? AND state='waiting'"
    args: tuple[object, ...] = (day.isoformat(), letter)
    if entry_id is not None:
        sql += (" AND EXISTS (SELECT 1 FROM queue_entries me WHERE me.id=? AND (q.arrived_ts < me.arrived_ts"
                " OR (q.arrived_ts = me.arrived_ts AND q.rowid < me.rowid)))")
        args += (entry_id,)
    return int(conn.execute(sql, args).fetchone()[0])


def estimate_minutes(conn: sqlite3.Connection, day: date, letter: str, ahead: int, now: datetime,
                     fallback_minutes: int, start: datetime | None = None) -> int:
    """Minutes until a person with ``ahead`` people before them is called (see module docstring)."""
    handling = handling_seconds(conn, day, letter, fallback_minutes)
    counters = active_counters(conn, day, letter, now)
    minutes = math.ceil(ahead * handling / counters / 60 - 1e-9)
    if start is not None:
        minutes = max(minutes, math.ceil((start - now).total_seconds() / 60 - 1e-9))
    return max(0, minutes)
