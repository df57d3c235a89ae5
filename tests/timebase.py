"""The instant the tests start from: one setting for the whole suite.

``KIOSK_TEST_NOW`` (an ISO 8601 instant with its offset, « Z » allowed) moves every test that
starts the reference server or seeds from its demo town to another date, so the suite proves it
passes whatever the day it runs (``make test-instants``: the night Paris changes clocks, New
Year's Eve). Without it, the tests start from :data:`DEFAULT_NOW`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta

from kiosk.clock import PARIS

# Monday 4 May 2026, 7 h in Paris: the instant most reference-server tests started from before it was a setting.
DEFAULT_NOW = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)
VARIABLE = "KIOSK_TEST_NOW"


def test_now() -> datetime:
    """``KIOSK_TEST_NOW`` as an aware datetime, or :data:`DEFAULT_NOW`."""
    text = os.environ.get(VARIABLE, "").strip()
    if not text:
        return DEFAULT_NOW
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(f"{VARIABLE}={text!r}: give the UTC offset, e.g. 2026-12-31T23:50:00+01:00")
    return when


test_now.__test__ = False  # type: ignore[attr-defined]  # pytest: a helper, not a test


def next_working_day_at(hour: int, minute: int = 0, *, after: datetime | None = None) -> datetime:
    """The first Monday-to-Friday strictly after ``after``'s day (default :func:`test_now`) that
    is not a French public holiday, at ``hour:minute`` in Paris: for scenarios that need the
    town hall open, derived deterministically from the test instant."""
    from kiosk.demo_api.holidays import is_holiday

    day = (after or test_now()).astimezone(PARIS).date() + timedelta(days=1)
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), PARIS)


def seeded_slots(agenda_id: str, *, after: datetime | None = None,
                 today: bool = False) -> list[tuple[str, datetime]]:
    """``(slot id, start)`` of the agenda's slots in the demo town seeded at :func:`test_now`, on the
    days after ``after``'s day (default: the test instant; ``today``: and those of its own day still
    to come): tests that book pick theirs from the data, whatever the weekday of the instant and
    the holidays around it."""
    from kiosk.demo_api import seed, seed_data

    seeded = test_now()
    start = after or seeded
    agenda = next(a for a in seed_data.AGENDAS if a[0] == agenda_id)
    seeded_on = seeded.astimezone(PARIS).date()
    rows = seed.slot_rows(agenda, seeded_on, seed.SLOT_DAYS, seeded_on=seeded_on)
    day = start.astimezone(PARIS).date()
    found = [(row[0], datetime.fromisoformat(row[2])) for row in rows]
    return [(sid, at) for sid, at in found if (at > start if today else at.date() > day)]


def first_slot_at(agenda_id: str, hhmm: str, *, after: datetime | None = None) -> tuple[str, datetime]:
    """The agenda's first seeded slot starting at ``hhmm`` (Paris) after ``after``'s day."""
    return next((sid, at) for sid, at in seeded_slots(agenda_id, after=after) if f"{at:%H:%M}" == hhmm)
