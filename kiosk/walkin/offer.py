"""Which services give a number without appointment right now, and how long the wait is.

Two sources, one shape (:class:`Choice`):

* **live** — the central API's queue board (``GET /v1/queues``): per service its status
  (open, closed, full for the day, closing soon), the people waiting and the wait estimate
  the town computes from today's handling times;
* **offline** — the catalog's ``walk_in`` data kept in the cache: the hours alone say open,
  closed or closing soon; how many people wait and for how long cannot be known, and the
  screen says so rather than guessing. « Full for the day » cannot be known offline either.

« Closing soon » means the walk-in hours end within :data:`CLOSING_SOON` (the contract's 15
minutes): a number taken now would not be served, so the screen offers a booking instead.
Pure functions of their inputs (no I/O), so the screens and the tests call them directly.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from kiosk.api import models
from kiosk.city.hours import Status as HoursStatus
from kiosk.city.hours import opening_state, week
from kiosk.clock import PARIS

log = logging.getLogger(__name__)

CLOSING_SOON = timedelta(minutes=15)

#: What a service's walk-in queue is now. ``not_walk_in``: the live board says the service no
#: longer takes walk-ins (the cached catalog is older than that decision); ``unknown``: its hours
#: cannot be read here, so no number is given offline (the town's server, reading the same string
#: with the same library, would refuse it too: a printed number nobody would call).
ChoiceStatus = Literal["open", "closing_soon", "closed", "full", "not_walk_in", "unknown"]
TAKES_NUMBERS: frozenset[str] = frozenset({"open"})


@dataclass(frozen=True)
class WalkInService:
    """A service's walk-in data as the catalog gives it (``Service.walk_in``)."""

    id: str
    name: str
    prefix: str              # the number's letter
    hours: str               # OSM opening_hours of the walk-in desk
    daily_capacity: int
    waiting_area: str        # where to wait


@dataclass(frozen=True)
class Choice:
    """One line of the walk-in screen."""

    service: WalkInService
    status: ChoiceStatus
    live: bool                          # from the central API now (else from the catalog's hours)
    waiting: int | None = None          # people waiting now (None: not known offline)
    wait_minutes: int | None = None     # the town's estimate (None: cannot be estimated)
    opens_at: datetime | None = None    # closed: when numbers are given next (None: not known)
    closes_at: datetime | None = None   # open: when the walk-in hours end

    @property
    def takes_numbers(self) -> bool:
        return self.status in TAKES_NUMBERS


def catalog_walk_ins(conn: sqlite3.Connection) -> list[WalkInService]:
    """The cached services that take walk-ins, by name. A row whose walk-in data does not fit
    the contract is left out (and logged once per read): it cannot give a valid number."""
    found = []
    # JSON ``null`` (the catalog's « no walk-ins ») is stored as the text 'null', like any JSON column
    for row in conn.execute("SELECT id, name, walk_in FROM services WHERE walk_in IS NOT NULL "
                            "AND walk_in != 'null' ORDER BY name"):
        service_id, name, raw = row[0], row[1], row[2]
        try:
            data = models.WalkIn.model_validate(json.loads(raw))
        except (ValueError, TypeError):
            log.warning("walk-in data of service %s does not fit the contract; left out", service_id)
            continue
        found.append(WalkInService(service_id, name, data.prefix, data.hours, data.daily_capacity,
                                   data.waiting_area))
    return found


def open_today(service: WalkInService, today: date) -> bool:
    """Whether the service gives walk-in numbers at some time of ``today`` (its hours say so)."""
    days = week(service.hours, None, today, days=1)
    return bool(days and days[0].intervals)


def offline_choices(services: list[WalkInService], now: datetime) -> list[Choice]:
    """From the catalog's hours only: open / closing soon / closed, no wait figures."""
    return [_from_hours(service, now) for service in services]


def _from_hours(service: WalkInService, now: datetime) -> Choice:
    state = opening_state(service.hours, None, now, closing_soon=CLOSING_SOON, place_id=service.id)
    if state.status is HoursStatus.CLOSING_SOON:
        return Choice(service, "closing_soon", live=False, closes_at=state.changes_at)
    if state.status in (HoursStatus.OPEN, HoursStatus.ALWAYS_OPEN):
        return Choice(service, "open", live=False, closes_at=state.changes_at)
    if state.status is HoursStatus.UNKNOWN:
        return Choice(service, "unknown", live=False)
    return Choice(service, "closed", live=False, opens_at=state.changes_at)


def live_choices(services: list[WalkInService], board: models.QueueBoard) -> list[Choice]:
    """The catalog's walk-in services with the board's figures. A service the board does not
    list is shown from... nothing: the town does not run its queue today, so it is closed."""
    by_service = {q.service_id: q for q in board.queues}
    choices = []
    for service in services:
        queue = by_service.get(service.id)
        if queue is None:
            choices.append(Choice(service, "closed", live=True))
            continue
        status: ChoiceStatus = queue.status if queue.accepts_walk_ins else "not_walk_in"
        choices.append(Choice(service, status, live=True, waiting=queue.waiting,
                              wait_minutes=queue.estimated_wait_minutes,
                              opens_at=_paris(queue.opens_at), closes_at=_paris(queue.closes_at)))
    return choices


def _paris(at: datetime | None) -> datetime | None:
    return None if at is None else at.astimezone(PARIS)


def ordered(choices: list[Choice]) -> list[Choice]:
    """Those giving numbers first (as listed), then the others: the first tile is a useful one."""
    return [c for c in choices if c.takes_numbers] + [c for c in choices if not c.takes_numbers]


def as_row(service: WalkInService) -> dict[str, Any]:
    """The service as the catalog's JSON (tests and the gallery seed a cache with it)."""
    return {"prefix": service.prefix, "hours": service.hours, "daily_capacity": service.daily_capacity,
            "waiting_area": service.waiting_area}
