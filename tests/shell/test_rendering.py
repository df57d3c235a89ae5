"""A static screen costs nothing: no redraw until something changes."""

from __future__ import annotations


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
