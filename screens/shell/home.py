"""Home: the feature tiles of this terminal's profile."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Feature, Screen, ScreenHost
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
                   on_tap=_opener(app, f))
            for f in features
        ]
        return Column([intro, Grid(tiles, columns=3 if landscape else 2, min_tile_height=260)], gap=28)


def _opener(app: ScreenHost, feature: Feature) -> Callable[[], None]:
    """What a tile does when touched: open its feature's first screen (made then, not before)."""
    def open_feature() -> None:
        app.nav.push(feature.open(app))
    return open_feature
