"""`kiosk screenshots`: every screen in each meaningful state, rendered to PNG.

Each state is reached the way a person would reach it (taps, typing, time
passing), on a fresh app with demo data and a fixed clock, so the gallery is
reproducible and doubles as a smoke test of every screen.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from kiosk.clock import PARIS, ManualClock
from kiosk.config import KioskConfig, load_config
from kiosk.devtools.city_demo_cache import build_demo_cache

if TYPE_CHECKING:
    from kiosk.devtools.offline_seed import SeededData
    from kiosk.devtools.pilot import Pilot

SHOT_TIME = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)  # mardi 1er décembre 2026


def _then(*steps: Callable[[Pilot], object]) -> Callable[[Pilot], None]:
    """A state reached by several actions, each in turn."""
    def reach(p: Pilot) -> None:
        for step in steps:
            step(p)
    return reach


def _to_toolkit(p: Pilot, tab: str | None = None) -> None:
    p.tap("feature-toolkit")
    if tab:
        p.tap(f"tab-{tab}")


def _drag_up(p: Pilot) -> None:
    w, h = p.app.display.logical
    p.drag((w // 2, h * 3 // 4), (w // 2, h * 3 // 8))


def _wrong_pin(p: Pilot) -> None:
    p.app.open_admin()
    p.settle()
    p.type("9999")
    p.tap("key-enter")


def _locked(p: Pilot) -> None:
    p.app.open_admin()
    p.settle()
    for _ in range(5):
        p.type("9999")
        p.tap("key-enter")


def _admin(p: Pilot) -> None:
    p.app.open_admin()
    p.settle()
    p.type("1234")
    p.tap("key-enter")


def _failsafe(p: Pilot) -> None:
    _admin(p)
    p.tap("test-failsafe")
    p.take_errors()


def _idle_warning(p: Pilot) -> None:
    _to_toolkit(p)
    p.type("Lefèvre")
    p.advance(p.app.config.idle.warn_after_s + 3)


def _tracking(p: Pilot, typed: str = "", search: bool = False) -> None:
    p.tap("feature-tracking")
    if typed:
        p.type(typed)
    if search:
        p.tap("key-enter")
        p.wait_until(lambda: _lookup_done(p))


def _lookup_done(p: Pilot) -> bool:
    from screens.tracking.number import TrackingScreen

    screen = p.screen
    assert isinstance(screen, TrackingScreen)   # the gallery has no server: the number screen stays
    return screen.pending is None


def _tracking_cooldown(p: Pilot) -> None:
    _tracking(p)
    for _ in range(p.app.config.tracking.max_unknown + 1):
        p.type("ZZZZ0000")
        p.tap("key-enter")
        p.wait_until(lambda: _lookup_done(p))


def _tracking_result(p: Pilot, status: str, online: bool = True) -> None:
    """A request as the central API describes it (the gallery has no server): the result
    screen is the same whichever way the answer came."""
    from kiosk.api.models import TrackedRequest
    from kiosk.tracking.answer import TrackingAnswer
    from screens.tracking.result import TrackingResultScreen

    labels = ["Dossier déposé", "Dossier complet", "Consultation des services", "Instruction", "Décision"]
    if status == "rejected":       # refused after the consultation: only what happened
        labels = [*labels[:3], "Demande refusée"]
    done = {"waiting_citizen": 2, "in_progress": 3, "completed": 5, "rejected": 4}[status]
    request = TrackedRequest.model_validate({
        "tracking_code": "KXPT-4821", "request_type": "Permis de construire", "status": status,
        "current_step": labels[min(done, len(labels) - 1)],   # the step in progress (the last, once closed)
        "steps": [{"label": lab, "date": f"2026-{9 + i // 3:02d}-{1 + (i * 9) % 27:02d}" if i < done else None,
                   "done": i < done} for i, lab in enumerate(labels)],
        "message": {"waiting_citizen": "Merci de fournir la notice décrivant le terrain et le projet (PC4).",
                    "rejected": "Votre demande ne respecte pas le plan local d'urbanisme ; un courrier vous a été "
                                "envoyé."}.get(status),
        "updated_at": "2026-11-20T15:42:00+01:00"})
    _tracking(p)
    answer = TrackingAnswer(1, "found", request, online=online, info_at=request.updated_at)
    p.app.nav.push(TrackingResultScreen(p.app, answer))
_DEMO_TOWN: list[Path] = []


def demo_city_cache() -> Path:
    """The demo town's cache as synchronised at SHOT_TIME, built once per process (removed at exit)."""
    if not _DEMO_TOWN:
        folder = tempfile.mkdtemp(prefix="kiosk-shots-town-")
        atexit.register(shutil.rmtree, folder, True)
        _DEMO_TOWN.append(build_demo_cache(Path(folder) / "cache.sqlite3", SHOT_TIME))
    return _DEMO_TOWN[0]


