"""« Agenda »: what is on in town in the coming days, soonest first."""

from __future__ import annotations

from kiosk.city.agenda import event_when
from kiosk.i18n import _, ngettext
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen
from screens.city.common import guide, unavailable, with_freshness
from screens.widgets import Column, Label
from screens.widgets.base import Widget
from screens.widgets.list_row import ListRow


class EventsScreen(Screen):
    name = "city_events"

    def title(self) -> str:
        return _("What's on")

    def compose(self) -> Widget:
        city = guide(self.app)
        if city is None:
            return unavailable()
        from screens.city.event import open_event

        now, days = city.now(), city.settings.events_days
        events = city.events()
        intro = ngettext("Events of the next {n} day.", "Events of the next {n} days.", days).format(n=days)
        items: list[Widget] = [Label(intro, size=TEXT_SMALL, colour="muted", id="events-intro")]
        if not events:
            items.append(Label(_("No event is announced for the coming days."), id="events-empty"))
        for i, e in enumerate(events):
            details = [event_when(e, now), e.place_name or "", e.description]
            items.append(ListRow(e.title, details, id=f"event-{i}", on_tap=open_event(self.app, e.id)))
        return Column(with_freshness(city, items), gap=16)
