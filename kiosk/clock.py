"""One clock for every timer in the app, so tests can set time instead of waiting.

Timers (idle warning, admin lockout, toasts, inertia, header clock) read
``monotonic()``; anything shown to people or stamped on data reads ``now()``.
"""

from __future__ import annotations

import time
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


class ManualClock(Clock):
    """A clock that only moves when told to (tests, screenshots, benchmarks)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
        if self._wall.tzinfo is None:
            self._wall = self._wall.replace(tzinfo=PARIS)
        self._mono = 1000.0

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def set_now(self, when: datetime) -> None:
        """Jump the wall clock (monotonic time is unaffected, as on a real NTP step)."""
        self._wall = when if when.tzinfo else when.replace(tzinfo=PARIS)


def utcnow() -> datetime:
    return datetime.now(UTC)
