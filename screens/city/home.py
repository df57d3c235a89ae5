"""« Ma ville »: the way in to the town's information — search, what is open now, what is
near, the agenda, practical pages, and the catalog's categories of places.

Two taps from the home screen reach any place: a category (or « Ouvert maintenant »,
« Près d'ici »), then the place.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.catalog_text import french_only_note
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.widgets import Button, Column, Grid, Label
from screens.widgets.base import Widget
from screens.widgets.icons import Icon


class CityHomeScreen(Screen):
    name = "city"

    def title(self) -> str:
        return _("My town")

    def compose(self) -> Widget:
        # Imported here, not at the top: this module is imported for the home screen's tile, on
        # the way to the first frame, and the city code (SQLite, opening-hours) is not needed then.
        from screens.city.common import (
            category_icon,
            category_title,
            guide,
            places_count,
            unavailable,
            with_freshness,
        )

        city = guide(self.app)
        if city is None:
            return unavailable()
        from screens.city.events import EventsScreen
        from screens.city.lists import PlaceListScreen
        from screens.city.pages import PagesScreen
        from screens.city.search import CitySearchScreen

        app = self.app
        landscape = app.display.logical[0] > app.display.logical[1]
        push = app.nav.push
        search = Button(_("Search for a place, a service…"), kind="primary", icon=Icon.SEARCH, id="city-search",
                        on_tap=lambda: push(CitySearchScreen(app)))
        shortcuts = Grid([
            Button(_("Open now"), kind="tile", icon=Icon.HOURS, id="city-open-now",
                   on_tap=lambda: push(PlaceListScreen(app, "open_now"))),
            Button(_("Near here"), kind="tile", icon=Icon.NEAR, id="city-near",
                   on_tap=lambda: push(PlaceListScreen(app, "near"))),
            Button(_("What's on"), kind="tile", icon=Icon.EVENTS, id="city-events",
                   on_tap=lambda: push(EventsScreen(app))),
            Button(_("Practical information"), kind="tile", icon=Icon.INFO, id="city-pages",
                   on_tap=lambda: push(PagesScreen(app))),
        ], columns=4 if landscape else 2, min_tile_height=220)
        categories = city.categories()

        def open_category(name: str) -> Callable[[], None]:
            return lambda: push(PlaceListScreen(app, "category", name))

        tiles = [Button(category_title(c.name), kind="tile", icon=category_icon(c.name), subtitle=places_count(c.count),
                        id=f"category-{i}", on_tap=open_category(c.name))
                 for i, c in enumerate(categories)]
        parts: list[Widget] = [search, shortcuts]
        if tiles:
            parts.append(Label(_("Places by category"), size=TEXT_BODY, bold=True, id="categories-title"))
            if app.visit.settings.language != "fr" and any(c.name for c in categories):
                # the categories are the town's own words, in French: say so rather than seem untranslated
                parts.append(Label(french_only_note(), size=TEXT_SMALL, colour="muted", id="french-only"))
            parts.append(Grid(tiles, columns=4 if landscape else 3, min_tile_height=220))
        else:
            parts.append(Label(_("No place is listed yet."), id="no-categories"))
        return Column(with_freshness(city, parts), gap=28)
