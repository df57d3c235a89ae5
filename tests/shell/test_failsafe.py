"""An exception in a screen never ends the app: apology, then home after 10 s."""

from __future__ import annotations

import logging

from screens.base import Screen
from screens.widgets import Button, Column


class Exploding(Screen):
    """A screen that fails where asked: on a tap, in its timer, or while drawing."""

    name = "exploding"

    def __init__(self, app, where: str) -> None:
        super().__init__(app)
        self.where = where

    def compose(self):
        return Column([Button("Boom", id="boom", on_tap=self.boom)])

    def boom(self):
        raise ValueError("boom on tap")

    def tick(self, now):
        if self.where == "tick":
            raise ValueError("boom in tick")

    def render(self, surf, ui):
        if self.where == "render":
            raise ValueError("boom in render")
        return super().render(surf, ui)


def _open(pilot, where):
    pilot.app.visit.fields["demo_name"] = "Dupont"
    pilot.app.nav.push(Exploding(pilot.app, where))
    pilot.settle()


def test_exception_on_tap_shows_the_apology_then_home_after_10_s(pilot, caplog):
    _open(pilot, "tap")
    with caplog.at_level(logging.ERROR):
        pilot.tap("boom")
    [err] = pilot.take_errors()
    assert str(err) == "boom on tap"
    assert pilot.screen.name == "failsafe"
    assert "Désolé, un problème est survenu" in pilot.text()
    assert pilot.app.visit.fields == {}                # what was typed is dropped
    assert "Traceback" in caplog.text and "boom on tap" in caplog.text
    pilot.advance(9.5)
    assert pilot.screen.name == "failsafe"
    pilot.advance(0.5)
    assert pilot.screen.name == "home" and len(pilot.app.nav.stack) == 1


def test_exception_in_a_timer_or_while_drawing(pilot):
    for where in ("tick", "render"):
        _open(pilot, where)
        assert [str(e) for e in pilot.take_errors()] == [f"boom in {where}"]
        assert pilot.screen.name == "failsafe"
        pilot.tap("go-home")
        assert pilot.screen.name == "home"


def test_failsafe_from_the_admin_screen_button(pilot):
    pilot.app.open_admin()
    pilot.settle()
    pilot.type("1234")
    pilot.tap("key-enter")
    pilot.tap("test-failsafe")
    assert len(pilot.take_errors()) == 1
    assert pilot.screen.name == "failsafe"


def test_when_the_apology_itself_fails_a_plain_message_shows_then_home(pilot, monkeypatch):
    import screens.shell.failsafe

    def broken(self):
        raise RuntimeError("apology is broken")

    monkeypatch.setattr(screens.shell.failsafe.FailsafeScreen, "compose", broken)
    _open(pilot, "tap")
    pilot.press(pilot.widget("boom").rect.center)
    pilot._finger(__import__("pygame").FINGERUP, pilot.widget("boom").rect.center)
    pilot.app.step()
    assert [str(e) for e in pilot.take_errors()] == ["boom on tap", "apology is broken"]
    # The plain message was drawn straight on the display, white on black.
    surface = pilot.app.display.surface
    assert surface.get_at((5, 5))[:3] == (0, 0, 0)
    pilot.advance(9.5)
    assert pilot.screen is None and surface.get_at((5, 5))[:3] == (0, 0, 0)
    pilot.advance(0.5)
    assert pilot.screen is not None and pilot.screen.name == "home"


def test_a_broken_home_screen_keeps_the_apology_up_instead_of_dying(pilot, monkeypatch):
    import screens.shell.home

    _open(pilot, "tap")
    monkeypatch.setattr(screens.shell.home.HomeScreen, "compose", lambda self: 1 / 0)
    pilot.tap("boom")
    pilot.advance(10)
    errors = pilot.take_errors()
    assert isinstance(errors[-1], ZeroDivisionError)
    assert pilot.screen.name == "failsafe"
