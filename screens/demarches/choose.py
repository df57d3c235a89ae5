"""« Faire une démarche »: the démarches this terminal offers, one large tile each.

The list is the town's: forms published by the central API and synced into the cache,
those of this terminal's profile. A town adds a démarche by publishing its definition; the
kiosk shows it at the next sync. Without any (a new terminal, no data layer, every form
withdrawn or one this terminal cannot show), the screen says so in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.demarches.common import DemarcheStep, service, unavailable
from screens.demarches.icons import icon_for
from screens.widgets import Button, Column, Grid, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from kiosk.demarches import FormCard


class DemarchesScreen(DemarcheStep):
    name = "demarches"

    def title(self) -> str:
        return _("Make a request")

    def compose(self) -> Widget:
        found = service(self.app)
        cards = found.offered(self.language) if found is not None else []
        if not cards:
            return unavailable(_("No request can be made on this terminal at the moment."))
        width, height = self.app.display.logical
        tiles = [Button(card.title, kind="tile", icon=icon_for(card.icon), subtitle=card.summary,
                        id=f"demarche-{card.id}", on_tap=self._opener(card)) for card in cards]
        parts: list[Widget] = [Label(_("Choose what you want to ask the town hall. You will get a tracking "
                                       "number."), colour="muted", id="intro")]
        parts.append(Grid(tiles, columns=2 if width > height else 1, min_tile_height=200, id="demarche-tiles"))
        if any(card.in_french_only for card in cards):
            parts.append(Label(_("Some of these forms exist in French only."), size=TEXT_SMALL, colour="muted",
                               id="french-only"))
        return Column(parts, gap=28)

    def _opener(self, card: FormCard) -> Callable[[], None]:
        def open_card() -> None:
            from screens.demarches.before import DemarcheBeforeScreen

            self.app.nav.push(DemarcheBeforeScreen(self.app, card.id))
        return open_card
