"""Every gallery state, with the tactile keypad alone: each enabled control is reached, in
reading order, seen whole where a finger could tap it, and activating it with 5 does what a
tap on it does.

Reaching is checked on every state (portrait, French, plus a landscape sample). Activation is
compared with a real finger tap on a fresh copy of the state for one control per state (picked
by the state's name, so a run is repeatable and the sample covers tiles, keys, list rows,
dialog buttons and the footer across states): comparing every control of every state would
reach each state some thirty times.
"""

from __future__ import annotations

import time
import zlib

import pygame
import pytest

from kiosk.clock import ManualClock
from kiosk.devtools.screenshots import OVERRIDES, SHOT_TIME, STATES, data_for
from tests.conftest import LANDSCAPE, PORTRAIT

CASES = [(screen, state) for screen, states in STATES.items() for state in states]
LANDSCAPE_SAMPLE = [("home", "default"), ("toolkit", "keyboard"), ("toolkit", "dialog"), ("booking_day", "default"),
                    ("city_search", "typing"), ("tracking", "typed")]


def reach(make_pilot, screen: str, state: str, size=PORTRAIT):
    pilot = make_pilot(size, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen),
                       overrides=OVERRIDES.get(screen, {}))
    STATES[screen][state](pilot)
    quiet(pilot)
    pilot.take_errors()
    return pilot


def quiet(pilot, for_s: float = 0.15, at_most_s: float = 3.0) -> None:
    """Run the loop until the printer has answered every job (a state's ticket printing as its
    screen opens) and then nothing came for ``for_s`` (a board read by a worker thread), so the
    keypad's copy of a state and the finger's copy are the same however loaded the machine."""
    pilot.settle_printing()
    start = last = time.monotonic()
    while time.monotonic() - last < for_s and time.monotonic() - start < at_most_s:
        if pilot.app.step() or pygame.event.peek():
            last = time.monotonic()
        time.sleep(0.01)
    pilot.settle()


def enabled_controls(screen) -> list:
    """What a finger could use on the top layer: interactive, enabled, shown (every ancestor
    shown too), with a size: found here from the tree, apart from the focus module's own search."""
    layers = [o for o in screen.overlays if type(o).__name__ != "Toast"]
    tree = layers[-1] if layers else screen.root
    out = []
    for w in tree.walk():
        shown, node = True, w
        while node is not None:
            if not node.visible or (node.parent is not None and node not in node.parent.children()):
                shown = False
            node = node.parent
        if shown and w.interactive and w.enabled and w.rect.width > 0 and w.rect.height > 0:
            out.append(w)
    return out


def walk_with_keys(pilot) -> list:
    """Press « 6 » (next) until the focus comes back to where it started; the controls met."""
    focus = pilot.app.focus
    met = []
    for _ in range(600):
        pilot.key("right")
        widget = focus.widget
        if met and widget is met[0]:
            return met
        met.append(widget)
        # seen whole on screen, where a finger tapping its centre would get it
        assert pilot.screen.hit(widget.rect.center) is widget, f"{widget.id} is not under its own centre"
    raise AssertionError("the focus never came back to the first control")


def in_reading_order(before, after) -> bool:
    """``after`` is below ``before``, or on its line to its right, or in a column to its right."""
    a, b = before.rect, after.rect
    return b.top >= a.top - 2 or b.left >= a.right - 2


def check_walk(pilot, where: str) -> None:
    expected = enabled_controls(pilot.screen)
    met = walk_with_keys(pilot) if expected else []
    missing = [w.id or type(w).__name__ for w in expected if not any(m is w for m in met)]
    assert not missing, f"{where}: never reached by the keypad: {missing}"
    assert len(met) == len(expected), f"{where}: a control met twice in one round"
    if met:    # the round may start where a state left the focus: read it from the first control
        start = next(i for i, w in enumerate(met) if w is expected[0])
        met = met[start:] + met[:start]
    for before, after in zip(met, met[1:], strict=False):
        if not pilot.screen.content or not _in_same_scroll(before, after):
            continue
        assert in_reading_order(before, after), f"{where}: {after.id} comes after {before.id} but reads before it"


def _in_same_scroll(a, b) -> bool:
    def view(w):
        while w is not None and type(w).__name__ != "ScrollView":
            w = w.parent
        return w
    # positions compare directly only inside one scrolled area (the focus scrolled between them)
    return view(a) is view(b)


@pytest.mark.parametrize("screen,state", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_every_control_is_reached_in_reading_order_and_activates_as_a_tap(make_pilot, screen, state):
    pilot = reach(make_pilot, screen, state)
    check_walk(pilot, f"{screen}-{state}")
    controls = enabled_controls(pilot.screen)
    if not controls:
        return
    pick = zlib.crc32(f"{screen}-{state}".encode()) % len(controls)
    target = controls[pick]
    target_id = target.id
    # the keypad's way: from where the round ended, « 6 » to it, then « 5 »
    here = next(i for i, w in enumerate(controls) if w is pilot.app.focus.widget)
    for _ in range((pick - here) % len(controls)):
        pilot.key("right")
    assert pilot.app.focus.widget is target
    pilot.key("activate")
    quiet(pilot)
    by_keys = outcome(pilot)
    # a finger's way, on a fresh copy of the state
    finger = reach(make_pilot, screen, state)
    touched = enabled_controls(finger.screen)[pick]
    assert touched.id == target_id
    if finger.app.speech_active:
        finger.use(target_id)      # explore by touch: a first touch only says the control
    else:
        finger.tap_at(touched.rect.center) if _visible(finger, touched) else finger.tap(target_id)
    quiet(finger)
    assert by_keys == outcome(finger), f"{screen}-{state}: 5 on {target_id} did not do what a tap does"


def _visible(pilot, widget) -> bool:
    return pilot.screen.hit(widget.rect.center) is widget


def outcome(pilot):
    """What a person would notice after the action: the screen, its layers and its words."""
    pilot.settle()
    pilot.take_errors()
    screen = pilot.screen
    return (screen.name if screen else None, len(pilot.app.nav.stack),
            [o.id for o in screen.overlays] if screen else [], pilot.text() if screen else "")


@pytest.mark.parametrize("screen,state", LANDSCAPE_SAMPLE, ids=[f"{s}-{t}" for s, t in LANDSCAPE_SAMPLE])
def test_landscape_sample_is_walked_whole_in_reading_order(make_pilot, screen, state):
    pilot = reach(make_pilot, screen, state, LANDSCAPE)
    check_walk(pilot, f"{screen}-{state} landscape")
