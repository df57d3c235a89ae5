"""Home: the town's welcome and the feature tiles of this terminal's profile.

A passer-by comes for one of a few big things. On a portrait totem the home gives them the
whole height: the town's crest and name (whose terminal this is), then one wide tile per
feature, each as tall as the screen allows, then a calm line saying where help is. On a
landscape screen the tiles stand side by side in a grid under the same welcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_TITLE
from screens.base import Feature, Screen, ScreenHost
from screens.widgets import Button, Column, Grid, Label, Picture
from screens.widgets.base import Widget
from screens.widgets.icons import Icon
from screens.widgets.stretch import StretchColumn
from screens.widgets.tile import WideTile

CREST_WIDTH = 170      # layout pixels: the crest above the town's name on the welcome
LANDSCAPE_COLUMNS = 6  # all of a terminal's tiles on one line of a landscape screen (a counter has six)
CREST_UP_TO = 4        # tiles: with more, they need the crest's height (a counter terminal has six)


class HomeScreen(Screen):
    name = "home"
    is_home = True

    def title(self) -> str:
        return _("Welcome")

    def compose(self) -> Widget:
        app = self.app
        features = app.offered_features()
        if not features:
            return Column([
                Label(_("No service is available on this terminal yet."), id="no-features"),
                Label(app.config.location.address, colour="muted", id="address"),
            ], gap=24)
        landscape = app.display.logical[0] > app.display.logical[1]
        # Low reach leaves the lower 60 % to the controls: the tiles side by side, in a grid.
        low_reach = app.visit.settings.low_reach and app.low_reach_available
        if low_reach:
            return Column([Label(_("Touch a tile to start."), size=TEXT_BODY, id="intro"),
                           self._grid(features, columns=2 if len(features) <= 4 else 3, height=240)], gap=28)
        if landscape:
            tiles: Widget = self._grid(features, columns=min(len(features), LANDSCAPE_COLUMNS), height=400)
        else:
            tiles = StretchColumn([
                WideTile(_(f.title), icon=f.icon, subtitle=_(f.subtitle), id=f"feature-{f.id}",
                         on_tap=_opener(app, f), flex=1)
                for f in features], gap=24 if len(features) <= 5 else 12, max_grow=140, flex=1)   # six: tighter
        welcome = self._welcome(short=landscape or app.ui.large_text or len(features) > CREST_UP_TO)
        help_line = Label(_("Need help? Touch « Help », at the bottom of the screen."), size=TEXT_BODY,
                          colour="muted", icon=Icon.HELP, id="help-line")
        return StretchColumn([welcome, tiles, help_line], gap=28, max_grow=10_000, flex=1)

    def _grid(self, features: Sequence[Feature], *, columns: int, height: int) -> Grid:
        return Grid([Button(_(f.title), kind="tile", icon=f.icon, subtitle=_(f.subtitle), id=f"feature-{f.id}",
                            on_tap=_opener(self.app, f)) for f in features], columns=columns, min_tile_height=height)

    def _welcome(self, short: bool) -> Widget:
        """The town's crest and name, and what to do: the identity, said once, large. A landscape
        screen, large text or many tiles leave no height to spare for the crest (the header
        shows it). In low reach, the header right above the tiles names the town and the band
        above it shows the crest and where help is: the tiles only say « touch »."""
        app = self.app
        align = "left" if short else "center"
        parts: list[Widget] = []
        if app.logo is not None and not short:
            parts.append(Picture(app.logo, max_width=CREST_WIDTH, id="home-crest"))
        parts += [Label(app.config.branding.town_name, size=TEXT_TITLE - 6, bold=True, colour="primary",
                        align=align, id="home-town"),
                  Label(_("Touch a tile to start."), size=TEXT_BODY, align=align, id="intro")]
        return Column(parts, gap=12, id="welcome")


def _opener(app: ScreenHost, feature: Feature) -> Callable[[], None]:
    """What a tile does when touched: open its feature's first screen (made then, not before)."""
    def open_feature() -> None:
        app.nav.push(feature.open(app))
    return open_feature
