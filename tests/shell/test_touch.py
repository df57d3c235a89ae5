"""Touch input: taps, pressed state, drags that scroll with inertia, mouse vs finger, rotation."""

from __future__ import annotations

import pygame
import pytest

from kiosk.shell.display import Display


def _finger(pilot, kind, pos, finger_id=0):
    d = pilot.app.display
    px, py = d.to_physical(*pos)
    w, h = d.physical
    pygame.event.post(pygame.event.Event(kind, touch_id=1, finger_id=finger_id, x=(px + .5) / w, y=(py + .5) / h,
                                         dx=0.0, dy=0.0, pressure=1.0))
    pilot.app.step()


def test_pressed_state_shows_on_the_next_frame_and_only_that_button_is_redrawn(pilot, monkeypatch):
    tile = pilot.widget("feature-toolkit")
    shown = []
    monkeypatch.setattr(pilot.app.display, "present", lambda rects: shown.append(rects))
    _finger(pilot, pygame.FINGERDOWN, tile.rect.center)
    assert tile.pressed
    assert shown == [[tile.rect]]                  # one frame, just the tile
    _finger(pilot, pygame.FINGERUP, tile.rect.center)
    assert pilot.screen.name == "toolkit"


@pytest.mark.parametrize("rebuilt", [False, True], ids=["as-is", "screen-rebuilt-meanwhile"])
def test_release_on_another_widget_is_not_a_tap(pilot, rebuilt):
    pilot.tap("feature-toolkit")
    a, z = pilot.widget("key-a"), pilot.widget("key-z")
    _finger(pilot, pygame.FINGERDOWN, a.rect.center)
    _finger(pilot, pygame.FINGERMOTION, (a.rect.centerx + 10, a.rect.centery))  # within the slop
    assert a.pressed
    if rebuilt:                     # a print result while the finger is down: still no tap elsewhere
        pilot.screen.rebuild()
        pilot.settle()
    _finger(pilot, pygame.FINGERUP, z.rect.center)
    assert not a.pressed
    assert pilot.app.visit.fields.get("demo_name", "") == ""


def test_a_tap_across_a_rebuild_of_the_screen_still_counts(pilot):
    """A print result or a sync rebuilds the screen while the finger is down: the control under
    it is a new object with the same id. The tap is the person's, and must not be lost."""
    tile = pilot.widget("feature-toolkit")
    _finger(pilot, pygame.FINGERDOWN, tile.rect.center)
    pilot.screen.rebuild()
    pilot.settle()
    rebuilt = pilot.widget("feature-toolkit")
    assert rebuilt is not tile and rebuilt.rect == tile.rect
    _finger(pilot, pygame.FINGERUP, tile.rect.center)
    assert pilot.screen.name == "toolkit"


def test_dragging_scrolls_the_list_cancels_the_tap_and_flings_with_inertia(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-list")
    content = pilot.widget("content")
    item = pilot.widget("item-8")
    assert content.scrollable and content.offset == 0
    start = item.rect.center
    pilot.drag(start, (start[0], start[1] - 400), steps=8, seconds=0.16)
    assert content.offset >= 390                      # followed the finger
    assert pilot.screen.name == "toolkit" and not pilot.has("toast")  # no tap on the item
    assert pilot.app.animating and content.velocity > 0
    after_drag = content.offset
    pilot.settle()                                     # inertia runs on frame time
    assert content.offset > after_drag + 200
    assert content.velocity == 0 and not pilot.app.animating


def test_a_slow_drag_does_not_fling(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-list")
    content = pilot.widget("content")
    pilot.drag((540, 1400), (540, 1300), steps=10, seconds=2.0)
    assert content.velocity == 0
    assert 100 - 24 <= content.offset <= 100   # follows the finger once past the slop


def test_scroll_stops_at_the_ends(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-list")
    content = pilot.widget("content")
    pilot.drag((540, 900), (540, 1500))                # pull down at the top
    pilot.settle()
    assert content.offset == 0
    for _ in range(6):
        pilot.drag((540, 1600), (540, 400), seconds=0.1)
        pilot.settle()
    assert content.offset == content.max_offset


def test_mouse_events_synthesised_from_touch_are_ignored_but_a_real_mouse_works(pilot):
    tile = pilot.widget("feature-toolkit")
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=tile.rect.center, button=1, touch=True))
    pilot.settle()
    assert pilot.screen.name == "home"
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=tile.rect.center, button=1, touch=False))
    pilot.settle()
    assert pilot.screen.name == "toolkit"


def test_a_second_finger_is_ignored(pilot):
    tile = pilot.widget("feature-toolkit")
    help_button = pilot.widget("help")
    _finger(pilot, pygame.FINGERDOWN, tile.rect.center, finger_id=0)
    _finger(pilot, pygame.FINGERDOWN, help_button.rect.center, finger_id=1)
    _finger(pilot, pygame.FINGERUP, help_button.rect.center, finger_id=1)
    assert pilot.screen.name == "home" and not help_button.pressed
    _finger(pilot, pygame.FINGERUP, tile.rect.center, finger_id=0)
    assert pilot.screen.name == "toolkit"


def test_disabled_buttons_do_not_react(pilot):
    home = pilot.widget("home")
    assert not home.enabled
    _finger(pilot, pygame.FINGERDOWN, home.rect.center)
    assert not home.pressed
    _finger(pilot, pygame.FINGERUP, home.rect.center)
    assert pilot.screen.name == "home"


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_logical_and_panel_coordinates_round_trip(rotation):
    d = Display((1920, 1080) if rotation in (90, 270) else (1080, 1920), rotation)
    d.physical = d.requested
    w, h = d.physical
    d.logical = (w, h) if rotation in (0, 180) else (h, w)
    assert d.logical == (1080, 1920)
    for pos in [(0, 0), (1079, 0), (0, 1919), (1079, 1919), (300, 1500)]:
        phys = d.to_physical(*pos)
        assert 0 <= phys[0] < w and 0 <= phys[1] < h
        assert d.to_logical(*phys) == pos
    # The logical top-left corner ends up where a clockwise turn puts it.
    expected = {0: (0, 0), 90: (1919, 0), 180: (1079, 1919), 270: (0, 1079)}[rotation]
    assert d.to_physical(0, 0) == expected


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_taps_and_pictures_follow_the_rotation(make_pilot, rotation, tmp_path):
    panel = (1920, 1080) if rotation in (90, 270) else (1080, 1920)
    pilot = make_pilot(panel, rotation=rotation)
    assert pilot.app.display.logical == (1080, 1920)
    pilot.tap("feature-toolkit")          # the pilot posts panel coordinates
    assert pilot.screen.name == "toolkit"
    pilot.type("abc")
    assert pilot.app.visit.fields["demo_name"] == "abc"
    # What the panel shows is the upright picture turned clockwise.
    upright = pilot.app.display.surface
    shown = pilot.app.display.window
    assert shown.get_size() == panel
    turned = pygame.transform.rotate(upright, -rotation)
    for x, y in [(10, 10), (500, 700), (panel[0] - 20, panel[1] - 30)]:
        assert shown.get_at((x, y)) == turned.get_at((x, y))
