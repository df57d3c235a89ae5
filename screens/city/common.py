"""What the city information screens share: their guide, place rows, the freshness line,
the « not available yet » message and category names and icons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.city.guide import CityGuide
from kiosk.city.listing import PlaceRow
from kiosk.city.wording import direction_arrow, state_words
from kiosk.formatting import format_distance_m
from kiosk.i18n import _, ngettext
from kiosk.shell.ui import TEXT_SMALL
from kiosk.text import fold
from screens.widgets import Column, Label
from screens.widgets.base import Widget
from screens.widgets.icons import Icon
from screens.widgets.list_row import ListRow
from screens.widgets.unavailable import data_unavailable

if TYPE_CHECKING:
    from screens.base import ScreenHost

HERE_M = 25   # closer than this, a place is « here »: no arrow, no « 0 m »

# The icon of a category, by a word found in its folded name (the catalog's names are the
# town's own: « Santé », « Petite enfance », « Lieux de culte »…); the first match wins.
_ICONS = (("mairie", Icon.TOWN_HALL), ("administration", Icon.TOWN_HALL), ("biblioth", Icon.LIBRARY),
          ("mediatheque", Icon.LIBRARY), ("enfance", Icon.CHILDHOOD), ("creche", Icon.CHILDHOOD),
          ("ecole", Icon.SCHOOL), ("educat", Icon.SCHOOL), ("transport", Icon.TRANSPORT),   # before « sport »
          ("sport", Icon.SPORT), ("cultur", Icon.CULTURE),
          ("loisir", Icon.LEISURE), ("social", Icon.SOLIDARITY), ("solidar", Icon.SOLIDARITY),
          ("sant", Icon.HEALTH), ("dechet", Icon.WASTE), ("environnement", Icon.NATURE), ("parc", Icon.NATURE),
          ("securit", Icon.SAFETY), ("commerce", Icon.SHOP),
          ("patrimoine", Icon.HERITAGE), ("culte", Icon.WORSHIP), ("service", Icon.PUBLIC_SERVICES))


def guide(app: ScreenHost) -> CityGuide | None:
    return app.guide()


def category_title(name: str) -> str:
    """The catalog's name (in the town's language); places without one are « other places »."""
    return name or _("Other places")


def category_icon(name: str) -> Icon:
    folded = fold(name)
    return next((icon for word, icon in _ICONS if word in folded), Icon.PLACE)


def places_count(n: int) -> str:
    return ngettext("{n} place", "{n} places", n).format(n=n)


def place_row(row: PlaceRow, now: datetime, on_tap: Callable[[], None] | None, *, id: str) -> ListRow:
    """« Médiathèque Louise-Bodin / Fermé · ouvre à 15 h / ↙ 1,7 km »."""
    aside: tuple[str, ...] = ()
    mark: Icon | None = None
    if row.where and row.where.distance_m < HERE_M:
        aside, mark = (_("here"),), Icon.HERE
    elif row.where:
        aside = (direction_arrow(row.where.sector), format_distance_m(row.where.distance_m))
    return ListRow(row.name, [state_words(row.state, now)], aside=aside, aside_icon=mark, on_tap=on_tap, id=id)


def freshness(city: CityGuide) -> Label | None:
    """« Informations du … » when the cache is old; nothing while it is fresh."""
    words = city.freshness()
    return Label(words, size=TEXT_SMALL, colour="muted", id="freshness") if words else None


def unavailable() -> Column:
    """The sentence every feature says when its data is not here (screens.widgets.unavailable)."""
    return data_unavailable()


def with_freshness(city: CityGuide, items: list[Widget]) -> list[Widget]:
    line = freshness(city)
    return ([line] if line else []) + items
