"""A service of the town (a passport, a school registration…): what it is, what to bring, where."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.catalog_text import domain_name, french_only_note, service_text
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen
from screens.city.common import category_title, guide, place_row, unavailable
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from screens.base import ScreenHost


PlaceOpener = Callable[["ScreenHost", str], Callable[[], None]]


def open_service(app: ScreenHost, service_id: str, open_place: PlaceOpener) -> Callable[[], None]:
    """What a service's row does when touched: open its page.

    ``open_place`` (``screens.city.place.open_place``) is what the service's « Where » row does:
    handed down by the caller because the place screen lists its services and opens this
    screen, and the two modules must not import each other."""
    def push() -> None:
        app.nav.push(ServiceScreen(app, service_id, open_place))
    return push


class ServiceScreen(Screen):
    name = "city_service"

    def __init__(self, app: ScreenHost, service_id: str, open_place: PlaceOpener) -> None:
        super().__init__(app)
        self.service_id = service_id
        self.open_place = open_place
        self.service: dict[str, Any] | None = None

    def build(self) -> None:
        city = guide(self.app)
        self.service = city.service(self.service_id) if city else None
        super().build()

    def title(self) -> str:
        if not self.service:
            return _("Service")
        return service_text(self.service, self.app.visit.settings.language).name

    def compose(self) -> Widget:
        if guide(self.app) is None:
            return unavailable()
        s = self.service
        if s is None:
            return Label(_("This service is no longer listed."), id="service-gone")
        lang = self.app.visit.settings.language
        text = service_text(s, lang)
        documents = [d.get("label") if isinstance(d, dict) else str(d) for d in s.get("documents") or []]
        documents = [d for d in documents if d]
        parts: list[Widget] = [Label(domain_name(s.get("domain") or "") or category_title(""), size=TEXT_SMALL,
                                     colour="muted", id="service-domain")]
        # One note, next to what is French: the description, else the documents' labels (the
        # contract translates names and descriptions only), never under an English text alone.
        note: list[Widget] = [Label(french_only_note(), size=TEXT_SMALL, colour="muted", id="french-only")] \
            if lang != "fr" and (text.french_only or documents) else []
        if text.french_only:
            parts, note = parts + note, []
        if text.description:
            parts.append(Label(text.description, id="service-description"))
        if s.get("agenda_ids") and self.app.services is not None:
            parts.append(Button(_("Book an appointment"), kind="primary", id="service-book", on_tap=self._book))
        if documents:
            parts += [Label(_("What to bring"), bold=True, id="service-documents-title"), *note]
            parts += [Label(f"• {d}", id=f"service-document-{i}") for i, d in enumerate(documents)]
        city = guide(self.app)
        assert city is not None     # checked at the top of compose
        place = city.place(s["place_id"]) if s.get("place_id") else None
        if place is not None:
            parts.append(Label(_("Where"), bold=True, id="service-where-title"))
            parts.append(place_row(place.row, city.now(), id="service-place",
                                   on_tap=self.open_place(self.app, s["place_id"])))
        return Column(parts, gap=20)

    def _book(self) -> None:
        from screens.booking.choose_service import open_booking

        open_booking(self.app, self.service_id)
