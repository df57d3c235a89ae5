"""The checker's rule « no line ends inside a date, a time, a phone number, a hyphenated word or
an e-mail address », as a person reads the screen.

It is shown failing on the wrapping the screens had before :mod:`kiosk.line_breaks` (breaks at
every space and after every hyphen, kept here as ``_old_wrap``) and on lines forced by hand,
passing on the shared wrapper at the same widths, accepting a run that is wider than its box
(it has to break somewhere), and passing over the gallery, where such runs occur.
"""

from __future__ import annotations

import time

import pygame
import pytest

from kiosk.devtools.layout_check import break_problems, check_app
from kiosk.devtools.screenshots import SHOT_TIME, STATES, data_for
from kiosk.line_breaks import unbreakable_run
from kiosk.shell.fonts import FontBook
from kiosk.shell.ui import UiContext
from screens.base import Screen
from screens.widgets import Column, Label
from screens.widgets.base import Widget
from screens.widgets.list_row import PairRow
from tests.conftest import LANDSCAPE, PORTRAIT

# (text, what the old wrapping put on the first line at a width just fitting it, the run it breaks)
BROKEN = [
    ("Votre rendez-vous : jeudi 3 décembre 2026", "Votre rendez-vous : jeudi 3", "jeudi 3 décembre 2026"),
    ("Ouvert demain à partir de 9 h 30", "Ouvert demain à partir de 9 h", "9 h 30"),
    ("Appelez la mairie au 06 12 34 56 78", "Appelez la mairie au 06 12", "06 12 34 56 78"),
    ("Écrivez-nous dès aujourd'hui à accueil@ville-exemple.fr", "Écrivez-nous dès aujourd'hui à accueil@ville-",
     "accueil@ville-exemple.fr"),
    ("Prenez votre rendez-vous", "Prenez votre rendez-", "rendez-vous"),
]


def _old_wrap(text: str, fonts: FontBook, size: int, width: int, bold: bool = False) -> list[str]:
    """The screens' wrapping before the shared rule: a break at any space or after any hyphen."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        tokens, current = [], ""
        for ch in paragraph:
            current += ch
            if ch == " " or (ch == "-" and len(current) > 1):
                tokens.append(current)
                current = ""
        if current:
            tokens.append(current)
        line = ""
        for token in tokens:
            if fonts.width((line + token).rstrip(" "), size, bold) <= width:
                line += token
                continue
            if line:
                lines.append(line.rstrip(" "))
            line = token
        lines.append(line.rstrip(" "))
    return lines


class _OldWrapLabel(Label):
    def _wrap(self, ui: UiContext, width: int) -> tuple[list[str], bool]:
        self._lines = _old_wrap(self.text, ui.fonts, ui.font_px(self.size), width, self.bold)
        self._truncated = False
        return self._lines, False


class _ForcedPairRow(PairRow):
    """A two-column row whose right column is cut after the day's number."""

    def _wrapped(self, ui: UiContext, width: int) -> tuple[list[str], list[str], int, int]:
        _left, _right, size, lh = super()._wrapped(ui, width)
        return [self.left], ["Le samedi 5", "décembre de 9 h à 12 h"], size, lh


class _TextsScreen(Screen):
    name = "breaks_probe"

    def __init__(self, app, labels: list[Label]) -> None:
        super().__init__(app)
        self.labels = labels

    def title(self) -> str:
        return "Textes"

    def compose(self) -> Widget:
        return Column(list(self.labels), gap=24)


def _narrowed(pilot, screen: _TextsScreen, width_of: list[str]) -> None:
    """Each label placed at the width that just fits ``width_of``'s line (one below the other)."""
    ui = pilot.app.ui
    y = pilot.app.viewport.top + 200
    for label, first in zip(screen.labels, width_of, strict=True):
        width = ui.fonts.width(first, ui.font_px(label.size), label.bold) + 1
        label.place(ui, pygame.Rect(pilot.app.viewport.left + 20, y, width, 400))
        y += label.measure(ui, width) + 24


def _show(pilot, labels: list[Label]) -> _TextsScreen:
    screen = _TextsScreen(pilot.app, labels)
    pilot.app.nav.push(screen)
    pilot.settle()
    return screen


def test_the_span_detection_is_the_wrappers_own():
    text = "Le jeudi 3 décembre 2026 à 9 h 30, au 06 12 34 56 78 ou à accueil@ville-exemple.fr."
    cut = text.index("décembre")
    assert unbreakable_run(text, cut - 1, cut) == (text.index("jeudi"), text.index(" à 9"))
    cut = text.index("30,")
    assert text[slice(*unbreakable_run(text, cut - 1, cut))] == "9 h 30,"
    cut = text.index("exemple")
    assert text[slice(*unbreakable_run(text, cut, cut))] == "accueil@ville-exemple.fr."
    cut = text.index("au 06")
    assert unbreakable_run(text, cut - 1, cut) is None       # an ordinary space between two words
    assert unbreakable_run("Ligne 1\nligne 2", 7, 8) is None  # a break the text asks for


