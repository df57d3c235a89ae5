"""The town's agenda: events of the next days, and how old the cached information is.

An event is shown from now until it ends (one going on is « en cours »); past ones are
hidden. An event without a start, or ending before it starts, is bad data: skipped and
logged once. Times are stored as UTC text in the cache and shown in Paris time.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_datetime_long, format_day_month, format_time, format_weekday
from kiosk.i18n import _
from offline_cache.catalog import sync_state, utc_text

log = logging.getLogger(__name__)
_reported: set[str] = set()


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    description: str
    start: datetime          # Paris time
    end: datetime
    category: str
    place_id: str | None
    place_name: str | None   # None when the event has no place, or its place left the catalog

    def ongoing(self, now: datetime) -> bool:
        return self.start <= now < self.end


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)


_SELECT = ('SELECT e.id, e.title, e.description, e.start, e."end", e.category, e.place_id, p.name AS place_name '
           'FROM events e LEFT JOIN places p ON p.id = e.place_id ')


def _event(r: sqlite3.Row) -> Event | None:
    """The row as an event, or None (logged once) when its times are unusable."""
    try:
        start, end = _parse(r["start"]), _parse(r["end"])
    except ValueError:
        start = end = None
    if start is None or (end is not None and end < start):
        if r["id"] not in _reported:
            _reported.add(r["id"])
            log.warning("event %s has no usable start/end; not shown", r["id"])
        return None
    return Event(r["id"], r["title"], r["description"] or "", start, end or start, r["category"] or "",
                 r["place_id"], r["place_name"])


def upcoming(conn: sqlite3.Connection, now: datetime, *, days: int = 14, limit: int = 100) -> list[Event]:
    """Events not yet over that start within ``days`` days, soonest first."""
    rows = conn.execute(
        _SELECT + 'WHERE (e."end" IS NULL OR e."end" > ?) AND (e.start IS NULL OR e.start < ?) '
        "ORDER BY e.start, e.title LIMIT ?",
        (utc_text(now), utc_text(now + timedelta(days=days)), limit)).fetchall()
    return [e for e in map(_event, rows) if e is not None]


def event_by_id(conn: sqlite3.Connection, event_id: str) -> Event | None:
    """One event for its own page; None when it left the catalog (a sync while the page was open)
    or its times are unusable."""
    row = conn.execute(_SELECT + "WHERE e.id = ?", (event_id,)).fetchone()
    return _event(row) if row is not None else None


def event_when_long(event: Event) -> str:
    """The date and time in words, with the year, for the event's page and its ticket:
    « samedi 12 décembre 2026, de 16 h à 20 h », « samedi 12 décembre 2026 à 16 h » (no end), or
    « du samedi 12 décembre 2026 à 10 h au dimanche 13 décembre 2026 à 18 h »."""
    start, end = event.start, event.end
    if end == start:
        return format_datetime_long(start)
    if end.date() == start.date():
        return _("{date}, from {start} to {end}").format(
            date=format_date_long(start.date()), start=format_time(start), end=format_time(end))
    return _("from {start} to {end}").format(start=format_datetime_long(start), end=format_datetime_long(end))


def event_when(event: Event, now: datetime) -> str:
    """« Aujourd'hui, 10 h 30 – 11 h 30 », « En cours, jusqu'à 19 h 30 », « samedi 12 décembre, 16 h – 20 h »."""
    now = now.astimezone(PARIS)
    hours = f"{format_time(event.start)} – {format_time(event.end)}"
    if event.ongoing(now):
        if event.end.date() == now.date():
            return _("On now, until {time}").format(time=format_time(event.end))
        return _("On now, until {date}").format(date=format_date_long(event.end.date()))
    if event.start.date() == now.date():
        return _("Today, {hours}").format(hours=hours)
    if event.start.date() == now.date() + timedelta(days=1):
        return _("Tomorrow, {hours}").format(hours=hours)
    day = event.start.date()
    return f"{format_weekday(day)} {format_day_month(day)}, {hours}"


def freshness_words(conn: sqlite3.Connection, now: datetime, stale_after: timedelta) -> str | None:
    """« Informations du 28 novembre 2026 » when the last catalog sync is older than ``stale_after``.

    None while the information is fresh. A cache never synchronised says so.
    """
    state = sync_state(conn, "catalog")
    last = _parse(state["last_success_at"]) if state else None
    if last is None:
        return _("Information not yet updated from the town hall")
    if now - last <= stale_after:
        return None
    if last.date() == now.astimezone(PARIS).date():
        return _("Information as of {time} today").format(time=format_time(last))
    return _("Information as of {date}").format(date=format_date_long(last.date()))
