"""A static screen costs nothing: no redraw until something changes; and what a partial redraw
leaves on screen is what a whole new frame would draw."""

from __future__ import annotations

import pytest


def test_a_static_screen_draws_nothing_more(pilot, monkeypatch):
    shown = []
    monkeypatch.setattr(pilot.app.display, "present", lambda rects: shown.append(rects))
    for _ in range(50):
        assert pilot.app.step() is False
    assert shown == []


def test_the_loop_sleeps_until_the_next_minute_on_a_still_home_screen(pilot):
    now = pilot.app.clock.monotonic()
    wall = pilot.app.clock.now()
    deadline = pilot.app.next_deadline()
    assert deadline is not None
    assert abs((deadline - now) - (60 - wall.second + 0.01)) < 1e-6   # the header clock; dimming is later


def test_the_header_clock_changes_at_the_minute_and_only_it_is_redrawn(pilot, monkeypatch):
    shown = []
    monkeypatch.setattr(pilot.app.display, "present", lambda rects: shown.append(rects))
    pilot.advance(30)
    assert shown == []
    pilot.advance(30)
    clock = pilot.widget("header-clock")
    assert shown == [[clock.rect]]
    assert clock.text.endswith("9\u00a0h\u00a031")


def test_transitions_redraw_the_whole_screen_once(pilot, monkeypatch):
    shown = []
    monkeypatch.setattr(pilot.app.display, "present", lambda rects: shown.append(rects))
    pilot.tap("help")
    assert shown.count(None) == 1


# --- partial redraws leave the same picture as a whole new frame ---------------------------------

PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)
UNPAINTED = (255, 0, 255)   # a colour no theme uses: what a frame leaves of it, no widget painted


def _differences(pilot) -> str:
    """Where the picture on screen (drawn incrementally) differs from the same screen drawn from
    scratch on a blank surface; empty when they agree pixel for pixel."""
    import numpy
    import pygame

    pilot.settle()
    surface = pilot.app.display.surface
    shown = pygame.surfarray.array3d(surface)
    surface.fill(UNPAINTED)
    pilot.app.nav.current.invalidate_all()
    assert pilot.app.step() is True
    fresh = pygame.surfarray.array3d(surface)
    xs, ys = numpy.nonzero(numpy.any(shown != fresh, axis=2))
    if not len(xs):
        return ""
    rows = sorted(set(ys.tolist()))
    return f"{len(xs)} px differ, x {xs.min()}–{xs.max()}, rows {rows[:8]}{'…' if len(rows) > 8 else ''}"


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_what_is_on_screen_is_what_a_full_redraw_draws(make_pilot, size):
    """Stray 1-pixel lines stayed on screen after a text-size change and after an idle reset: a
    full frame left some pixels unpainted (the header/content/footer seams), so they kept the
    previous layout's colours, and a translucent dimming darkened them again at every frame."""
    pilot = make_pilot(size)
    assert _differences(pilot) == "", "home"
    pilot.tap("accessibility")
    for key in ("large_text", "low_reach", "high_contrast", "large_text", "high_contrast", "low_reach"):
        if pilot.has(f"toggle-{key}"):      # low reach: portrait only
            pilot.tap(f"toggle-{key}")
            assert _differences(pilot) == "", key
    pilot.tap("help")
    assert _differences(pilot) == "", "help"
    pilot.advance(120)                      # idle warning, then the reset to the home screen
    assert pilot.screen.is_home
    assert _differences(pilot) == "", "after the idle reset"
    pilot.advance(300)                      # dimmed; the header clock still changes underneath
    assert pilot.screen.find("dim") is not None
    pilot.advance(120)
    assert _differences(pilot) == "", "dimmed, two minutes later"