@pytest.mark.parametrize("text,first,run", BROKEN, ids=["date", "time", "phone", "e-mail", "hyphenated"])
def test_the_old_wrapping_is_flagged_and_the_shared_wrapper_is_not(make_pilot, text, first, run):
    pilot = make_pilot(PORTRAIT)
    old = _show(pilot, [_OldWrapLabel(text, id="old")])
    _narrowed(pilot, old, [first])
    assert old.labels[0]._lines[0] == first
    found = break_problems(old, pilot.app.ui)
    assert found and found[0].startswith(f"old: line broken inside {run!r}: {first!r} / "), found

    new = _show(pilot, [Label(text, id="new")])
    _narrowed(pilot, new, [first])
    assert len(new.labels[0]._lines) > 1            # it does wrap there
    assert break_problems(new, pilot.app.ui) == []


def test_forced_lines_are_flagged_in_any_wrapped_widget(make_pilot):
    pilot = make_pilot(LANDSCAPE)
    screen = _show(pilot, [Label("Rendez-vous le 1er juin 2027 à 14 h", id="forced")])
    label = screen.labels[0]
    label._lines = ["Rendez-vous le 1er", "juin 2027 à 14 h"]
    assert break_problems(screen, pilot.app.ui) == [
        "forced: line broken inside '1er juin 2027': 'Rendez-vous le 1er' / 'juin 2027 à 14 h'"]
    label._lines = ["Rendez-vous le", "1er juin 2027 à 14 h"]
    assert break_problems(screen, pilot.app.ui) == []
    label.text, label._lines = "Un texte\nsur deux lignes", ["Un texte", "sur deux lignes"]
    assert break_problems(screen, pilot.app.ui) == []     # a break written in the text

    row = _ForcedPairRow("Mairie annexe", "Le samedi 5 décembre de 9 h à 12 h", id="row")
    row.place(pilot.app.ui, pygame.Rect(0, 0, 600, 300))
    screen.overlays.append(row)
    assert any(p.startswith("row: line broken inside 'samedi 5 décembre': 'Le samedi 5' / ")
               for p in break_problems(screen, pilot.app.ui))


def test_a_run_wider_than_its_box_may_break(make_pilot):
    """« accueil@ville-exemple.fr » in a column narrower than itself has to break; the wrapper
    puts the break at the least harmful place and the checker accepts it. The same break where
    the address would fit is flagged."""
    pilot = make_pilot(PORTRAIT)
    text = "Écrivez à accueil@ville-exemple.fr"
    screen = _show(pilot, [Label(text, id="narrow")])
    _narrowed(pilot, screen, ["accueil@ville-"])
    lines = screen.labels[0]._lines
    assert "accueil@ville-exemple.fr" not in lines and len(lines) > 2
    assert break_problems(screen, pilot.app.ui) == []

    text = "Écrivez-nous dès aujourd'hui à accueil@ville-exemple.fr"
    wide = _show(pilot, [Label(text, id="wide")])
    wide.labels[0]._lines = ["Écrivez-nous dès aujourd'hui à accueil@ville-", "exemple.fr"]
    assert break_problems(wide, pilot.app.ui) != []


@pytest.mark.parametrize("screen,state,widget,run", [
    ("tracking", "empty", "key-enter", "Rechercher"),
    ("booking", "services", "service-svc-cni", "mardi 1er décembre 2026"),
])
def test_the_gallery_breaks_a_run_only_where_it_is_wider_than_the_line(make_pilot, screen, state, widget, run):
    """Every gallery state passes this rule: test_layout runs it through ``check_app``, with
    every other rule, in both orientations, both languages, normal and large text (about 1 ms a
    state). Its real work there, in portrait, French, large text: the key « Rechercher » and the
    booking rows' « mardi 1er décembre 2026 » are wider than their line and break, as they must;
    the rule sees those breaks and accepts them."""
    from kiosk.clock import ManualClock

    pilot = make_pilot(PORTRAIT, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen),
                       overrides={"accessibility.large_text": True})
    STATES[screen][state](pilot)
    pilot.settle()
    pilot.take_errors()
    current = pilot.app.nav.current
    assert current is not None
    lines = [item.text for item in pilot.widget(widget).text_items(pilot.app.ui)]
    assert run not in lines and any(run.startswith(line) for line in lines), lines
    started = time.perf_counter()
    assert break_problems(current, pilot.app.ui) == []
    assert check_app(pilot.app) == []
    assert time.perf_counter() - started < 0.5
