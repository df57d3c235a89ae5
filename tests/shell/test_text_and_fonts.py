"""Fonts by path with per-character fallback, and French-aware line breaking."""

from __future__ import annotations

import pygame
import pytest

from kiosk.shell.fonts import DEJAVU_DIR, FontBook, default_font_paths
from screens.widgets.text import ellipsize, wrap


@pytest.fixture(scope="module")
def fonts():
    pygame.font.init()
    return FontBook()


def test_font_files_are_installed_and_loaded_by_path():
    paths = default_font_paths()
    for style in ("regular", "bold"):
        primary, fallback = paths[style]
        assert primary.name.startswith("AtkinsonHyperlegible") and primary.is_file()
        assert fallback.parent == DEJAVU_DIR and fallback.is_file()


def test_french_letters_come_from_the_primary_font_and_symbols_from_the_fallback(fonts):
    runs = fonts._runs("Été « œuvre » 15 € – l’an", False)
    assert len(runs) == 1 and runs[0][0].path.name == "AtkinsonHyperlegible-Regular.ttf"
    runs = fonts._runs("Suite → ✓ fin", False)
    assert [(face.path.name, run) for face, run in runs] == [
        ("AtkinsonHyperlegible-Regular.ttf", "Suite "), ("DejaVuSans.ttf", "→ ✓ "),
        ("AtkinsonHyperlegible-Regular.ttf", "fin")]
    nnbsp = fonts._runs("9\u202f?", False)
    assert nnbsp[1][0].path.name == "DejaVuSans.ttf" and nnbsp[1][1] == "\u202f"


def test_every_character_of_the_french_ui_has_a_real_glyph(fonts):
    text = "éèêëàâîïôöùûüÿçœæÉÈÊËÀÂÎÏÔÖÙÛÜŸÇŒÆ«»€’…–—\u00a0\u202f⌂←→?♿✓⌫⇧☰"
    faces = fonts._faces["regular"]
    missing = [ch for ch in text if not any(f.has(ch) for f in faces)]
    assert missing == []


def test_rendering_mixed_runs_gives_one_line_with_both_parts(fonts):
    plain = fonts.render("Retour", 40, (0, 0, 0))
    mixed = fonts.render("← Retour", 40, (0, 0, 0))
    assert mixed.get_height() == plain.get_height()
    assert mixed.get_width() > plain.get_width()
    assert fonts.width("← Retour", 40) == mixed.get_width()


def test_wrap_never_breaks_at_a_no_break_space(fonts):
    text = "Rendez-vous mardi 3 décembre 2026 à 9\u00a0h\u00a030 : merci\u202f!"
    for width in range(200, 900, 37):
        lines = wrap(text, fonts, 40, width)
        assert all(fonts.width(line, 40) <= width for line in lines)
        assert "".join(lines).replace(" ", "").replace("-", "") == text.replace(" ", "").replace("-", "")
        joined = [line for line in lines if "9\u00a0h" in line]
        assert joined and all("9\u00a0h\u00a030" in line for line in joined)


def test_wrap_breaks_a_too_long_compound_after_a_hyphen_and_cuts_words_longer_than_the_line(fonts):
    lines = wrap("Saint-Clément-des-Vignes", fonts, 40, 250)
    assert len(lines) > 1 and lines[0].endswith("-")
    long = wrap("Anticonstitutionnellement", fonts, 40, 120)
    assert len(long) > 2 and all(fonts.width(line, 40) <= 120 for line in long)
    assert wrap("a\nb", fonts, 40, 500) == ["a", "b"]


def test_ellipsis_only_when_needed(fonts):
    assert ellipsize("Court", fonts, 40, 500) == "Court"
    cut = ellipsize("Un texte bien trop long pour la place", fonts, 40, 300)
    assert cut.endswith("…") and fonts.width(cut, 40) <= 300


def test_a_missing_fallback_font_is_logged_not_fatal(tmp_path, caplog):
    paths = default_font_paths()
    paths["regular"][1] = tmp_path / "absent.ttf"
    book = FontBook(paths)
    assert "font file missing" in caplog.text
    assert book.width("abc", 30) > 0


def test_no_usable_font_at_all_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no usable font"):
        FontBook({"regular": [tmp_path / "a.ttf"], "bold": [tmp_path / "b.ttf"]})
