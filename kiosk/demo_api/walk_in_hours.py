"""When a service hands out walk-in numbers: its ``walk_in.hours`` (OSM opening_hours).

Read with the same library as the terminal's place hours (opening-hours-py, French public
holidays for ``PH``), in naive Europe/Paris wall-clock time as the hours are written, so the
server and an offline terminal judge the same string alike. A string the library cannot read
means closed (and says so in the log): no number is handed out on hours nobody can read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from opening_hours import OpeningHours, State

from .seed import PARIS

log = logging.getLogger("kiosk.demo_api")
CLOSING_SOON = timedelta(minutes=15)


@dataclass(frozen=True)
class WalkInWindow:
    is_open: bool
    opens_at: datetime | None    # closed: the next opening later the same town day
    closes_at: datetime | None   # open: the end of the current stretch

    def closing_soon(self, now: datetime) -> bool:
        return self.is_open and self.closes_at is not None and self.closes_at - now <= CLOSING_SOON


@lru_cache(maxsize=64)
def _parse(hours: str) -> OpeningHours | None:
    try:
        return OpeningHours(hours, country="FR")
    except Exception:  # noqa: BLE001 - the library raises its own ParserError (untyped in its stubs)
        log.warning("walk-in hours cannot be read: %r; treated as closed", hours)
        return None


def window(hours: str, now: datetime) -> WalkInWindow:
    """Open or not at ``now``, and when that changes within the town day."""
    parsed = _parse(hours)
    if parsed is None:
        return WalkInWindow(False, None, None)
    wall = now.astimezone(PARIS).replace(tzinfo=None)
    midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    for start, end, state, _comment in parsed.intervals(wall, midnight):
        if start <= wall < (end or midnight):
            if state == State.OPEN:
                closes = None if end is None or end >= midnight else end.replace(tzinfo=PARIS)
                return WalkInWindow(True, None, closes)
            continue
        if start > wall and state == State.OPEN:
            return WalkInWindow(False, start.replace(tzinfo=PARIS), None)
    return WalkInWindow(False, None, None)
