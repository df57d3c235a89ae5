"""The look of a public service: a home that uses its height, tiles with a clear pressed state,
the town's crest in the header, and queue numbers whose zero never reads as « Ø »."""

from __future__ import annotations

import pygame
import pytest

from kiosk.devtools.demo_logo import DEMO_LOGO
from kiosk.shell.fonts import shared_fontbook
from kiosk.shell.theme import normal_theme
from kiosk.shell.ui import UiContext
from screens.widgets.button import Button
from screens.widgets.icons import Icon
from screens.widgets.label import Label
from screens.widgets.queue_number import QueueNumber
from screens.widgets.tile import WideTile
from tests.conftest import LANDSCAPE, PORTRAIT

COUNTER = {"terminal.profile": "counter"}


def _tiles(pilot):
    return [w for w in pilot.widgets() if (w.id or "").startswith("feature-")]


@pytest.mark.parametrize("overrides", [{}, COUNTER], ids=["street", "counter"])
def test_the_portrait_home_fills_its_height_with_big_tiles_and_nothing_scrolls(make_pilot, overrides):
    pilot = make_pilot(PORTRAIT, overrides=overrides)
    content = pilot.widget("content")
    tiles = _tiles(pilot)
    assert tiles and all(isinstance(t, WideTile) for t in tiles)
    assert not content.scrollable
    # One tile per line, the full width, each well over the minimum touch target.
    assert len({t.rect.x for t in tiles}) == 1 and all(t.rect.width > 0.85 * content.rect.width for t in tiles)
    assert all(t.rect.height >= 180 for t in tiles)
    # The welcome, the tiles and the help line fill the screen: no empty lower half any more.
    help_line = pilot.widget("help-line")
    assert content.rect.bottom - help_line.rect.bottom < 0.06 * content.rect.height
    assert pilot.widget("home-town").text == "Saint-Clément-des-Vignes"


def test_the_crest_stands_over_the_welcome_when_there_is_room(make_pilot):
    # A street totem (four tiles; the demo's practice tile would make a fifth).
    pilot = make_pilot(PORTRAIT, demo=False, overrides={"branding.logo": str(DEMO_LOGO)})
    crest, town = pilot.widget("home-crest"), pilot.widget("home-town")
    assert crest.rect.bottom <= town.rect.top and not pilot.widget("content").scrollable
    counter = make_pilot(PORTRAIT, overrides={"branding.logo": str(DEMO_LOGO), **COUNTER})
    assert not counter.has("home-crest") and not counter.widget("content").scrollable   # five tiles need it


@pytest.mark.parametrize("overrides", [{}, COUNTER], ids=["street", "counter"])
def test_the_landscape_home_puts_every_tile_on_one_line(make_pilot, overrides):
    pilot = make_pilot(LANDSCAPE, overrides=overrides)
    tiles = _tiles(pilot)
    assert len({t.rect.y for t in tiles}) == 1 and not pilot.widget("content").scrollable
    assert all(isinstance(t, Button) and t.kind == "tile" and isinstance(t.icon, Icon) for t in tiles)


def test_low_reach_keeps_the_tiles_in_the_lower_part_without_the_welcome(make_pilot):
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.low_reach": True, "branding.logo": str(DEMO_LOGO)})
    assert not pilot.has("home-crest") and not pilot.has("home-town") and not pilot.has("help-line")
    assert all(t.rect.top >= 0.4 * 1920 for t in _tiles(pilot))


def _accent_rows(surface: pygame.Surface, tile: Button, colour: tuple[int, int, int]) -> int:
    x = tile.rect.centerx
    rows = 0
    for y in range(tile.rect.bottom - 1, tile.rect.top, -1):
        if tuple(surface.get_at((x, y)))[:3] != colour:
            break
        rows += 1
    return rows


@pytest.mark.parametrize("tile", [
    WideTile("Prendre rendez-vous", icon=Icon.CALENDAR, subtitle="À la mairie", id="wide"),
    Button("Prendre rendez-vous", kind="tile", icon=Icon.CALENDAR, subtitle="À la mairie", id="tile"),
], ids=["wide", "stacked"])
def test_a_tile_shows_a_finger_on_it_by_its_colour_and_a_thicker_accent(tile):
    ui = UiContext(normal_theme(), shared_fontbook(), 1.0)
    surface = pygame.Surface((1000, 400))
    tile.place(ui, pygame.Rect(0, 0, 1000, tile.measure(ui, 1000)))
    tile.draw(surface, ui)
    idle_accent, idle_bg = _accent_rows(surface, tile, ui.theme.primary), surface.get_at((tile.rect.x + 8, 40))
    tile.pressed = True
    tile.draw(surface, ui)
    assert _accent_rows(surface, tile, ui.theme.primary) > idle_accent >= 8
    assert surface.get_at((tile.rect.x + 8, 40)) != idle_bg
    assert tuple(surface.get_at((tile.rect.x + 8, 40)))[:3] == ui.theme.pressed


def _ink_at_centre(widget: Label, ui: UiContext) -> bool:
    """Is there ink in the middle of the zero (a slash crosses it; a plain oval is hollow)?"""
    surface = pygame.Surface((600, 400))
    surface.fill((255, 255, 255))
    widget.place(ui, pygame.Rect(0, 0, 600, widget.measure(ui, 600)))
    widget.backdrop = (255, 255, 255)
    widget.draw(surface, ui)
    ink = [(x, y) for x in range(600) for y in range(0, widget.rect.height, 2) if surface.get_at((x, y))[0] < 128]
    xs, ys = [p[0] for p in ink], [p[1] for p in ink]
    centre = ((min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2)
    return surface.get_at(centre)[0] < 128


def test_a_queue_numbers_zero_is_a_plain_oval_not_a_slashed_one():
    ui = UiContext(normal_theme(), shared_fontbook(), 1.0)
    assert _ink_at_centre(Label("0", size=216, bold=True), ui)          # the screens' font slashes it
    assert not _ink_at_centre(QueueNumber("0", size=216), ui)            # a called number does not


def test_called_and_taken_numbers_use_the_plain_zero(make_pilot):
    from kiosk.clock import ManualClock
    from kiosk.devtools.screenshots import OVERRIDES, SHOT_TIME, STATES

    pilot = make_pilot(LANDSCAPE, overrides=OVERRIDES["waiting_room"], clock=ManualClock(SHOT_TIME))
    STATES["waiting_room"]["calls"](pilot)
    pilot.settle()
    assert isinstance(pilot.widget("current-number"), QueueNumber)
    assert isinstance(pilot.widget("call-0-number"), QueueNumber)
