"""Is a place open now, and when does that change? From its OSM ``opening_hours`` string.

The string is parsed and evaluated by opening-hours-py (the Rust ``opening-hours`` crate):
the full OSM syntax, offline. French public holidays (``PH``) come from the library's own
calendar when it is given ``country="FR"``; without a country ``PH`` never matches, so
« PH off » would be silently ignored. The library knows national holidays only: the extra
days of Alsace-Moselle (Good Friday, 26 December) are not in it.

Evaluation uses naive Europe/Paris wall-clock times (the hours are written in local time,
and the library is about twice as fast without a time zone); results get the zone back.

Exceptional closures (the catalog's ``closures``: inclusive ``start``/``end`` dates) are
applied on top: a place closed today is « fermé exceptionnellement », and an opening that
falls inside a closure is skipped when saying when it opens next.

Bad data never raises: a string the library cannot parse gives the UNKNOWN state (the screen
says « Horaires : se renseigner ») and is logged once per place.
"""

from __future__ import annotations

import bisect
import enum
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from opening_hours import OpeningHours, State

from kiosk.clock import PARIS

log = logging.getLogger(__name__)

COUNTRY = "FR"                      # the holiday calendar the library applies to « PH »
MAX_STEPS = 60                      # intervals examined when skipping closures
WINDOW = timedelta(days=2)          # intervals kept per string and day (see _day_window)
ALWAYS_OPEN_NOTICE = timedelta(days=7)   # a closure further ahead does not make « 24/7 » say when it closes
_reported: set[tuple[str, str]] = set()   # (what, place id) already logged

# (start, end, state, comment) as the library yields them; end None = no end in sight.
Interval = tuple[datetime, datetime | None, State, str]


class Status(enum.Enum):
    OPEN = "open"
    CLOSING_SOON = "closing_soon"
    CLOSED = "closed"
    CLOSED_EXCEPTIONALLY = "closed_exceptionally"
    ALWAYS_OPEN = "always_open"
    UNKNOWN = "unknown"             # no hours, hours the library cannot read, or « unknown » in them


class OpeningState(NamedTuple):      # a tuple: a list makes hundreds of them
    status: Status
    changes_at: datetime | None = None   # open: when it closes; closed: when it next opens (None: not known)
    comment: str = ""                    # the string's own comment, e.g. « sur rendez-vous »
    closure_reason: str = ""             # for CLOSED_EXCEPTIONALLY

    @property
    def is_open(self) -> bool:
        return self.status in (Status.OPEN, Status.CLOSING_SOON, Status.ALWAYS_OPEN)


@dataclass(frozen=True)
class Closure:
    start: date
    end: date
    reason: str

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def report_once(what: str, place_id: str, message: str, *args: Any) -> None:
    """Log a data problem of one place once per run (a list is recomputed at every visit)."""
    if (what, place_id) not in _reported:
        _reported.add((what, place_id))
        log.warning(message, *args)


@lru_cache(maxsize=4096)
def _parse(text: str) -> OpeningHours | None:
    """Parsed once per distinct string: a town has far fewer strings than places."""
    try:
        return OpeningHours(text, country=COUNTRY)
    except Exception:  # noqa: BLE001 - the library raises its own ParserError (and may add others)
        return None


def warm_up(texts: Iterable[str | None], day: date) -> int:
    """Parse ``texts`` and read their intervals for ``day`` ahead of need (a background thread
    when the city screens first open): the first list a visitor opens then costs no parsing.
    Returns how many readable strings were prepared."""
    done = 0
    for text in texts:
        if text and text.strip() and _parse(text.strip()) is not None:
            _day_window(text.strip(), day)
            done += 1
    return done


def parse_hours(text: str | None, place_id: str = "") -> OpeningHours | None:
    """The parsed hours, or None when absent or unreadable (logged once per place)."""
    if text is None or not text.strip():
        return None
    parsed = _parse(text.strip())
    if parsed is None:
        report_once("hours", place_id, "place %s: opening hours %r cannot be read; shown as « se renseigner »",
                    place_id or "?", text[:120])
    return parsed


