"""Low reach's top 40 %: the town's logo, why the buttons sit lower and how to undo it — never
a copy of the title or the town name shown just below — painted by the app, inside the band."""

from __future__ import annotations

import pygame
import pytest

from screens.widgets.label import Label
from screens.widgets.picture import Picture
from screens.widgets.reach_banner import draw_reach_banner
from tests.conftest import PORTRAIT


def _band(pilot):
    app = pilot.app
    return pygame.Rect(0, 0, app.viewport.width, app.viewport.top)


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_band_says_why_and_how_to_undo_not_the_title(make_pilot, large_text, lang):
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.low_reach": True, "accessibility.large_text": large_text,
                                            "languages.default": lang})
    pilot.tap("accessibility")
    pilot.settle()
    app, band = pilot.app, _band(pilot)
    assert band.height == int(1920 * 0.4)
    scratch = pygame.Surface(app.display.surface.get_size())
    widgets = draw_reach_banner(scratch, app.ui, band, app.logo)
    texts = [w.text for w in widgets if isinstance(w, Label)]
    title = pilot.widget("title").text
    assert title not in texts and not any(app.config.branding.town_name in t for t in texts)
    assert texts[0] == ("Les boutons sont plus bas, à portée de main." if lang == "fr"
                        else "The buttons are lower down, within reach.")
    assert ("Accessibilité" if lang == "fr" else "Accessibility") in texts[1]
    assert all(band.contains(w.rect) for w in widgets)
    # what the app shows in the band is exactly this (not the title drawn by another path)
    shown = app.display.surface.subsurface(band)
    assert pygame.image.tobytes(shown, "RGB") == pygame.image.tobytes(scratch.subsurface(band), "RGB")


def test_the_band_stays_the_same_from_screen_to_screen(make_pilot):
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.low_reach": True})
    band = _band(pilot)
    first = pygame.image.tobytes(pilot.app.display.surface.subsurface(band), "RGB")
    pilot.tap("help")
    pilot.settle()
    assert pygame.image.tobytes(pilot.app.display.surface.subsurface(band), "RGB") == first


def test_a_configured_logo_is_shown_above_the_name(make_pilot, tmp_path):
    logo = tmp_path / "logo.png"
    image = pygame.Surface((400, 200))
    image.fill((29, 78, 137))
    pygame.image.save(image, str(logo))
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.low_reach": True, "branding.logo": str(logo)})
    app, band = pilot.app, _band(pilot)
    assert app.logo is not None
    widgets = draw_reach_banner(pygame.Surface(app.display.surface.get_size()), app.ui, band, app.logo)
    assert isinstance(widgets[0], Picture) and widgets[0].rect.bottom <= widgets[1].rect.top
    assert all(band.contains(w.rect) for w in widgets)
    # a band too short for the logo keeps the words
    short = pygame.Rect(0, 0, band.width, 200)
    widgets = draw_reach_banner(pygame.Surface(app.display.surface.get_size()), app.ui, short, app.logo)
    assert not any(isinstance(w, Picture) for w in widgets)
