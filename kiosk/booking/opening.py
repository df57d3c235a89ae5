"""Which slots the opening hours of a service's place allow.

The town's agendas and its places are two lists kept by different people; when they
disagree (a 17 h 30 slot at a Mairie that closes at 17 h, a slot on the day of an exceptional
closure), the person would be sent to a closed door. The kiosk believes the place: a slot is
offered only if it lies, start to end, inside one of the place's opening periods that day, and
not on a day it is closed exceptionally. Hours the kiosk cannot read (absent, unparsable, or
« unknown » that day) exclude nothing: it never hides a slot on a guess.

The hours are read by :mod:`kiosk.city.hours` (the same reading as the place's page shows).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from kiosk.city.hours import DayHours, parse_hours, week


@lru_cache(maxsize=4096)
def _day_hours(text: str, closures: str, day: date, place_id: str) -> DayHours | None:
    """One day of a place's hours: every calendar and list of services asks for the same days."""
    days = week(text, json.loads(closures), day, days=1, place_id=place_id)
    return days[0] if days else None


class PlaceHours:
    """One place's opening periods, day by day, read once per day asked."""

    def __init__(self, place: Mapping[str, Any] | None) -> None:
        self._text: str | None = place.get("opening_hours") if place else None
        self._closures = (place.get("closures") if place else None) or []
        self._place_id = str(place.get("id", "")) if place else ""
        self._days: dict[date, DayHours | None] = {}

    @property
    def known(self) -> bool:
        """Whether the hours can be read at all (otherwise every slot is admitted)."""
        return parse_hours(self._text, self._place_id) is not None

    def _day(self, day: date) -> DayHours | None:
        if day not in self._days:
            self._days[day] = _day_hours(self._text, json.dumps(self._closures, sort_keys=True), day,
                                         self._place_id) if self._text else None
        return self._days[day]

    def admits(self, start: datetime, end: datetime) -> bool:
        """Whether a slot from ``start`` to ``end`` (Paris times, same day) is inside the hours."""
        hours = self._day(start.date())
        if hours is None or (hours.unknown and hours.closure_reason is None):
            return True
        if end.date() != start.date():
            return any(b is None and a <= start.time() for a, b in hours.intervals)
        return any(a <= start.time() and (b is None or end.time() <= b)
                   for a, b in hours.intervals)
