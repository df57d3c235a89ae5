"""« Choisissez un horaire »: the day's free times, morning then afternoon.

A service with several counters shows the union of their times (kiosk.services merges
them): the person picks a time, never a counter.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kiosk.booking import flow as booking_flow
from kiosk.formatting import format_date_long, format_time
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Screen
from screens.widgets import Button, Column, Grid, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from kiosk.services import DaySlot
    from screens.base import ScreenHost

NOON = 12


class BookingTimeScreen(Screen):
    name = "booking_time"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.draft = booking_flow.draft(app)

    def title(self) -> str:
        return _("Choose a time")

    def compose(self) -> Widget:
        d, lang = self.draft, self.app.visit.settings.language
        day = d.chosen_day
        slots = booking_flow.services(self.app).availability.day_slots(d.chosen_service_id, day)
        parts: list[Widget] = [Label(format_date_long(day, lang), size=TEXT_BODY + 4, bold=True, id="day-title")]
        if not slots:
            parts.append(Label(_("The free times of this day were just taken. Please choose another day."),
                               bg="surface", padding=24, id="no-slot"))
            parts.append(Button(_("Choose another day"), kind="primary", id="other-day", on_tap=self.dismiss))
            return Column(parts, gap=24)
        width, height = self.app.display.logical
        columns = 6 if width > height else 4
        chosen = d.slot.slot_id if d.slot else None
        halves: dict[str, list[Button]] = {"am": [], "pm": []}
        for s in slots:   # a crowded day has hundreds: one pass, no date formatting beyond the label
            t = s.start.time()
            halves["am" if t.hour < NOON else "pm"].append(Button(
                format_time(t, lang), kind="key", selected=s.slot_id == chosen, id=f"slot-{t.hour:02d}{t.minute:02d}",
                on_tap=partial(self._choose, s)))
        for part, title in (("am", _("Morning")), ("pm", _("Afternoon"))):
            buttons = halves[part]
            if not buttons:
                continue
            parts.append(Label(title, bold=True, id=f"{part}-title"))
            parts.append(Grid(buttons, columns=columns, min_tile_height=0, gap=12, uniform=True,
                              id=f"{part}-slots"))
        return Column(parts, gap=24)

    def _choose(self, slot: DaySlot) -> None:
        from screens.booking.person import BookingPersonScreen

        self.draft.slot = slot
        self.app.nav.push(BookingPersonScreen(self.app))