@lru_cache(maxsize=8192)
def _day_window(text: str, day: date) -> tuple[tuple[datetime, ...], tuple[Interval, ...]]:
    """The intervals of ``text`` over ``day`` and the next one, with their starts for bisection.

    A list reads the state of hundreds of places, and the same places are read again all day:
    asking the library for the intervals once per string and day, then looking ``now`` up in
    them, is several times cheaper than a fresh evaluation per place and per visit.
    """
    start = datetime.combine(day, time())
    hours = _parse(text)
    assert hours is not None, "only readable hours have a window"
    window: tuple[Interval, ...] = tuple(hours.intervals(start, start + WINDOW))
    return tuple(w[0] for w in window), window


def _intervals_from(text: str, hours: OpeningHours, wall: datetime) -> Iterator[Interval]:
    """Successive intervals from ``wall`` on: from the day's window, then from the library."""
    starts, window = _day_window(text, wall.date())
    i = max(0, bisect.bisect_right(starts, wall) - 1)
    if not window:
        yield from hours.intervals(wall)
        return
    _start, end, state, comment = window[i]
    yield wall, end, state, comment
    yield from window[i + 1:]
    last_end = window[-1][1]
    if last_end is not None:
        yield from hours.intervals(last_end)       # beyond the window (seasons, long closures)


def parse_closures(raw: Iterable[Any] | None, place_id: str = "") -> list[Closure]:
    """Catalog closures (``start``/``end``, or a single ``date``), bad entries skipped and logged once."""
    out = []
    for item in raw or ():
        try:
            start = date.fromisoformat(str(item.get("start") or item["date"])[:10])
            end = date.fromisoformat(str(item.get("end") or item.get("date") or start)[:10])
            reason = str(item.get("reason") or "")
        except (AttributeError, KeyError, TypeError, ValueError):
            report_once("closure", place_id, "place %s: an exceptional closure is unreadable and ignored: %r",
                        place_id or "?", str(item)[:120])
            continue
        out.append(Closure(start, max(start, end), reason))
    return out


def as_closures(closures: Sequence[Closure] | Iterable[Any] | None, place_id: str = "") -> list[Closure]:
    """Closures already parsed pass through; catalog JSON is parsed."""
    if not closures:
        return []
    closures = list(closures)
    if all(isinstance(c, Closure) for c in closures):
        return closures
    return parse_closures(closures, place_id)


def _closure_on(closures: Sequence[Closure], day: date) -> Closure | None:
    for closure in closures:
        if closure.covers(day):
            return closure
    return None


def _aware(wall: datetime | None) -> datetime | None:
    return None if wall is None else wall.replace(tzinfo=PARIS)


def _next_opening(intervals: Iterator[Interval], closures: Sequence[Closure]) -> datetime | None:
    """The first open moment of ``intervals`` that is not inside an exceptional closure."""
    for start, end, state, _comment in islice(intervals, MAX_STEPS):
        if state != State.OPEN:
            continue
        candidate = start
        closure = _closure_on(closures, candidate.date())
        while closure is not None:
            candidate = datetime.combine(closure.end + timedelta(days=1), time())
            closure = _closure_on(closures, candidate.date())
        if end is None or candidate < end:
            return candidate
    return None


def _closing_time(intervals: Iterator[Interval], wall: datetime, first_end: datetime | None,
                  closures: Sequence[Closure]) -> datetime | None:
    """When an open place closes: the end of its open run, or the start of a closure if sooner."""
    end = first_end
    # adjacent open intervals (a new comment, a new rule) are one opening for a passer-by
    while end is not None:
        following = next(intervals, None)
        if following is None or following[2] != State.OPEN or following[0] != end:
            break
        end = following[1]
    limit = end if end is not None else wall + ALWAYS_OPEN_NOTICE
    for closure in closures:
        begins = datetime.combine(closure.start, time())
        if wall < begins < limit:
            end = begins if end is None else min(end, begins)
    return end


