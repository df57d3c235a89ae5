"""Home: the feature tiles of this terminal's profile."""

from __future__ import annotations

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Screen
from screens.widgets import Button, Column, Grid, Label
from screens.widgets.base import Widget


class HomeScreen(Screen):
    name = "home"
    is_home = True

    def title(self) -> str:
        return _("Welcome")

    def compose(self) -> Widget:
        app = self.app
        features = app.offered_features()
        intro = Label(_("Touch a tile to start."), size=TEXT_BODY, colour="muted", id="intro")
        if not features:
            return Column([
                Label(_("No service is available on this terminal yet."), id="no-features"),
                Label(app.config.location.address, colour="muted", id="address"),
            ], gap=24)
        landscape = app.display.logical[0] > app.display.logical[1]
        tiles = [
            Button(_(f.title), kind="tile", icon=f.icon, subtitle=_(f.subtitle), id=f"feature-{f.id}",
                   on_tap=lambda f=f: app.nav.push(f.open(app)))
            for f in features
        ]
        return Column([intro, Grid(tiles, columns=3 if landscape else 2, min_tile_height=260)], gap=28)
