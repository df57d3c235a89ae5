"""What can be booked, read from the offline cache only (the same online or offline).

These reads are small indexed SQLite queries (well under a millisecond for a month of a
service's slots), so the UI thread makes them itself, on its own connection: a screen
opening a day must not wait for a thread hop. Days are Paris days; slot times come back
as aware Paris datetimes.

A service with several agendas (several counters) is shown as one: its slots are the
union, and slots of different counters starting at the same time become one
:class:`DaySlot` (the person does not choose a counter; counters may have slots of
different lengths, the start is what the person picks); booking takes the counter with
the most places left, and its slot's end.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.booking.opening import PlaceHours
from kiosk.catalog_text import domain_name, translations
from kiosk.clock import PARIS, Clock
from kiosk.text import folded_words
from offline_cache import health
from offline_cache import places as cache_reads
from offline_cache.db import generation, open_cache, storage_error
from offline_cache.errors import CacheCorrupt, CacheError

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=PARIS)
SLOTS_PER_READ = 50   # slots read at a time after a first one the place's hours refuse


@dataclass(frozen=True)
class DaySlot:
    start: datetime
    end: datetime
    places_left: int
    slot_ids: tuple[str, ...]   # best counter first (most places left)

    @property
    def slot_id(self) -> str:
        return self.slot_ids[0]


@lru_cache(maxsize=8192)
def _paris(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(PARIS)   # the cache's UTC text ends in Z (Python ≥ 3.11)


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, PARIS), datetime.combine(last + timedelta(days=1), time.min, PARIS))


class Availability:
    """Reads for the booking screens; one per thread (it owns a cache connection)."""

    def __init__(self, cache_path: str | Path, clock: Clock | None = None) -> None:
        self.cache_path, self.clock = Path(cache_path), clock or Clock()
        self._conn: sqlite3.Connection | None = None
        self._generation = 0

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is not None and self._generation != generation(self.cache_path):
            self.close()   # a damaged file was replaced: this connection reads the old one
        if self._conn is None:
            self._conn = open_cache(self.cache_path, recover=True)
            self._generation = generation(self.cache_path)
        return self._conn

    def usable(self) -> bool:
        """Whether there is anything to book from: the cache opens and holds services. False
        when it cannot be read (said once in the log, see offline_cache.health) or is still
        empty — the screen then says the plain « not available yet » sentence, not an apology.
        A file found damaged here is read whole once more, which moves it aside and starts a
        new one (offline_cache.db); the sync worker fills it."""
        for attempt in range(2):
            try:
                return self.conn.execute("SELECT 1 FROM services LIMIT 1").fetchone() is not None
            except (CacheError, sqlite3.Error) as exc:
                problem = storage_error(exc, self.cache_path)
                self.close()
                if not isinstance(problem, CacheCorrupt) or attempt:
                    health.noticed(problem, self.cache_path)
                    return False
                try:
                    open_cache(self.cache_path, check=True, recover=True).close()
                except CacheError as again:
                    health.noticed(again, self.cache_path)
                    return False
        return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- catalog -------------------------------------------------------------------------
    def domains(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT domain FROM services ORDER BY domain")]

    def services(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Services by name, each with ``next_free`` (the first free slot's start, or None)."""
        found = cache_reads.services(self.conn, domain)
        hours: dict[str | None, PlaceHours] = {}        # most services are at a few places
        for service in found:
            at = service.get("place_id")
            if at not in hours:
                hours[at] = self._hours(service)
            service["next_free"] = self._first_free(service, self._bookable_from(), hours=hours[at])
        return found

    def service(self, service_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM services WHERE id = ?", (service_id,)).fetchone()
        if row is None:
            return None
        service = dict(row)
        service["documents"] = json.loads(service["documents"])
        service["agenda_ids"] = json.loads(service["agenda_ids"])
        service["translations"] = json.loads(service.get("translations") or "{}")
        return service

    def search_services(self, query: str) -> list[dict[str, Any]]:
        """Services whose name or domain has every typed word as the start of one of its words,
        ignoring accents and case (« etat civ » finds « État civil »), in French or in a language
        the town translated it into (« identity » finds the identity card), domains in the UI's."""
        wanted = folded_words(query)
        found = self.services()
        if not wanted:
            return found
        return [s for s in found if all(any(w.startswith(q) for w in _searchable(s)) for q in wanted)]

    def place(self, place_id: str | None) -> dict[str, Any] | None:
        """Where a service takes place (name, address, opening hours), or None."""
        return cache_reads.get_place(self.conn, place_id) if place_id else None

    # -- slots ---------------------------------------------------------------------------
    def free_days(self, service_id: str, first: date, last: date) -> list[date]:
        """Paris days in [first, last] with at least one free future slot (the month calendar).

        The hours that hold a free slot, then, when the place's hours can be read, one indexed
        ``LIMIT 1`` probe per such day for its first slot those hours allow, rather than reading
        every slot of the month (thousands of rows, several milliseconds): the calendar step must
        open within a frame or two (about 2 ms for a month of the identity card's two counters)."""
        service = self.service(service_id)
        if service is None or not service["agenda_ids"]:
            return []
        start, end = _day_bounds(first, last)
        hours = cache_reads.free_hours(self.conn, service["agenda_ids"], max(start, self._bookable_from()), end)
        days = sorted({_paris(f"{hour}:00:00+00:00").date() for hour in hours})
        place_hours = self._hours(service)
        if not place_hours.known:
            return days
        return [day for day in days if self._first_free(service, max(_day_bounds(day, day)[0],
                                                                      self._bookable_from()),
                                                         _day_bounds(day, day)[1], place_hours)]

    def published_until(self, service_id: str) -> date | None:
        """The last Paris day the town has published times for (free or taken): beyond it a
        calendar is grey because booking is not open yet, not because everything is taken."""
        service = self.service(service_id)
        if service is None or not service["agenda_ids"]:
            return None
        marks = ", ".join("?" for _ in service["agenda_ids"])
        row = self.conn.execute(f"SELECT max(start) FROM slots WHERE agenda_id IN ({marks})",
                                service["agenda_ids"]).fetchone()
        return _paris(row[0]).date() if row and row[0] else None

    def next_free_day(self, service_id: str, after: date) -> date | None:
        """The first day after ``after`` with a free slot (« jour suivant disponible »)."""
        service = self.service(service_id)
        if service is None:
            return None
        start = max(_day_bounds(after + timedelta(days=1), after)[0], self._bookable_from())
        first = self._first_free(service, start)
        return first.date() if first else None

    def day_slots(self, service_id: str, day: date) -> list[DaySlot]:
        """Free future slots of ``day``, counters merged, by start time."""
        service = self.service(service_id)
        if service is None:
            return []
        return self._day_slots(service, self._hours(service), day)

    def _day_slots(self, service: dict[str, Any], hours: PlaceHours, day: date) -> list[DaySlot]:
        start, end = _day_bounds(day, day)
        merged: dict[str, list[tuple[Any, ...]]] = {}   # rows come by start time, so the slots do too
        for row in cache_reads.free_slot_rows(self.conn, service["agenda_ids"], max(start, self._bookable_from()),
                                              end):
            if hours.admits(_paris(row[0]), _paris(row[1])):
                merged.setdefault(row[0], []).append(row)
        out = []
        for begin, rows in merged.items():   # (start, end, places_left, id, agenda_id)
            if len(rows) > 1:
                rows.sort(key=lambda r: (-r[2], r[4]))
            out.append(DaySlot(_paris(begin), _paris(rows[0][1]), sum(r[2] for r in rows), tuple(r[3] for r in rows)))
        return out

    def _hours(self, service: dict[str, Any]) -> PlaceHours:
        """The opening hours of the service's place: no slot outside them is offered (see
        :mod:`kiosk.booking.opening`)."""
        return PlaceHours(self.place(service.get("place_id")))

    def _first_free(self, service: dict[str, Any], start: datetime, end: datetime | None = None,
                    hours: PlaceHours | None = None) -> datetime | None:
        """The start of the first free slot in [start, end) that the place's hours allow. The
        first one nearly always is: it is read alone, then more at a time."""
        hours = hours or self._hours(service)
        batch = 1
        while True:
            rows = cache_reads.free_slot_rows(self.conn, service["agenda_ids"], start, end or FAR_FUTURE, batch)
            for row in rows:
                begin = _paris(row[0])
                if hours.admits(begin, _paris(row[1])):
                    return begin
            if len(rows) < batch:
                return None
            start, batch = _paris(rows[-1][0]) + timedelta(seconds=1), SLOTS_PER_READ

    def _bookable_from(self) -> datetime:
        """A slot starting this very second is gone already (a request for it would be refused)."""
        return self.clock.now() + timedelta(seconds=1)

    # -- freshness -----------------------------------------------------------------------
    def cache_age_s(self) -> float | None:
        """Seconds since availability was last confirmed by the server (the oldest agenda's
        last success); None when it never was. Screens label offline availability with it."""
        # agendas the catalog dropped keep their old sync state: they do not count
        row = self.conn.execute("SELECT min(last_success_at), count(*) FROM sync_state WHERE resource IN "
                                "(SELECT 'slots:' || id FROM agendas)").fetchone()
        if not row[1] or row[0] is None:
            return None
        return max(0.0, (self.clock.now() - _paris(row[0])).total_seconds())


def _searchable(service: dict[str, Any]) -> list[str]:
    """A service's words for search: its French name and domain, the town's translated names and
    the domain as the kiosk shows it in the current language."""
    names = [service["name"], service["domain"], domain_name(service["domain"])]
    names += [t.get("name") or "" for t in translations(service).values() if isinstance(t, dict)]
    return folded_words(" ".join(names))