def _city(p: Pilot, *steps: str, at_days: float = 0) -> None:
    """Into « Ma ville » (the demo town's cache), optionally days later, then each step:
    a widget id to tap, "text:…" to tap what shows that text, or "type:…" to type."""
    if p.app.data is None and p.app.city_cache is None:
        p.app.city_cache = demo_city_cache()
    if at_days:
        p.clock.set_now(SHOT_TIME + timedelta(days=at_days))
    p.tap("feature-city")
    for step in steps:
        kind, _sep, value = step.partition(":")
        if kind == "text" and value:
            p.tap(text=value)
        elif kind == "type" and value:
            p.type(value)
        else:
            p.tap(step)


# screen name -> state name -> how to get there from a fresh home screen
STATES: dict[str, dict[str, Callable[[Pilot], object]]] = {
    "home": {
        "default": lambda p: None,
        "dimmed": lambda p: p.advance(p.app.config.idle.dim_after_s + 1, step=5),
        "leave-dialog": _then(_to_toolkit, lambda p: p.type("Dupont"), lambda p: p.tap("home")),
    },
    "help": {"default": lambda p: p.tap("help")},
    "accessibility": {
        "default": lambda p: p.tap("accessibility"),
        "large-text-on": _then(lambda p: p.tap("accessibility"), lambda p: p.tap("toggle-large_text")),
        "high-contrast-on": _then(lambda p: p.tap("accessibility"), lambda p: p.tap("toggle-high_contrast")),
        "low-reach-on": _then(lambda p: p.tap("accessibility"), lambda p: p.tap("toggle-low_reach")),
    },
    "toolkit": {
        "keyboard": _then(_to_toolkit, lambda p: p.type("Lefèvre-Müller")),
        "keyboard-upper": _then(_to_toolkit, lambda p: p.type("N'Diaye"), lambda p: p.tap("key-shift")),
        "symbols": _then(_to_toolkit, lambda p: p.tap("key-layer")),
        "keypad": _then(lambda p: _to_toolkit(p, "keypad"), lambda p: p.type("0612")),
        "list": lambda p: _to_toolkit(p, "list"),
        "list-scrolled": _then(lambda p: _to_toolkit(p, "list"), _drag_up),
        "dialog": _then(lambda p: _to_toolkit(p, "dialog"), lambda p: p.tap("open-dialog")),
        "toast": _then(lambda p: _to_toolkit(p, "list"), lambda p: p.tap("item-2")),
        "error": _then(lambda p: _to_toolkit(p, "keypad"), lambda p: p.type("123456789012"), lambda p: p.tap("key-1")),
    },
    "idle": {"warning": _idle_warning},
    "admin_pin": {"empty": _then(lambda p: p.app.open_admin(), lambda p: p.settle()), "wrong": _wrong_pin,
                  "locked": _locked},
    "admin": {"default": _admin},
    "admin_scan": {"default": _then(_admin, lambda p: p.tap("scan-by-hand")),
                   "typed": _then(_admin, lambda p: p.tap("scan-by-hand"), lambda p: p.type("RDV-7K3P-Q9"))},
    "failsafe": {"default": _failsafe},
    "out_of_service": {"default": _then(_admin, lambda p: p.tap("toggle-service"))},
    "tracking": {
        "empty": lambda p: _tracking(p),
        "typed": lambda p: _tracking(p, "KXPT48"),
        "bad-number": lambda p: _tracking(p, "KXP", search=True),
        "offline-unknown": lambda p: _tracking(p, "KXPT4821", search=True),
        "cooldown": _tracking_cooldown,
    },
    "tracking_result": {
        "waiting-for-citizen": lambda p: _tracking_result(p, "waiting_citizen"),
        "in-progress-offline": lambda p: _tracking_result(p, "in_progress", online=False),
        "completed": lambda p: _tracking_result(p, "completed"),
        "refused": lambda p: _tracking_result(p, "rejected"),
    },
    "city": {
        "default": lambda p: _city(p),
        "categories": _then(_city, _drag_up),
        "stale": lambda p: _city(p, at_days=3),
    },
    "city_list": {
        "category": lambda p: _city(p, "text:Sport"),
        "open-now": lambda p: _city(p, "city-open-now"),
        "near": lambda p: _city(p, "city-near"),
        "no-coordinates": lambda p: _city(p, "text:Patrimoine"),
    },
    "city_place": {
        "default": lambda p: _city(p, "city-near", "place-0"),
        "closed-exceptionally": lambda p: _city(p, "city-search", "type:médiathèque", "result-place-0", at_days=3),
        "hours-unknown": lambda p: _city(p, "city-search", "type:cave coop", "result-place-0"),
    },
    "city_search": {
        "typing": lambda p: _city(p, "city-search", "type:medi"),
        "typo": lambda p: _city(p, "city-search", "type:pasreport"),
        "no-result": lambda p: _city(p, "city-search", "type:zyx"),
        "validated": lambda p: _city(p, "city-search", "type:mairie", "key-enter"),
    },
    "city_service": {"default": lambda p: _city(p, "city-search", "type:passeport", "result-service-0")},
    "city_events": {"default": lambda p: _city(p, "city-events")},
    "city_event": {"default": lambda p: _city(p, "city-events", "event-1")},
    "city_pages": {"default": lambda p: _city(p, "city-pages")},
    "city_page": {
        "markdown": lambda p: _city(p, "city-pages", "page-0"),
        "unknown-markup": lambda p: _city(p, "city-pages", "text:Le mot du maire"),
    },
}


