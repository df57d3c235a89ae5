"""Idle: the « are you still there? » warning, the reset that wipes typed data, dimming."""

from __future__ import annotations


def _typing_a_name(pilot, name="Lefèvre"):
    pilot.tap("feature-toolkit")
    pilot.type(name)
    assert pilot.app.visit.fields["demo_name"] == name


def test_warning_after_45_s_then_countdown_then_reset_wipes_everything(pilot):
    _typing_a_name(pilot)
    pilot.tap("accessibility")
    pilot.tap("toggle-large_text")
    pilot.advance(44)
    assert not pilot.has("idle-dialog")
    pilot.advance(1)
    assert pilot.has("idle-dialog")
    assert "Êtes-vous toujours là\u202f?" in pilot.text()
    assert "20 secondes" in pilot.widget("idle-dialog-message").text
    pilot.advance(5)
    assert "15 secondes" in pilot.widget("idle-dialog-message").text
    pilot.advance(14)
    assert "1 seconde " in pilot.widget("idle-dialog-message").text
    fields = pilot.app.visit.fields
    pilot.advance(1)
    assert pilot.screen.name == "home" and len(pilot.app.nav.stack) == 1
    assert not pilot.has("idle-dialog")
    assert fields == {} and pilot.app.visit.fields == {}
    assert not pilot.app.visit.settings.large_text      # the next person starts from the defaults
    assert not pilot.app.ui.large_text
    assert "Lefèvre" not in pilot.text()
    # The new visit starts clean: nothing is waiting in the practice screen.
    pilot.tap("feature-toolkit")
    assert pilot.widget("name").value == ""


def test_continue_keeps_the_visit_and_restarts_the_delay(pilot):
    _typing_a_name(pilot, "Ève")
    pilot.advance(50)
    pilot.tap("continue")
    assert not pilot.has("idle-dialog")
    assert pilot.screen.name == "toolkit" and pilot.app.visit.fields["demo_name"] == "Ève"
    pilot.advance(44)
    assert not pilot.has("idle-dialog")
    pilot.advance(1)
    assert pilot.has("idle-dialog")


def test_touching_anywhere_delays_the_warning(pilot):
    _typing_a_name(pilot)
    for _ in range(5):
        pilot.advance(30)
        pilot.tap_at((540, 900))  # on nothing in particular
    assert not pilot.has("idle-dialog")


def test_warning_follows_the_person_to_another_screen_of_the_visit(pilot):
    pilot.tap("help")
    pilot.advance(45)
    assert pilot.has("idle-dialog")
    pilot.advance(20)
    assert pilot.screen.name == "home"


def test_a_pristine_home_screen_never_warns_but_dims_and_wakes_on_first_touch(pilot):
    pilot.advance(119, step=1)
    assert not pilot.has("idle-dialog") and not pilot.has("dim")
    pilot.advance(1)
    assert pilot.has("dim") and pilot.app.idle.dimmed
    assert "Touchez l’écran pour commencer" in pilot.text()
    # The first touch lands on a tile, but it only wakes the screen.
    pilot.tap("feature-toolkit")
    assert pilot.screen.name == "home"
    assert not pilot.has("dim")
    pilot.tap("feature-toolkit")
    assert pilot.screen.name == "toolkit"


def test_admin_pin_typed_is_wiped_by_the_idle_reset(pilot):
    pilot.app.open_admin()
    pilot.settle()
    pilot.type("12")
    assert pilot.app.visit.fields["admin_pin"] == "12"
    pilot.advance(65)
    assert pilot.screen.name == "home"
    assert "admin_pin" not in pilot.app.visit.fields


def test_idle_timings_come_from_the_configuration(make_pilot):
    pilot = make_pilot(overrides={"idle.warn_after_s": 10, "idle.reset_after_s": 5})
    pilot.tap("help")
    pilot.advance(10)
    assert "5 secondes" in pilot.widget("idle-dialog-message").text
    pilot.advance(5)
    assert pilot.screen.name == "home"
