"""« Prendre rendez-vous », step 1: choose a domain, then a service — or search for one.

Each service tile shows its next free date, read from the offline cache (the same online
or offline; offline, the screen says how old that availability is). « Annuler un
rendez-vous » starts from here too. :func:`open_booking` is the entry other features
call (the city-information pages offer « Prendre rendez-vous » on a service).
"""

from __future__ import annotations

from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

from kiosk.catalog_text import domain_known, domain_name, french_only_note, service_text
from kiosk.formatting import format_date_long
from kiosk.i18n import _, ngettext
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.booking.availability_note import availability_age
from screens.widgets import AzertyKeyboard, Button, Column, Grid, Label, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.icons import Icon
from screens.widgets.keyboard import BACKSPACE, ENTER
from screens.widgets.unavailable import data_unavailable

if TYPE_CHECKING:
    from kiosk.booking.availability import Availability
    from screens.base import ScreenHost

SEARCH_FIELD = "booking_search"


def _flow() -> ModuleType:
    """kiosk.booking.flow, imported when the flow opens: it brings the services and the ticket
    code (~50 ms), and this module is imported for the home tile (kiosk.shell.features) before the first frame."""
    from kiosk.booking import flow as booking_flow

    return booking_flow


def open_booking(app: ScreenHost, service_id: str | None = None) -> None:
    """Open the booking flow, at the start or — given ``service_id`` — on that service's
    « Avant de réserver » page (« Retour » then leads to the list of services)."""
    chooser = BookingServicesScreen(app)
    app.nav.push(chooser)
    if (service_id is not None and app.services is not None and app.services.availability.usable()
            and app.services.availability.service(service_id)):
        chooser.open_service(service_id)


class BookingServicesScreen(Screen):
    name = "booking"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.domain: str | None = None
        self.searching = False
        self.results: Widget | None = None

    def title(self) -> str:
        return _("Book an appointment")

    def _columns(self) -> int:
        width, height = self.app.display.logical
        return 3 if width > height else 2

    def compose(self) -> Widget:
        app = self.app
        services = app.services
        if services is None or not services.availability.usable():
            return data_unavailable()   # no cache yet, or it cannot be read: the sentence every feature says
        parts: list[Widget] = []
        age = availability_age(app)
        if age:
            parts.append(Label(age, size=TEXT_SMALL, bold=True, bg="surface", padding=16, id="availability-age"))
        tools = [Button(_("Search"), icon=Icon.SEARCH, selected=self.searching, id="search",
                        on_tap=self._toggle_search),
                 Button(_("Cancel an appointment"), icon=Icon.CANCEL_APPOINTMENT, id="cancel-booking",
                        on_tap=self._open_cancel)]
        parts.append(Row(tools, gap=20))
        if self.searching:
            parts.append(self._search(services.availability))
        elif self.domain is None:
            parts.append(Label(_("Which department do you want to see?"), size=TEXT_BODY, id="intro"))
            parts += self._domains(services.availability)
        else:
            parts.append(Row([Button(_("All departments"), icon=Icon.ALL, id="all-domains",
                                     on_tap=lambda: self._set_domain(None))], gap=20))
            parts.append(Label(domain_name(self.domain), bold=True, size=TEXT_BODY + 4, id="domain-title"))
            parts += self._service_tiles(services.availability.services(self.domain))
        return Column(parts, gap=28)

    # -- domains and services -------------------------------------------------------------
    def _domains(self, reads: Availability) -> list[Widget]:
        services = reads.services()
        counts: dict[str, int] = {}
        for s in services:
            counts[s["domain"]] = counts.get(s["domain"], 0) + 1
        tiles = [Button(domain_name(domain), kind="tile", id=f"domain-{i}",
                        subtitle=ngettext("{n} service", "{n} services", n).format(n=n),
                        on_tap=partial(self._set_domain, domain))
                 for i, (domain, n) in enumerate(sorted(counts.items(), key=lambda kv: _fold(domain_name(kv[0]))))]
        french = self._foreign() and not all(domain_known(d) for d in counts)
        return [*self._french_only(french), Grid(tiles, columns=self._columns(), min_tile_height=170, id="domains")]

    def _foreign(self) -> bool:
        """The visit is in another language than the town's catalog (French)."""
        return self.app.visit.settings.language != "fr"

    @staticmethod
    def _french_only(shown: bool) -> list[Widget]:
        """The one note, on top of what it is about, that some of it is the town's French only."""
        return [Label(french_only_note(), size=TEXT_SMALL, colour="muted", id="french-only")] if shown else []

    def _set_domain(self, domain: str | None) -> None:
        self.domain = domain
        self.rebuild()

    def _service_tiles(self, services: list[dict[str, Any]], *, by_name: bool = True) -> list[Widget]:
        """The services' tiles in the visit language where the town gives it (by that name, unless
        ``by_name`` is off: search results keep their order), with the French-only note if needed."""
        if not services:
            return [Label(_("No service matches. Try another word, or choose a department."), id="no-service")]
        lang = self.app.visit.settings.language
        shown = [(s, service_text(s, lang)) for s in services]
        if by_name:
            shown.sort(key=lambda st: _fold(st[1].name))
        tiles = []
        for s, text in shown:
            when = _("Next free date: {date}").format(date=format_date_long(s["next_free"].date(), lang)) \
                if s["next_free"] else _("No free date at the moment")
            tiles.append(Button(text.name, kind="tile", subtitle=when, id=f"service-{s['id']}",
                                on_tap=partial(self.open_service, s["id"])))
        french = any(text.french_only for _s, text in shown)
        return [*self._french_only(french), Grid(tiles, columns=self._columns(), min_tile_height=200, id="services")]

    def open_service(self, service_id: str) -> None:
        from screens.booking.service_info import BookingServiceScreen

        _flow().choose_service(self.app, service_id)
        self.app.nav.push(BookingServiceScreen(self.app, service_id))

    # -- search -----------------------------------------------------------------------------
    def _toggle_search(self) -> None:
        self.searching = not self.searching
        self.rebuild()

    def _search(self, reads: Availability) -> Widget:
        self.field = TextField(self.app.visit.fields, SEARCH_FIELD, caption=_("Search for a service"),
                               placeholder=_("for example: passport"), max_length=40, id="search-field")
        self.field.focused = True
        found = reads.search_services(self.field.value)
        self.results = Column([Label(_("Services found"), bold=True, id="results-title"),
                               *self._service_tiles(found[:6], by_name=False)], gap=20)
        if self.results_beside_keys():
            return Column([self.field, AzertyKeyboard(self._key)], gap=20)   # results beside the keys
        return Column([self.field, AzertyKeyboard(self._key), self.results], gap=20)

    def dock(self, content: Widget) -> Widget | None:
        if self.searching and self.results is not None and self.results_beside_keys():
            return self.dock_with_results(content, self.results)
        return super().dock(content)

    def _key(self, key: str) -> None:
        if key == ENTER:
            self.field.set_focused(False)
        elif key == BACKSPACE:
            self.field.backspace()
        elif not self.field.insert(key):
            return
        if key != ENTER:
            self.rebuild()

    def _open_cancel(self) -> None:
        from screens.booking.cancel import BookingCancelScreen

        self.app.nav.push(BookingCancelScreen(self.app))


def _fold(text: str) -> str:
    from kiosk.text import folded_words

    return " ".join(folded_words(text))
