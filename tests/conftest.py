"""The headless app fixture: the real App, dummy SDL drivers, a manual clock.

Any exception the app's failsafe catches fails the test, unless the test
takes it with ``pilot.take_errors()``.
"""

from __future__ import annotations

import os

os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.pop("NOTIFY_SOCKET", None)
os.environ.pop("WATCHDOG_USEC", None)

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (hypothesis): bounded and derandomized by default, so that the suite stays fast and
# a failure reproduces on every run; ``--hypothesis-profile=slow`` searches far more, at random.
# Tests size their example counts from ``settings.default.max_examples``.
settings.register_profile("kiosk", max_examples=100, derandomize=True, database=None, deadline=None,
                          print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("slow", max_examples=5000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kiosk")

REPO = Path(__file__).resolve().parent.parent
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)

# Fixtures of the scenario modules, for every test module that asks for them by name (a fixture
# imported into a test module would be shadowed by the test's own parameter).
pytest_plugins = ["booking_town", "counter_town", "sshd"]


@pytest.fixture(autouse=True)
def every_test_starts_in_french():
    """The display language is process-wide state: a test that switches to English must not decide
    the language of whichever test the worker runs next (the order changes with -n and -m)."""
    from kiosk import i18n
    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture
def make_pilot():
    from kiosk import i18n
    from kiosk.clock import ManualClock
    from kiosk.config import load_config
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

    pilots: list[Pilot] = []

    def factory(size=PORTRAIT, *, demo=True, overrides=None, clock=None, rotation=0, data=None) -> Pilot:
        config = load_config(REPO / "kiosk.toml", overrides or {})
        app = App(config, clock=clock or ManualClock(), demo=demo, size=size, rotation=rotation,
                  fullscreen=False, data=data(config) if data else None)
        app.start()
        pilot = Pilot(app)
        pilot.settle()
        pilots.append(pilot)
        return pilot

    yield factory
    for pilot in pilots:
        unexpected = pilot.app.errors.since(pilot.errors_seen)
        pilot.app.stop()
        i18n.set_language("fr")
        assert not unexpected, f"the app raised: {unexpected!r}"


@pytest.fixture
def pilot(make_pilot):
    return make_pilot()