from kiosk.devtools.screenshots.booking import STATES as _BOOKING_STATES  # noqa: E402
from kiosk.devtools.screenshots.checkin import STATES as _CHECKIN_STATES  # noqa: E402
from kiosk.devtools.screenshots.demarches import STATES as _DEMARCHE_STATES  # noqa: E402
from kiosk.devtools.screenshots.waiting_room import PROFILE as _DISPLAY_PROFILE  # noqa: E402
from kiosk.devtools.screenshots.waiting_room import STATES as _WAITING_ROOM_STATES  # noqa: E402
from kiosk.devtools.screenshots.walkin import STATES as _WALKIN_STATES  # noqa: E402

STATES.update(_BOOKING_STATES)
STATES.update(_CHECKIN_STATES)
STATES.update(_WALKIN_STATES)
STATES.update(_DEMARCHE_STATES)
STATES.update(_WAITING_ROOM_STATES)
STATES["home_counter"] = {"default": lambda p: None}   # a counter terminal's home: check-in and walk-in first
# a terminal that offers speech: « Guidage vocal » and the keys on the accessibility screen
STATES["accessibility_speech"] = {"default": lambda p: p.tap("accessibility")}


def _focus_on(prefix: str) -> Callable[[Pilot], object]:
    """The tactile keypad's ring on the first control whose id starts with ``prefix`` (issue 15:
    the ring must show on every kind of control). A key shows the ring, then the focus is put
    there directly: walking to it would scroll the content past the controls before it, and
    the picture is of the ring, not of the way there (tests/shell/test_keypad_walk.py walks)."""
    def reach(p: Pilot) -> None:
        target = next(w for w in p.widgets() if (w.id or "").startswith(prefix) and w.focusable)
        p.key("repeat")
        p.app.focus.focus(target)
        p.settle()
    return reach


