"""« Avant de réserver »: what the service is, for whom, how long, where, and the documents
to bring — shown before anything is asked, because people fail appointments for a
missing document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.booking import flow as booking_flow
from kiosk.catalog_text import french_only_note, service_text
from kiosk.formatting import format_duration_min
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from screens.base import ScreenHost


class BookingServiceScreen(Screen):
    name = "booking_service"

    def __init__(self, app: ScreenHost, service_id: str) -> None:
        super().__init__(app)
        self.service_id = service_id

    def title(self) -> str:
        return _("Before you book")

    def compose(self) -> Widget:
        reads = booking_flow.services(self.app).availability
        service = reads.service(self.service_id) or {}
        place = reads.place(service.get("place_id"))
        lang = self.app.visit.settings.language
        text = service_text(service, lang)
        docs = service.get("documents") or []
        parts: list[Widget] = [Label(text.name, size=TEXT_BODY + 8, bold=True, id="service-name"),
                               Label(text.description, id="service-description")]
        # One note, next to what is French: the name or description, else the documents' labels
        # (the contract translates names and descriptions only), never under an English text alone.
        note = [Label(french_only_note(), size=TEXT_SMALL, colour="muted", id="french-only")] \
            if lang != "fr" and (text.french_only or docs) else []
        if text.french_only:
            parts[1:1], note = note, []
        facts = []
        if service.get("duration_minutes"):
            facts.append(Label(_("Duration: about {duration}").format(
                duration=format_duration_min(service["duration_minutes"], lang)), id="service-duration"))
        if place:
            facts.append(Label(_("Where: {place}, {address}").format(place=place["name"], address=place["address"]),
                               id="service-place"))
        parts.append(Column(facts, gap=12))
        if docs:
            items = [Label(_("Documents to bring"), bold=True, id="documents-title"), *note]
            items += [Label(f"•\u00a0{d['label']}" + (f" ({d['note']})" if d.get("note") else ""), id=f"document-{i}")
                      for i, d in enumerate(docs)]
            items.append(Label(_("Without them, the appointment cannot take place."), size=TEXT_SMALL,
                               colour="muted", id="documents-why"))
            parts.append(Column(items, gap=12, padding=24, bg="surface", id="documents"))
        parts.append(Button(_("Choose a day"), kind="primary", id="choose-day", on_tap=self._next))
        return Column(parts, gap=28)

    def _next(self) -> None:
        from screens.booking.day import BookingDayScreen

        booking_flow.choose_service(self.app, self.service_id)
        self.app.nav.push(BookingDayScreen(self.app))
