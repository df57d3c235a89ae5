"""The keypad's focus in the real app: keys from the tactile keypad (KEYPAD_KEY) and from SDL
move a visible ring through the controls, 5 activates on release and, held 2 s, starts speech
guidance instead; 0 goes back; the ring is drawn as a small dirty rectangle, only once a key
was used, and is gone when the visit ends."""

from __future__ import annotations

import pygame
import pytest

from kiosk.shell.focus import RING_DARK, RING_LIGHT
from kiosk.speech.keys import HOLD_TO_START_S


class Calls:
    """Records the calls the focus makes to one method of the app or its reader (installed on
    the instance, so whatever body speech-start or spoken-screens give it still runs)."""

    def __init__(self, owner, name: str) -> None:
        self.args: list[tuple] = []
        original = getattr(owner, name)

        def record(*args):
            self.args.append(args)
            return original(*args)
        setattr(owner, name, record)

    def __len__(self) -> int:
        return len(self.args)


def focused(pilot) -> str | None:
    widget = pilot.app.focus.widget
    return widget.id if widget is not None else None


def notices(moved: Calls) -> list[str]:
    """What the focus had said before a control (the wrap round), call by call."""
    return [a[1] for a in moved.args if len(a) > 1 and a[1]]


def test_keys_walk_the_home_screen_in_reading_order_and_tell_the_reader(pilot):
    moved = Calls(pilot.app.reader, "focus_moved")
    pilot.key("down")
    assert focused(pilot) == "feature-booking"     # the first key: the first control under the header
    pilot.key("right")
    assert focused(pilot) == "feature-tracking"
    pilot.keys("up", "up")
    assert focused(pilot) == "language"            # the header's controls come before, in reading order
    assert [a[0].id for a in moved.args] == ["feature-booking", "feature-tracking", "feature-booking", "language"]
    assert notices(moved) == []
    pilot.key("left")                              # past the first control: the last one, said so first
    assert focused(pilot) == "accessibility" and notices(moved) == ["Fin de l’écran"]


def test_wrapping_is_announced(pilot):
    moved = Calls(pilot.app.reader, "focus_moved")
    pilot.key("up")
    assert focused(pilot) == "accessibility" and notices(moved) == []   # the first key up: the last control
    pilot.key("down")
    assert focused(pilot) == "language" and notices(moved) == ["Retour en haut de l’écran"]
    pilot.key("up")
    assert focused(pilot) == "accessibility" and notices(moved) == ["Retour en haut de l’écran", "Fin de l’écran"]


def test_activate_is_the_tap_and_focus_starts_on_the_first_control_of_a_new_screen(pilot):
    taps = Calls(pilot.app, "tap")
    pilot.key("down")
    pilot.key("activate")
    assert pilot.screen.name == "booking"
    assert [a[0].id for a in taps.args] == ["feature-booking"]
    pilot.key("down")
    assert focused(pilot) == "home"          # the first control under the header (no services: the footer)
    pilot.key("back")                                      # « 0 »: the footer's « Retour »
    assert pilot.screen.name == "home"
    assert focused(pilot) == "feature-booking"             # back where it was on that screen