STATES["home"]["focus-tile"] = _focus_on("feature-tracking")          # the second tile
STATES["toolkit"]["focus-key"] = _then(STATES["toolkit"]["keyboard"], _focus_on("key-e"))
STATES["toolkit"]["focus-dialog"] = _then(STATES["toolkit"]["dialog"], _focus_on("answer-yes"))
STATES["booking_day"]["focus-day"] = _then(STATES["booking_day"]["default"], _focus_on("day-"))

# screen name -> the configuration it needs beyond the file's: the check-in screens are a counter
# terminal's (its home tiles, its walk-in offer), the wall is the display profile's
_COUNTER_PROFILE: dict[str, object] = {"terminal.profile": "counter"}
OVERRIDES: dict[str, dict[str, object]] = {
    **{screen: _COUNTER_PROFILE for screen in (*_CHECKIN_STATES, "home_counter")},
    **{screen: _DISPLAY_PROFILE for screen in _WAITING_ROOM_STATES},
    "accessibility_speech": {"speech.enabled": True},
}


def data_for(screen: str) -> SeededData | None:
    """The booking, walk-in, check-in and démarche screens (and the demo scan screen, which books its
    sample ticket) read a cache: the reference seed's, filled without a server. « demarches_unavailable »
    is a terminal without one: no démarche to offer."""
    if not screen.startswith(("booking", "walkin", "checkin", "admin_scan", "demarche")) \
            or screen == "demarches_unavailable":
        return None
    from kiosk.devtools.offline_seed import SeededData

    return SeededData(SHOT_TIME)



def render_all(config: KioskConfig | None = None, out: str | Path = "screenshots", *,
               size: tuple[int, int] = (1080, 1920), lang: str = "fr", large_text: bool = False,
               high_contrast: bool = False, low_reach: bool = False, only: set[str] | None = None,
               problems: list[str] | None = None) -> list[Path]:
    """Render every state to ``out/<screen>-<state>.png``; returns the files written.

    Layout problems found on the way (overlap, clipping, small targets, low
    contrast) are appended to ``problems`` as "file: problem" lines.
    """
    from kiosk.devtools.demo_logo import DEMO_LOGO
    from kiosk.devtools.layout_check import check_app
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

    config = config or load_config(Path(__file__).resolve().parents[3] / "kiosk.toml")
    overrides: dict[str, object] = {"languages.default": lang, "accessibility.large_text": large_text,
                                    "accessibility.high_contrast": high_contrast, "accessibility.low_reach": low_reach}
    if config.branding.logo is None:     # the demo town's crest (kiosk/devtools/demo_logo.py) when none is set
        overrides["branding.logo"] = str(DEMO_LOGO)
    config = load_config(config.source, overrides)
    out = Path(out)
    written = []
    for screen, states in STATES.items():
        if only and screen not in only:
            continue
        screen_config = load_config(config.source, {**overrides, **OVERRIDES[screen]}) if screen in OVERRIDES \
            else config
        for state, reach in states.items():
            app = App(screen_config, clock=ManualClock(SHOT_TIME), demo=True, size=size, fullscreen=False,
                      data=data_for(screen))
            app.start()
            pilot = Pilot(app)
            pilot.settle()
            reach(pilot)
            pilot.settle()
            unexpected = pilot.take_errors()
            if unexpected and screen != "failsafe":
                raise RuntimeError(f"{screen}-{state}: the app raised {unexpected!r}")
            path = pilot.screenshot(out / f"{screen}-{state}.png")
            written.append(path)
            if problems is not None:
                problems.extend(f"{path.name}: {p}" for p in check_app(app))
            app.stop()
    return written