def local_wall(now: datetime) -> datetime:
    """Aware time → naive Paris wall-clock time, as the library evaluates it (once per list)."""
    if now.tzinfo is None:
        raise ValueError("an aware datetime is needed (the clock gives Europe/Paris time)")
    return now.astimezone(PARIS).replace(tzinfo=None)


def opening_state(hours_text: str | None, closures: Sequence[Closure] | Iterable[Any] | None, now: datetime, *,
                  closing_soon: timedelta = timedelta(minutes=30), place_id: str = "") -> OpeningState:
    """The state of a place at ``now`` (aware), for a list row or a place screen."""
    return state_at(hours_text, as_closures(closures, place_id), local_wall(now), closing_soon, place_id)


def state_at(hours_text: str | None, closures: list[Closure], wall: datetime, closing_soon: timedelta,
             place_id: str = "") -> OpeningState:
    """:func:`opening_state` at a wall-clock time, with parsed closures (a list computes both once)."""
    hours = parse_hours(hours_text, place_id)
    intervals = _intervals_from(hours_text.strip(), hours, wall) \
        if hours is not None and hours_text is not None else iter(())
    if closures:
        closed_today = _closure_on(closures, wall.date())
        if closed_today is not None:
            return OpeningState(Status.CLOSED_EXCEPTIONALLY, _aware(_next_opening(intervals, closures)),
                                closure_reason=closed_today.reason)
    if hours is None:
        return OpeningState(Status.UNKNOWN)
    _start, end, state, comment = next(intervals, (wall, None, State.UNKNOWN, ""))
    if state == State.OPEN:
        closes = _closing_time(intervals, wall, end, closures)
        if closes is None:
            return OpeningState(Status.ALWAYS_OPEN, comment=comment)
        soon = closes - wall <= closing_soon
        return OpeningState(Status.CLOSING_SOON if soon else Status.OPEN, _aware(closes), comment)
    if state == State.CLOSED:
        return OpeningState(Status.CLOSED, _aware(_next_opening(intervals, closures)), comment)
    return OpeningState(Status.UNKNOWN, comment=comment)


# -- the week, day by day -------------------------------------------------------------------

@dataclass(frozen=True)
class DayHours:
    day: date
    intervals: tuple[tuple[time, time | None], ...]   # open periods; end None = until midnight
    is_today: bool = False
    holiday: bool = False
    closure_reason: str | None = None                 # set when closed exceptionally that day
    unknown: bool = False                             # the hours say « unknown » for (part of) the day

    @property
    def open_all_day(self) -> bool:
        return self.intervals == ((time(0), None),)


def is_public_holiday(day: date) -> bool:
    """From the library's own French calendar, so the week view and « PH » always agree."""
    holidays = _parse("PH")
    assert holidays is not None, "« PH » is always readable"
    return holidays.is_open(datetime.combine(day, time(12)))


def week(hours_text: str | None, closures: Sequence[Closure] | Iterable[Any] | None, today: date, *, days: int = 7,
         place_id: str = "") -> list[DayHours] | None:
    """``days`` days from ``today``, or None when the hours are absent or unreadable."""
    hours = parse_hours(hours_text, place_id)
    if hours is None:
        return None
    closures = as_closures(closures, place_id)
    out = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        holiday, closure = is_public_holiday(day), _closure_on(closures, day)
        if closure is not None:
            out.append(DayHours(day, (), offset == 0, holiday, closure.reason or ""))
            continue
        midnight = datetime.combine(day, time())
        spans, unknown = [], False
        for start, end, state, _comment in hours.intervals(midnight, midnight + timedelta(days=1)):
            if state == State.UNKNOWN:
                unknown = True
            if state != State.OPEN:
                continue
            stop = None if end is None or end.date() > day else end.time()
            spans.append((start.time(), stop))
        out.append(DayHours(day, tuple(spans), offset == 0, holiday, None, unknown))
    return out
