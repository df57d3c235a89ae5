"""What a person sees, not only what is laid out: the checker's rules for the main action,
the keyboard, the field typed into, errors that move keys, and list rows that lead nowhere.

Each rule is shown failing on the way screens were laid out before (keyboard and main
action inside the scrolling content, no room kept for an error line), then passing with
the shared mechanism (``Screen.dock``, ``TextField``'s error line), and the gallery is run
in low-reach mode, where the room is shortest.
"""

from __future__ import annotations

import pygame
import pytest

from kiosk.devtools.layout_check import check_app, dead_rows, error_shifts, row_problems, seen_problems
from kiosk.devtools.screenshots import SHOT_TIME, STATES, data_for
from kiosk.shell.ui import UiContext
from screens.base import Screen
from screens.widgets import AzertyKeyboard, Button, Column, Label, TextField
from screens.widgets.base import Widget
from screens.widgets.list_row import ListRow
from screens.widgets.text import wrap
from tests.conftest import LANDSCAPE, PORTRAIT

CASES = [(screen, state) for screen, states in STATES.items() for state in states]


class _FieldWithoutErrorRoom(TextField):
    """A field as it measured itself before: its error took room only while shown."""

    def measure(self, ui: UiContext, width: int) -> int:
        from kiosk.shell.ui import TEXT_SMALL

        small = ui.fonts.line_height(ui.font_px(TEXT_SMALL), True)
        caption = wrap(self.caption, ui.fonts, ui.font_px(TEXT_SMALL), width, True) if self.caption else []
        error = wrap(self.error, ui.fonts, ui.font_px(TEXT_SMALL), width, True) if self.error else []
        return (len(caption) + len(error)) * small + self._box_height(ui) + ui.px(8)


class _FormScreen(Screen):
    """A typing screen: an introduction, a field, the keyboard, a long note, the main action."""

    name = "form_probe"

    def __init__(self, app, *, docked: bool = True, field_type: type[TextField] = TextField) -> None:
        super().__init__(app)
        self.docked_layout = docked
        self.field_type = field_type
        self.store: dict[str, str] = {}

    def title(self) -> str:
        return "Qui vient ?"

    def compose(self) -> Widget:
        self.field = self.field_type(self.store, "name", caption="Nom", id="probe-field")
        self.field.focused = True
        intro = Label("Votre nom et votre prénom, comme sur votre pièce d'identité. " * 4, id="probe-intro")
        note = Label("Vos coordonnées servent uniquement à ce rendez-vous. " * 24, id="probe-note")
        return Column([intro, self.field, AzertyKeyboard(self.field.insert), note,
                       Button("Continuer", kind="primary", id="probe-go")], gap=24)

    def dock(self, content: Widget) -> Widget | None:
        return super().dock(content) if self.docked_layout else None   # None: all of it scrolls, as before


def _show(pilot, screen: Screen) -> Screen:
    pilot.app.nav.push(screen)
    pilot.settle()
    return screen


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_main_action_keyboard_and_field_out_of_view_are_found_then_docking_keeps_them_in_view(make_pilot, size):
    pilot = make_pilot(size, overrides={"accessibility.large_text": True})
    before = _show(pilot, _FormScreen(pilot.app, docked=False))
    found = seen_problems(before, pilot.app.viewport)
    assert any(p.startswith("main action 'probe-go' is not on screen") for p in found), found
    if size == LANDSCAPE:
        assert any(p.startswith("keyboard keyboard is not entirely on screen") for p in found), found
    before.content.scroll_to(before.content.max_offset)   # scrolled down to the main action: the field is gone
    found = seen_problems(before, pilot.app.viewport)
    assert any(p.startswith("focused field probe-field is not visible while typing") for p in found), found

    after = _show(pilot, _FormScreen(pilot.app))
    assert seen_problems(after, pilot.app.viewport) == []
    assert check_app(pilot.app) == []
    keyboard, field = pilot.widget("keyboard"), pilot.widget("probe-field")
    assert field.rect.bottom <= keyboard.rect.top and pilot.app.viewport.contains(keyboard.rect)


def test_low_reach_with_large_text_gives_the_keys_and_the_main_action_one_screen(make_pilot):
    """The tightest case: compact keys, and the main action at the end of the last key row."""
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.large_text": True, "accessibility.low_reach": True})
    screen = _show(pilot, _FormScreen(pilot.app))
    keyboard, go = pilot.widget("keyboard"), pilot.widget("probe-go")
    assert go.parent is not None and go.parent.parent is keyboard
    assert min(w.rect.height for w in keyboard.walk() if isinstance(w, Button)) >= pilot.app.ui.min_touch
    assert check_app(pilot.app) == []
    assert seen_problems(screen, pilot.app.viewport) == []


