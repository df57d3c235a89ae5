"""When a booking may be checked in at the counter: the terminal's rule, ``[checkin]``.

The central API checks the day only; the window around the start is the town's counter
practice, so it is configured per terminal: from ``early_min`` before the start until
``late_grace_min`` after it. Earlier, the person is told when check-in opens; later, that the
appointment has passed (and offered a number without appointment, or a new booking).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from kiosk.clock import PARIS


class Timing(StrEnum):
    ON_TIME = "on_time"
    TOO_EARLY = "too_early"
    LATE = "late"
    OTHER_DAY = "other_day"


def opens_at(start: datetime, early_min: int) -> datetime:
    return start - timedelta(minutes=early_min)


def timing(start: datetime, now: datetime, *, early_min: int, late_grace_min: int) -> Timing:
    """Where ``now`` lies against the appointment's window (days are the town's)."""
    if start.astimezone(PARIS).date() != now.astimezone(PARIS).date():
        return Timing.OTHER_DAY
    if now < opens_at(start, early_min):
        return Timing.TOO_EARLY
    if now > start + timedelta(minutes=late_grace_min):
        return Timing.LATE
    return Timing.ON_TIME
