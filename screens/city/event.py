"""One event of the agenda: what, when in words, where (a row that opens the venue), what it
is about — and a ticket to take away, through the printing service like a place's.

Before, touching an event opened its venue and the event itself (its day, its description)
was lost; a person deciding whether to come needs the event first and the place second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from kiosk.city.agenda import event_when, event_when_long
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Screen
from screens.city.common import guide, place_row, unavailable, with_freshness
from screens.city.place import open_place
from screens.printing.ticket_printing import TicketPrinting
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget
from screens.widgets.icons import Icon

if TYPE_CHECKING:
    import pygame

    from kiosk.city.agenda import Event
    from screens.base import ScreenHost


def open_event(app: ScreenHost, event_id: str) -> Callable[[], None]:
    """What an event's row does when touched: open its page."""
    def push() -> None:
        app.nav.push(EventScreen(app, event_id))
    return push


class EventScreen(Screen):
    name = "city_event"

    def __init__(self, app: ScreenHost, event_id: str) -> None:
        super().__init__(app)
        self.event_id = event_id
        self.event: Event | None = None
        self.printing = TicketPrinting(
            self, done=_("Your ticket is printed. Don't forget to take it."),
            failed=_("The ticket could not be printed. Please note the information on the screen."))

    def title(self) -> str:
        return self.event.title if self.event else _("Event")

    def build(self) -> None:
        city = guide(self.app)
        self.event = city.event(self.event_id) if city else None   # read before the title is shown
        super().build()

    def compose(self) -> Widget:
        city = guide(self.app)
        if city is None:
            return unavailable()
        event = self.event
        if event is None:
            return Label(_("This event is no longer announced."), id="event-gone")
        now = city.now()
        parts: list[Widget] = []
        today = now.date()
        if event.ongoing(now) or event.start.date() in (today, today + timedelta(days=1)):
            # « En cours », « Aujourd'hui », « Demain »: what the full date does not say at a glance
            parts.append(Label(event_when(event, now), size=TEXT_BODY, colour="muted", id="event-soon"))
        parts.append(Label(event_when_long(event), size=TEXT_BODY + 6, bold=True, id="event-when"))
        if event.description:
            parts.append(Label(event.description, id="event-description"))
        venue = city.place(event.place_id) if event.place_id else None
        if venue is not None:
            parts.append(Label(_("Where"), bold=True, id="event-where-title"))
            parts.append(place_row(venue.row, now, open_place(self.app, venue.row.id), id="event-place"))
        elif event.place_name:
            parts.append(Label(event.place_name, id="event-place-name"))
        if self.printing.available:
            parts.append(Button(_("Print"), kind="primary", icon=Icon.PRINT, id="event-print", on_tap=self._print))
        parts += self.printing.hear_buttons()
        return Column(with_freshness(city, parts), gap=20)

    def _print(self) -> None:
        from kiosk.city.ticket import event_ticket

        city = guide(self.app)
        if not self.app.printing.present or self.event is None or city is None:
            return
        venue = city.place(self.event.place_id) if self.event.place_id else None
        self.printing.submit(event_ticket(self.event, venue, city.now(), self.app.config.branding.town_name))

    def handle_event(self, event: pygame.event.Event) -> None:
        self.printing.handle_event(event)