@pytest.mark.parametrize("docked", [False, True], ids=["keyboard-scrolls", "keyboard-docked"])
def test_an_error_appearing_moves_keys_only_when_no_line_is_kept_for_it(make_pilot, docked):
    pilot = make_pilot(PORTRAIT)
    old = _show(pilot, _FormScreen(pilot.app, docked=docked, field_type=_FieldWithoutErrorRoom))
    shifts = error_shifts(old, pilot.app.ui, pilot.app.viewport)
    assert any("moves when the error under probe-field appears" in s for s in shifts), shifts
    if not docked:
        assert any(s.startswith("key-") for s in shifts), shifts   # the keys themselves jump

    new = _show(pilot, _FormScreen(pilot.app, docked=docked))
    assert error_shifts(new, pilot.app.ui, pilot.app.viewport) == []
    field = pilot.widget("probe-field")
    keys = {w.id: pygame.Rect(w.rect) for w in new.widgets() if w.id and w.id.startswith("key-")}
    field.set_error("Ce texte est trop long.")
    pilot.settle()
    field.set_error("")
    pilot.settle()
    assert {w.id: w.rect for w in new.widgets() if w.id in keys} == keys


def test_a_list_row_that_leads_nowhere_is_found(make_pilot):
    pilot = make_pilot(PORTRAIT)

    class Rows(Screen):
        name = "rows_probe"

        def compose(self) -> Widget:
            return Column([ListRow("Mairie", id="row-open", on_tap=lambda: self.toast("Mairie")),
                           ListRow("Concert", ["samedi 5 décembre"], id="row-card"),
                           ListRow("Marché", id="row-noop", on_tap=lambda: None)], gap=16)

    screen = _show(pilot, Rows(pilot.app))
    assert row_problems(screen) == ["list row 'row-card' looks tappable like its neighbours but leads nowhere"]
    assert dead_rows(pilot.app) == ["list row 'row-noop' leads nowhere when tapped"]
    assert pilot.screen is screen and not screen.overlays   # the probe put the screen back


@pytest.mark.parametrize("screen,state", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_every_list_row_of_the_gallery_leads_somewhere(make_pilot, screen, state):
    from kiosk.clock import ManualClock

    pilot = make_pilot(PORTRAIT, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen))
    STATES[screen][state](pilot)
    pilot.settle()
    pilot.take_errors()
    assert dead_rows(pilot.app) == []


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
@pytest.mark.parametrize("screen,state", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_low_reach_gallery_keeps_keys_field_and_main_action_in_view(make_pilot, large_text, screen, state):
    from kiosk.clock import ManualClock

    pilot = make_pilot(PORTRAIT, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen),
                       overrides={"accessibility.low_reach": True, "accessibility.large_text": large_text})
    STATES[screen][state](pilot)
    pilot.settle()
    pilot.take_errors()
    assert check_app(pilot.app) == []


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_phone_number_typed_fast_after_an_error_lands_on_the_keys_aimed_at(make_pilot, size):
    """Defect 5: the error under the phone field used to push the keyboard down and the first
    key took it away, so the next taps hit other keys (« 0611223344 » gave « 0+@@..__ »).
    Every tap here goes where the keys were before the first one, as a quick finger does."""
    from kiosk.clock import ManualClock
    from screens.widgets.keypad import NumericKeypad

    pilot = make_pilot(size, clock=ManualClock(SHOT_TIME), data=lambda config: data_for("booking_person"))
    STATES["booking_person"]["errors"](pilot)
    pilot.tap("field-phone")
    assert pilot.widget("field-phone").error
    assert isinstance(pilot.widget("keypad"), NumericKeypad)
    aimed = {ch: pilot.widget(f"key-{ch}").rect.center for ch in "0123456789"}
    aimed["⌫"] = pilot.widget("key-backspace").rect.center
    for _ in range(4):
        pilot.tap_at(aimed["⌫"])
    assert not pilot.widget("field-phone").error
    for ch in "0611223344":
        pilot.tap_at(aimed[ch])
    assert pilot.app.visit.fields["booking_phone"] == "0611223344"


def test_the_gallery_renders_in_low_reach_mode_without_problems(tmp_path):
    """``kiosk screenshots --low-reach``: the typing screen where room is shortest."""
    from kiosk.devtools.screenshots import render_all

    problems: list[str] = []
    written = render_all(out=tmp_path, size=PORTRAIT, large_text=True, low_reach=True, only={"booking_person"},
                         problems=problems)
    assert len(written) == len(STATES["booking_person"]) and all(p.stat().st_size > 0 for p in written)
    assert problems == []
