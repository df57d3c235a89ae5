"""A list of places, nearest first, each with its state in words and its direction.

Three lists share this screen: a category of the catalog, « Ouvert maintenant » and
« Près d'ici ». States are computed when the screen is built (each visit, each language
switch), from the cache and the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.formatting import format_distance_m
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen
from screens.city.common import category_title, guide, place_row, unavailable, with_freshness
from screens.city.place import open_place
from screens.widgets import Column, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from kiosk.city.guide import CityGuide
    from kiosk.city.listing import PlaceRow
    from screens.base import ScreenHost

SHOWN = 60   # rows at most: beyond this a passer-by searches instead of scrolling


class PlaceListScreen(Screen):
    name = "city_list"

    def __init__(self, app: ScreenHost, kind: str, category: str = "") -> None:
        super().__init__(app)
        self.kind = kind              # "category", "open_now" or "near"
        self.category = category

    def title(self) -> str:
        if self.kind == "open_now":
            return _("Open now")
        if self.kind == "near":
            return _("Near here")
        return category_title(self.category)

    def _rows(self, city: CityGuide) -> list[PlaceRow]:
        if self.kind == "open_now":
            return city.open_now(limit=SHOWN)
        if self.kind == "near":
            return city.near_here(limit=SHOWN)
        return city.places_in(self.category)[:SHOWN]

    def _intro(self) -> str:
        if self.kind == "open_now":
            return _("Places open at this moment, nearest first.")
        if self.kind == "near":
            return _("Places within {distance} of this terminal, as the crow flies.").format(
                distance=format_distance_m(self.app.config.city.near_radius_m))
        return _("Nearest first. Touch a place to see its hours and how to get there.")

    def _empty(self) -> str:
        if self.kind == "open_now":
            return _("No place is open at this moment.")
        if self.kind == "near":
            return _("No place is listed near this terminal.")
        return _("No place is listed in this category for now.")

    def compose(self) -> Widget:
        city = guide(self.app)
        if city is None:
            return unavailable()
        now = city.now()
        rows = self._rows(city)
        items: list[Widget] = [Label(self._intro(), size=TEXT_SMALL, colour="muted", id="list-intro")]
        if not rows:
            items.append(Label(self._empty(), id="list-empty"))
        for i, row in enumerate(rows):
            items.append(place_row(row, now, open_place(self.app, row.id), id=f"place-{i}"))
        return Column(with_freshness(city, items), gap=16)
