"""Opening states, weeks, distances and directions in words, in the visitor's language.

Kept apart from :mod:`kiosk.city.hours` (which only computes) so the wording can be read,
and translated, in one place. « Ouvert · ferme à 18 h », « Fermé · ouvre demain à 9 h »,
« Fermé · ouvre lundi à 8 h 30 »: the day is said the way a person says it — nothing today,
« demain », a weekday within the week, a date beyond.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from kiosk.city.hours import DayHours, OpeningState, Status
from kiosk.clock import PARIS
from kiosk.formatting import format_date_short, format_day_month, format_time, format_weekday
from kiosk.i18n import _


def _opens(kind: str) -> str:
    return {"today": _("Closed · opens at {time}"), "tomorrow": _("Closed · opens tomorrow at {time}"),
            "weekday": _("Closed · opens {weekday} at {time}"), "date": _("Closed · opens on {date} at {time}")}[kind]


def _closes(kind: str) -> str:
    return {"today": _("Open · closes at {time}"), "tomorrow": _("Open · closes tomorrow at {time}"),
            "weekday": _("Open · closes {weekday} at {time}"), "date": _("Open · closes on {date} at {time}")}[kind]


def _day_kind(moment: datetime, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return "weekday" if days < 7 else "date"


def time_words(t: time) -> str:
    """« 9 h 30 »; midnight as a word (« ferme à minuit », not « à 0 h »)."""
    return _("midnight") if t == time(0) else format_time(t)


def _when(template: Callable[[str], str], moment: datetime, now: datetime, *, closing: bool) -> str:
    moment, now = moment.astimezone(PARIS), now.astimezone(PARIS)
    shown = moment.time()
    if closing and shown == time(0):
        moment -= timedelta(microseconds=1)      # closing « at midnight » belongs to the day before
    return template(_day_kind(moment, now)).format(time=time_words(shown), weekday=format_weekday(moment.date()),
                                                   date=format_day_month(moment.date()))


def state_words(state: OpeningState, now: datetime) -> str:
    """One line for a list row: what a passer-by needs to decide whether to go."""
    status = state.status
    if status == Status.CLOSED_EXCEPTIONALLY:
        text = _("Exceptionally closed")
    elif status == Status.ALWAYS_OPEN:
        text = _("Open 24/7")
    elif status == Status.UNKNOWN:
        return _("Opening hours: please ask")
    elif status == Status.CLOSING_SOON:
        assert state.changes_at is not None, "an open place's state says when it closes"
        text = _("Closing soon · at {time}").format(time=time_words(state.changes_at.astimezone(PARIS).time()))
    elif status == Status.OPEN:
        assert state.changes_at is not None, "an open place's state says when it closes"
        text = _when(_closes, state.changes_at, now, closing=True)
    elif state.changes_at is not None:
        text = _when(_opens, state.changes_at, now, closing=False)
    else:
        text = _("Closed")
    if state.comment and status != Status.CLOSED_EXCEPTIONALLY:
        text += f" · {state.comment}"
    return text


def reopening_words(state: OpeningState, now: datetime) -> str | None:
    """For a place closed exceptionally: its reason and when it opens again (place screen)."""
    if state.status != Status.CLOSED_EXCEPTIONALLY:
        return None
    parts = [state.closure_reason] if state.closure_reason else []
    if state.changes_at is not None:
        parts.append(_when(_opens, state.changes_at, now, closing=False).split(" · ", 1)[-1])
    return " · ".join(parts) or None


def day_label(day: DayHours) -> str:
    return _("Today") if day.is_today else format_date_short(day.day)


def day_hours_words(day: DayHours) -> str:
    """« 8 h 30 – 12 h, 13 h 30 – 17 h », « Fermé », « 24 h/24 », « Fermé exceptionnellement »."""
    if day.closure_reason is not None:
        return _("Exceptionally closed")
    if day.open_all_day:
        return _("Open all day")
    if not day.intervals:
        return _("Hours not known") if day.unknown else _("Closed")
    return ", ".join(f"{format_time(start)} – {time_words(end or time(0))}" for start, end in day.intervals)


def day_note(day: DayHours) -> str:
    """A second line for the day, or "": public holiday, reason of a closure."""
    notes = []
    if day.holiday:
        notes.append(_("Public holiday"))
    if day.closure_reason:
        notes.append(day.closure_reason)
    return " · ".join(notes)


_ARROWS = ("↑", "↗", "→", "↘", "↓", "↙", "←", "↖")


def direction_arrow(sector: int) -> str:
    """An arrow for one of the 8 sectors of :func:`kiosk.city.geo.sector` (0 = straight ahead)."""
    return _ARROWS[sector % 8]


def direction_words(sector: int) -> str:
    return (_("straight ahead"), _("ahead on the right"), _("to the right"), _("behind you on the right"),
            _("behind you"), _("behind you on the left"), _("to the left"), _("ahead on the left"))[sector % 8]
