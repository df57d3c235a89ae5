"""One place: is it open, where is it, how to get there, its week — and a ticket to take away."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.catalog_text import service_text
from kiosk.city.wording import (
    day_hours_words,
    day_label,
    day_note,
    direction_arrow,
    direction_words,
    reopening_words,
    state_words,
)
from kiosk.formatting import format_distance_m
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.city.common import HERE_M, category_title, guide, unavailable, with_freshness
from screens.printing.ticket_printing import TicketPrinting
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.icons import Icon
from screens.widgets.list_row import ListRow, PairRow

if TYPE_CHECKING:
    import pygame

    from kiosk.city.listing import PlaceDetail
    from screens.base import ScreenHost


def _wheelchair(value: str) -> str:
    return {"yes": _("Wheelchair accessible"), "limited": _("Partly wheelchair accessible"),
            "no": _("Not wheelchair accessible")}.get(value) or _("Wheelchair access: not known")


class PlaceScreen(Screen):
    name = "city_place"

    def __init__(self, app: ScreenHost, place_id: str) -> None:
        super().__init__(app)
        self.place_id = place_id
        self.detail: PlaceDetail | None = None
        self.printing = TicketPrinting(
            self, done=_("Your ticket is printed. Don't forget to take it."),
            failed=_("The ticket could not be printed. Please note the information on the screen."))

    def title(self) -> str:
        return self.detail.row.name if self.detail else _("Place")

    def build(self) -> None:
        city = guide(self.app)
        self.detail = city.place(self.place_id) if city else None   # read before the title is shown
        super().build()

    def compose(self) -> Widget:
        city = guide(self.app)
        if city is None:
            return unavailable()
        detail = self.detail
        if detail is None:
            return Label(_("This place is no longer listed."), id="place-gone")
        now = city.now()
        row = detail.row
        parts: list[Widget] = [
            Label(category_title(row.category), size=TEXT_SMALL, colour="muted", id="place-category"),
            Label(state_words(row.state, now), size=TEXT_BODY + 6, bold=True, id="place-state")]
        reopening = reopening_words(row.state, now)
        if reopening:
            parts.append(Label(reopening, id="place-reopening"))
        if row.where and row.where.distance_m < HERE_M:
            parts.append(Label(_("Right here, by this terminal"), size=TEXT_BODY, bold=True, id="place-direction"))
        elif row.where:
            parts.append(Label(_("{arrow} {distance}, {direction} (as the crow flies)").format(
                arrow=direction_arrow(row.where.sector), distance=format_distance_m(row.where.distance_m),
                direction=direction_words(row.where.sector)),
                size=TEXT_BODY, bold=True, id="place-direction"))
        if row.address:
            parts.append(Label(row.address, id="place-address"))
        if detail.phone:
            parts.append(Label(_("Telephone: {number}").format(number=detail.phone), id="place-phone"))
        parts.append(Label(_wheelchair(detail.wheelchair), icon=Icon.WHEELCHAIR, id="place-wheelchair"))
        more: list[Widget] = [self._week(detail)]
        if detail.services:
            more.append(Label(_("Services here"), bold=True, id="place-services-title"))
            from screens.city.service import open_service

            lang = self.app.visit.settings.language
            more += [ListRow(service_text(s, lang).name, id=f"place-service-{i}",
                             on_tap=open_service(self.app, s["id"], open_place))
                     for i, s in enumerate(detail.services)]
        if self.printing.available:
            parts.append(Button(_("Print"), kind="primary", icon=Icon.PRINT, id="place-print", on_tap=self._print))
        parts += self.printing.hear_buttons()
        W, H = self.app.display.logical
        if W > H:        # landscape: where and how on the left, the week on the right
            return Column(with_freshness(city, [Row([Column(parts, gap=20), Column(more, gap=20)], gap=40,
                                                    wrap=False)]), gap=20)
        return Column(with_freshness(city, parts + more), gap=20)

    def _week(self, detail: PlaceDetail) -> Column:
        title = Label(_("Opening hours this week"), bold=True, id="week-title")
        if detail.week is None:
            return Column([title, Label(_("Opening hours: please ask"), id="week-unknown")], gap=12)
        rows: list[Widget] = []
        previous_note = ""
        for i, day in enumerate(detail.week):
            rows.append(PairRow(day_label(day), day_hours_words(day), highlight=day.is_today, id=f"day-{i}"))
            note = day_note(day)
            if note and note != previous_note:      # a closure of several days is explained once
                rows.append(Label(note, size=TEXT_SMALL, colour="muted", id=f"day-{i}-note"))
            previous_note = note
        return Column([title, *rows], gap=6)

    def _print(self) -> None:
        from kiosk.city.ticket import place_ticket

        city = guide(self.app)
        if not self.app.printing.present or self.detail is None or city is None:
            return
        ticket = place_ticket(self.detail, city.now(), self.app.config.branding.town_name)
        self.printing.submit(ticket)

    def handle_event(self, event: pygame.event.Event) -> None:
        self.printing.handle_event(event)


def open_place(app: ScreenHost, place_id: str) -> Callable[[], None]:
    """What a place's row does when touched: open its page."""
    def push() -> None:
        app.nav.push(PlaceScreen(app, place_id))
    return push
