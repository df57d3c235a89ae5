"""Icons named by meaning, drawn from Debian's Material Icons font, and what happens without it."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.shell.fonts import shared_fontbook
from kiosk.shell.theme import normal_theme
from kiosk.shell.ui import UiContext
from screens.widgets import icons
from screens.widgets.button import Button
from screens.widgets.icons import Icon, render_icon

REPO = Path(__file__).resolve().parents[2]
# The package's own list of names and codepoints (its Sass variables; Debian ships no codepoints file).
CODEPOINTS = Path("/usr/share/fonts-material-design-icons-iconfont/scss/_variables.scss")


@pytest.fixture(autouse=True)
def _fresh_font_cache() -> Iterator[None]:
    icons._font.cache_clear()
    render_icon.cache_clear()
    yield
    icons._font.cache_clear()
    render_icon.cache_clear()


def test_every_icon_is_the_glyph_the_package_gives_its_name():
    listed = {m[1]: int(m[2], 16) for m in re.finditer(r'"([a-z0-9_]+)": ([0-9a-f]+)', CODEPOINTS.read_text())}
    wrong = {i.name: (i.material, hex(i.codepoint), hex(listed.get(i.material, 0))) for i in Icon
             if listed.get(i.material) != i.codepoint}
    assert not wrong
    font = icons._font()
    assert font is not None and all(font.get_metrics(i.glyph)[0] is not None for i in Icon)


def test_one_meaning_per_glyph():
    assert len({i.codepoint for i in Icon}) == len(Icon)


def _ink(surface: pygame.Surface) -> pygame.Rect:
    return surface.get_bounding_rect(min_alpha=128)


@pytest.mark.parametrize("px", [24, 48, 192])
def test_an_icon_is_drawn_crisp_inside_its_square_at_any_size(px):
    square = render_icon(Icon.PRINT, px, (29, 78, 137))
    assert square is not None and square.get_size() == (px, px)
    ink = _ink(square)
    # Material glyphs fill most of their 24-unit grid (the printer: 20 × 18 units).
    assert 0.7 * px <= ink.width <= px and 0.6 * px <= ink.height <= px
    assert square.get_rect().contains(ink)
    opaque = square.get_at(ink.center)
    assert opaque.a == 255 and tuple(opaque)[:3] == (29, 78, 137)


def test_screens_name_icons_and_never_pass_a_character():
    """No ``icon="✉"`` anywhere: a character depends on which font has it and means what it looks like."""
    stray = []
    for path in [*sorted((REPO / "screens").rglob("*.py")), REPO / "kiosk/shell/features.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "icon" and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str):
                stray.append(f"{path.relative_to(REPO)}:{node.value.lineno} icon={node.value.value!r}")
    assert not stray


def test_without_the_font_it_says_what_to_install_and_draws_no_icon(monkeypatch, caplog):
    monkeypatch.setattr(icons, "ICON_FONT", Path("/nonexistent/MaterialIcons-Regular.ttf"))
    with caplog.at_level(logging.ERROR, logger=icons.__name__):
        assert render_icon(Icon.HOME, 48, (0, 0, 0)) is None
        assert render_icon(Icon.BACK, 48, (0, 0, 0)) is None
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "fonts-material-design-icons-iconfont" in said[0]
    # A key that shows its icon alone shows its word instead; every other button keeps its label.
    key = Button("Effacer", kind="key", icon=Icon.ERASE, icon_only=True, id="key-backspace")
    assert not key.icon_only
    ui = UiContext(normal_theme(), shared_fontbook(), 1.0)
    key.place(ui, pygame.Rect(0, 0, 200, 100))
    assert [t.text for t in key.text_items(ui)] == ["Effacer"]
    home = Button("Accueil", icon=Icon.HOME, id="home")
    home.place(ui, pygame.Rect(0, 0, 300, 100))
    assert [t.text for t in home.text_items(ui)] == ["Accueil"]
    surface = pygame.Surface((300, 100))
    home.draw(surface, ui)       # the label alone, and no box for a glyph no font has


def test_each_category_of_the_demo_town_and_of_a_big_town_gets_its_own_icon():
    from kiosk.devtools.sample_town import CATEGORIES
    from screens.city.common import category_icon

    demo = ["Administration", "Commerce", "Culte", "Culture", "Éducation", "Environnement", "Loisirs",
            "Patrimoine", "Santé", "Sécurité", "Services", "Social", "Sport", "Transport"]
    for names in (demo, list(CATEGORIES)):
        icons = [category_icon(n) for n in names]
        assert len(set(icons)) == len(icons), dict(zip(names, icons, strict=True))
    assert category_icon("Transport") is Icon.TRANSPORT and category_icon("Lieux de culte") is Icon.WORSHIP
    assert category_icon("") is Icon.PLACE
