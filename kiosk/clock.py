"""One clock for every timer in the app, so tests can set time instead of waiting.

Timers (idle warning, admin lockout, toasts, inertia, header clock) read
``monotonic()``; anything shown to people or stamped on data reads ``now()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class Clock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        """Aware local time of the terminal (French towns: Europe/Paris)."""
        return datetime.now(PARIS)


class StartedClock(Clock):
    """The real clock, except that wall time starts at a chosen instant and runs on from there
    (a process a test starts at its instant: timers still fire, as they do not on a ManualClock)."""

    def __init__(self, start: datetime) -> None:
        self._start = start if start.tzinfo else start.replace(tzinfo=PARIS)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=time.monotonic() - self._t0)).astimezone(PARIS)


WallListener = Callable[[datetime], None]
"""Called with the new wall time each time a :class:`ManualClock` moves."""


class ManualClock(Clock):
    """A clock that only moves when told to (tests, screenshots, benchmarks).

    Listeners hear every move, synchronously, before ``advance``/``set_now`` returns: a
    reference server in a child process follows the test's time this way (``DataLayer``),
    and the test never races it.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
        if self._wall.tzinfo is None:
            self._wall = self._wall.replace(tzinfo=PARIS)
        self._mono = 1000.0
        self._listeners: list[WallListener] = []

    def add_listener(self, listener: WallListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: WallListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _moved(self) -> None:
        for listener in list(self._listeners):
            listener(self._wall)

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)
        self._moved()

    def set_now(self, when: datetime) -> None:
        """Jump the wall clock (monotonic time is unaffected, as on a real NTP step)."""
        self._wall = when if when.tzinfo else when.replace(tzinfo=PARIS)
        self._moved()


def utcnow() -> datetime:
    return datetime.now(UTC)