def test_back_closes_a_dialog_with_its_quiet_answer_and_says_when_there_is_no_way_back(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-dialog")
    pilot.activate("open-dialog")
    assert [o.id for o in pilot.screen.overlays] == ["dialog"]
    pilot.key("down")
    assert focused(pilot) in ("answer-no", "answer-yes")   # only the dialog's buttons
    pilot.key("back")
    assert [o.id for o in pilot.screen.overlays] == ["toast"] and pilot.screen.name == "toolkit"   # answered
    assert focused(pilot) == "open-dialog"                 # back on the control that opened it
    pilot.tap("home")
    said = Calls(pilot.app.reader, "announce")
    pilot.key("back")
    assert pilot.screen.name == "home" and len(said) == 1


def test_holding_5_starts_guidance_once_and_does_not_activate(pilot):
    app = pilot.app
    started = Calls(app, "start_guidance")
    taps = Calls(app, "tap")
    pilot.key("down")
    pilot._keypad("activate", True)
    app.step()
    deadline = app.next_deadline()
    assert deadline is not None and deadline <= app.clock.monotonic() + HOLD_TO_START_S + 1e-6
    pilot.advance(HOLD_TO_START_S + 0.5)                   # no key repeat: the timer finds the hold
    assert started.args == [("keypad",)]
    pilot.advance(3)
    pilot._keypad("activate", False)
    pilot.settle()
    assert started.args == [("keypad",)] and taps.args == []
    assert pilot.screen.name == "home"


def test_holding_5_for_one_second_activates_once_on_release(pilot):
    started = Calls(pilot.app, "start_guidance")
    pilot.key("down")
    pilot.hold("activate", 1.0)
    assert pilot.screen.name == "booking" and len(started) == 0
    assert len(pilot.app.nav.stack) == 2


def test_sdl_keyboard_drives_the_same_focus(pilot):
    for key in (pygame.K_DOWN, pygame.K_KP2, pygame.K_KP8, pygame.K_RETURN):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
        pilot.settle()
    assert pilot.screen.name == "booking"


def test_repeat_help_and_volume_go_to_the_reader_and_every_key_is_activity(pilot):
    reader = pilot.app.reader
    calls = {name: Calls(reader, name) for name in ("repeat", "help", "volume")}
    before = pilot.app.idle.last_activity
    pilot.clock.advance(30)
    pilot.keys("repeat", "help", "volume_up", "volume_down", "volume_down")
    assert len(calls["repeat"]) == 1 and len(calls["help"]) == 1
    assert calls["volume"].args == [(1,), (-1,), (-1,)]
    assert pilot.app.idle.last_activity >= before + 30


def ring_at(pilot, widget) -> bool:
    surf = pilot.app.display.surface
    r = widget.rect
    return surf.get_at((r.centerx, r.top + 2))[:3] == RING_DARK and \
        any(surf.get_at((r.centerx, r.top + dy))[:3] == RING_LIGHT for dy in range(4, 20))


def test_ring_shows_only_after_a_key_moves_as_a_small_dirty_rect_and_goes_with_the_visit(pilot):
    app = pilot.app
    booking, tracking = pilot.widget("feature-booking"), pilot.widget("feature-tracking")
    presented: list = []
    original = app.display.present
    app.display.present = lambda rects: (presented.append(rects), original(rects))[1]
    pilot.focus_to("feature-booking")
    assert ring_at(pilot, booking)
    presented.clear()
    pilot.key("down")
    assert ring_at(pilot, tracking) and not ring_at(pilot, booking)
    assert presented and all(rects is not None for rects in presented)       # no full redraw per key
    shown = [r for rects in presented for r in rects]
    assert shown and all(booking.rect.contains(r) or tracking.rect.contains(r) for r in shown)
    app.end_visit("test")
    pilot.settle()
    assert not app.focus.shown and app.focus.widget is None
    assert not ring_at(pilot, pilot.widget("feature-tracking"))


def test_touch_users_never_see_the_ring(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("home")
    assert not pilot.app.focus.shown
    assert not ring_at(pilot, pilot.widget("language"))


def test_focus_survives_a_rebuild_by_id(pilot):
    pilot.activate("language")                              # switch to English with 5
    assert pilot.app.visit.settings.language == "en"
    assert focused(pilot) == "language" and pilot.app.focus.widget is pilot.widget("language")


def test_a_focused_control_in_a_long_list_is_scrolled_into_view(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-list")
    last = max((w for w in pilot.widgets() if (w.id or "").startswith("item-")), key=lambda w: w.rect.top)
    view = pilot.widget("content")
    assert last.rect.bottom > view.rect.bottom                 # below the fold to begin with
    pilot.focus_to(last.id)
    assert view.rect.contains(last.rect)


def test_typing_on_the_on_screen_keyboard_key_by_key(pilot):
    pilot.tap("feature-toolkit")
    pilot.type("Zoé", by_keys=True)
    assert pilot.app.visit.fields["demo_name"] == "Zoé"


def test_calendar_days_by_week_with_up_and_down(make_pilot):
    from kiosk.clock import ManualClock
    from kiosk.devtools.screenshots import SHOT_TIME, STATES, data_for

    pilot = make_pilot(clock=ManualClock(SHOT_TIME), data=lambda config: data_for("booking_day"))
    STATES["booking_day"]["default"](pilot)
    pilot.settle()
    days = sorted((w for w in pilot.widgets() if (w.id or "").startswith("day-") and w.focusable),
                  key=lambda w: w.id)
    first = days[0]
    pilot.focus_to(first.id)
    pilot.key("down")
    below = pilot.app.focus.widget
    assert below.id.startswith("day-") and below.rect.top > first.rect.bottom
    assert abs(below.rect.centerx - first.rect.centerx) <= first.rect.width    # the same weekday column
    pilot.key("right")
    assert pilot.app.focus.widget.rect.left > below.rect.left or pilot.app.focus.widget.rect.top > below.rect.top


@pytest.mark.parametrize("action", ["nonsense"])
def test_an_unknown_keypad_action_is_ignored_with_a_log_line(pilot, caplog, action):
    pilot._keypad(action, True)
    pilot.settle()
    assert pilot.screen.name == "home" and "not a known action" in caplog.text


def test_ring_is_never_under_the_low_reach_banner(make_pilot):
    pilot = make_pilot(overrides={"accessibility.low_reach": True})
    top = pilot.app.viewport.top
    assert top > 0
    pilot.key("down")
    first = pilot.app.focus.widget
    assert first.rect.top >= top and ring_at(pilot, first)
    pilot.key("up")
    last = pilot.app.focus.widget
    assert last.rect.top >= top and ring_at(pilot, last)


def test_a_control_that_uses_a_key_itself_gets_it_first(pilot):
    """``Widget.handle_key``: a control may use 5, 0 or an arrow itself; the focus then stays."""
    tile = pilot.widget("feature-booking")
    used: list[str] = []

    def handle_key(action):
        used.append(str(action))
        return action in ("activate", "down")
    tile.handle_key = handle_key
    pilot.focus_to("feature-booking")
    pilot.keys("down", "activate")
    assert pilot.screen.name == "home" and focused(pilot) == "feature-booking"
    pilot.key("right")
    assert focused(pilot) == "feature-tracking"
    assert used == ["down", "activate", "right"]
