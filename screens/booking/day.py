"""« Choisissez un jour »: a month calendar with the days that have free times, the first
one chosen already, and « Jour suivant disponible » to jump ahead without hunting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from kiosk.booking import flow as booking_flow
from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_day_month, format_month_year, weekday_names
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.booking.availability_note import availability_age
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.calendar import FREE_MARK, MonthCalendar
from screens.widgets.icons import Icon

if TYPE_CHECKING:
    from screens.base import ScreenHost

HORIZON_DAYS = 92     # how far the calendar pages ahead (the town publishes about a month)


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class BookingDayScreen(Screen):
    name = "booking_day"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.draft = booking_flow.draft(app)
        reads = booking_flow.services(app).availability
        today = app.clock.now().astimezone(PARIS).date()
        self.today = today
        if self.draft.day is None or self.draft.day < today:
            self.draft.day = reads.next_free_day(self.draft.chosen_service_id, today - timedelta(days=1))
        self.month = (self.draft.day or today).replace(day=1)

    def title(self) -> str:
        return _("Choose a day")

    def compose(self) -> Widget:
        app, d = self.app, self.draft
        lang = app.visit.settings.language
        reads = booking_flow.services(app).availability
        service = reads.service(d.chosen_service_id) or {}
        parts: list[Widget] = [Label(service.get("name", ""), bold=True, id="service-name")]
        age = availability_age(app)
        if age:
            parts.append(Label(age, size=TEXT_SMALL, bold=True, bg="surface", padding=16, id="availability-age"))
        if d.day is None:
            parts.append(Label(_("There is no free time for this service at the moment. Please ask at the town hall "
                                 "reception, or choose another service."), bg="surface", padding=24, id="no-day"))
            return Column(parts, gap=24)
        free = reads.free_days(d.chosen_service_id, self.month, _month_end(self.month))
        first_month = self.today.replace(day=1)
        last_month = (self.today + timedelta(days=HORIZON_DAYS)).replace(day=1)
        prev_month = Button("‹", id="month-prev", on_tap=lambda: self._page(-1))
        prev_month.enabled = self.month > first_month
        next_month = Button("›", id="month-next", on_tap=lambda: self._page(1))
        next_month.enabled = self.month < last_month
        heading = Row([prev_month, Label(format_month_year(self.month, lang), size=TEXT_BODY + 4, bold=True,
                                         align="center", id="month-title"), next_month], gap=16, wrap=False)
        parts.append(heading)
        why = self._why_grey(free, reads.published_until(d.chosen_service_id))
        if why:          # above the days, where it is read before a grey month puzzles anyone
            parts.append(Label(why, bold=True, bg="surface", padding=16, id="month-note"))
        parts.append(MonthCalendar(self.month, free, d.day, weekday_names(lang), self._choose, id="calendar"))
        parts.append(Label(_("{mark} days with free times; the other days cannot be chosen.").format(mark=FREE_MARK),
                           size=TEXT_SMALL, colour="muted", id="legend"))
        parts.append(Label(_("Chosen day: {date}").format(date=format_date_long(d.day, lang)), bold=True,
                           id="chosen-day"))
        parts.append(Row([Button(_("Next available day"), icon=Icon.NEXT, id="next-day", on_tap=self._next_day),
                          Button(_("See the times"), kind="primary", id="see-times", on_tap=self._times)], gap=20))
        return Column(parts, gap=24)

    def _why_grey(self, free: list[date], published: date | None) -> str:
        """Why this month's days cannot be chosen, when some or all are grey for a reason the
        legend does not give: booking is not open that far ahead yet, or nothing is left."""
        lang = self.app.visit.settings.language
        month = format_month_year(self.month, lang)
        if published is not None and self.month > published:
            return _("Appointments for {month} are not open yet: free times are published up to {date}.").format(
                month=month, date=format_date_long(published, lang))
        if not free:
            return _("No free time left in {month}.").format(month=month)
        if published is not None and _month_end(self.month) > published:
            return _("Days after {date} are not open for booking yet.").format(
                date=format_day_month(published, lang))
        return ""

    def _page(self, step: int) -> None:
        month = self.month + timedelta(days=32) if step > 0 else self.month - timedelta(days=1)
        self.month = month.replace(day=1)
        self.rebuild()

    def _choose(self, day: date) -> None:
        self.draft.day = day
        self.rebuild()

    def _next_day(self) -> None:
        found = booking_flow.services(self.app).availability.next_free_day(self.draft.chosen_service_id,
                                                                           self.draft.chosen_day)
        if found is None:
            self.toast(_("There is no later day with free times."))
            return
        self.month = found.replace(day=1)
        self._choose(found)

    def _times(self) -> None:
        from screens.booking.times import BookingTimeScreen

        self.app.nav.push(BookingTimeScreen(self.app))
