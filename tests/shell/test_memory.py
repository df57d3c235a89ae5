"""Memory stays flat with use: what many visits leave referenced does not grow with the number of visits.

A terminal runs for weeks. The same round of visits — a booking started and abandoned, a
request looked up, « Ma ville » browsed and searched, an admin visit with a test print and the
error screen, language and large-text switches, an idle reset — is run N times, then N times
more; what stays referenced is counted after N and after 2N rounds, and must not have grown:
the simulated printer's receipts, the failsafe's error list, the pygame surfaces reachable from
live objects and their pixels, the objects the garbage collector tracks, by type.

The bounded caches (rendered text, text widths and line breaks, button shapes, QR codes,
opening hours, folding, slots) are counted apart: each must stay within its named bound, and
they are emptied before counting the rest, so that what fills them up to their bound is not
taken for a leak. Nothing here reads resident memory or time: ``kiosk soak`` measures those.
"""

from __future__ import annotations

import abc
import gc
import logging
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any

import pygame
import pytest
from booking_town import START, to_person_step
from support import open_admin, settle_until

pytestmark = pytest.mark.reference_server

ROUNDS = 5             # N: as many as the receipts and errors kept (4 and 5), so that their bounds are reached


def _bounded_caches(app) -> dict[str, tuple[int, int]]:
    """name -> (entries, bound) of every cache the app fills as it is used."""
    from drivers.printer import simulated
    from kiosk import line_breaks
    from kiosk.booking import availability, opening
    from kiosk.city import hours
    from kiosk.shell import fonts as fonts_module
    from kiosk.text import fold
    from screens.widgets import button, icons, qr_code, text

    fonts = app.fonts
    backend = app.devices.printer.backend
    caches = {
        "printer bytes": (len(backend.received), getattr(simulated, "RECEIVED_KEPT", None)),
        "rendered text": (len(fonts._cache), fonts._cache_size),
        "rendered text pixels": (getattr(fonts, "cached_pixels", 0), getattr(fonts_module, "RENDER_PIXELS_KEPT", None)),
        "text widths": (len(fonts._widths), getattr(fonts_module, "WIDTHS_KEPT", None)),
        "line breaks": (len(fonts.wrap_cache), getattr(text, "WRAPS_KEPT", None)),
    }
    for name, fn in (("button shapes", button.button_shape), ("qr modules", qr_code.qr_modules),
                     ("qr drawn", qr_code._drawn), ("folded text", fold), ("icons drawn", icons.render_icon)):
        info = fn.cache_info()
        caches[name] = (info.currsize, info.maxsize)
    for module in (hours, availability, opening, line_breaks):
        for name, fn in vars(module).items():
            if hasattr(fn, "cache_info"):
                info = fn.cache_info()
                caches[f"{module.__name__}.{name}"] = (info.currsize, info.maxsize)
    return caches


def _empty_caches(app) -> None:
    from kiosk import line_breaks
    from kiosk.booking import availability, opening
    from kiosk.city import hours
    from kiosk.text import fold
    from screens.widgets import button, icons, qr_code

    fonts = app.fonts
    fonts._cache.clear()
    fonts._widths.clear()
    fonts.wrap_cache.clear()
    if hasattr(fonts, "cached_pixels"):
        fonts.cached_pixels = 0
    for fn in (button.button_shape, icons.render_icon, qr_code.qr_modules, qr_code._drawn, fold,
               *(f for m in (hours, availability, opening, line_breaks) for f in vars(m).values()
                 if hasattr(f, "cache_clear"))):
        fn.cache_clear()
    # The ABCs' caches of the types checked against them (weak references), emptied whenever any
    # class is registered with an ABC and filled again as isinstance() is called: not the visits'.
    for obj in gc.get_objects():
        if isinstance(obj, abc.ABCMeta):
            obj._abc_caches_clear()


def held(app) -> dict[str, Any]:
    """What stays referenced, bounded caches emptied first."""
    _empty_caches(app)
    gc.collect()
    objects = gc.get_objects()
    surfaces: dict[int, pygame.Surface] = {}
    for obj in objects:             # surfaces are not tracked by gc: find them as what objects refer to
        for ref in gc.get_referents(obj):
            if isinstance(ref, pygame.Surface):
                surfaces[id(ref)] = ref
    backend = app.devices.printer.backend
    return {
        "receipts": len(backend.receipts),
        "receipt pixels": sum(r.width * r.height for r in backend.receipts),
        "failsafe errors": len(app.errors),
        "surfaces": len(surfaces),
        "surface pixels": sum(s.get_width() * s.get_height() for s in surfaces.values()),
        # A weak reference whose object is gone is not counted: its holder drops it lazily (an SQLite
        # connection keeps one per cursor it made and prunes them every 200 cursors), so how many
        # are left depends only on where that count stands, not on how long the terminal ran.
        "objects by type": Counter(type(o).__qualname__ for o in objects
                                   if not (type(o) is weakref.ReferenceType and o() is None)),
    }


class Visits:
    def __init__(self, pilot, code: str) -> None:
        self.pilot = pilot
        self.code = code
        self.prints = 0

    def home(self) -> None:
        p = self.pilot
        p.tap("home")
        if p.has("confirm-home"):
            p.tap("confirm-home")                      # « Effacer et revenir à l'accueil »
        assert p.screen.name == "home"

    def booking_abandoned(self) -> None:
        p = self.pilot
        to_person_step(p)
        p.tap("field-last_name")
        p.type("Lefèvre")
        self.home()

    def tracking_lookup(self) -> None:
        p = self.pilot
        p.tap("feature-tracking")
        p.type(self.code)
        p.tap("key-enter")
        p.wait_until(lambda: p.screen.name == "tracking_result")
        self.home()

    def city_pages(self) -> None:
        p = self.pilot
        p.tap("feature-city")
        p.tap("city-pages")
        p.tap("back")
        p.tap("city-search")
        p.type("mairie")
        self.home()

    def admin_print_and_failure(self) -> None:
        p = self.pilot
        open_admin(p)
        p.tap("print-test")
        self.prints += 1
        printer = p.app.devices.printer
        settle_until(p, lambda: _drawn(printer.backend) >= self.prints, timeout=20)
        p.tap("last-receipt")
        p.tap("back")
        p.tap("test-failsafe")                          # the apology screen, on purpose
        assert p.screen.name == "failsafe"
        [err] = p.take_errors()
        assert isinstance(err, RuntimeError)
        p.advance(11, step=1)                           # the apology goes home by itself
        assert p.screen.name == "home"

    def language_and_large_text(self) -> None:
        p = self.pilot
        p.tap("language")
        p.tap("accessibility")
        p.tap(text="Large text") if p.app.visit.settings.language == "en" else p.tap(text="Grand texte")
        self.home()
        p.tap("language")

    def idle_reset(self) -> None:
        p = self.pilot
        p.tap("feature-booking")
        p.advance(70, step=5)                           # warning, countdown, then a fresh home screen
        assert p.screen.name == "home" and not p.app.visit.settings.large_text

    def round(self) -> None:
        for visit in (self.booking_abandoned, self.tracking_lookup, self.city_pages,
                      self.admin_print_and_failure, self.language_and_large_text, self.idle_reset):
            visit()


def _drawn(backend) -> int:
    """Receipts drawn since the start (the printer keeps only the last few)."""
    return getattr(backend.drawer, "drawn", len(backend.receipts))


# Objects of a type that may come and go between two counts without anything leaking: those the
# other threads (sync worker, printer, reference server) hold at that moment. Fewer than two per
# round, while a leak of one object per visit would be six.
NOISE = 2 * ROUNDS


def _grown(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    grown = [f"{k}: {before[k]} -> {after[k]}" for k in before if k != "objects by type" and after[k] > before[k]]
    b, a = before["objects by type"], after["objects by type"]
    grown += [f"{name} objects: {b[name]} -> {a[name]}" for name in a if a[name] > b[name] + NOISE]
    return grown


@pytest.fixture
def failsafe_log_not_kept():
    """pytest keeps every log record of a test, and the record of each apology its traceback and
    frames: they are the test's, not the app's. The failsafe's lines are not made during this test."""
    logger = logging.getLogger("kiosk.shell.failsafe")
    logger.disabled = True
    yield
    logger.disabled = False


def test_many_visits_leave_no_more_behind_than_half_as_many(town, make_pilot, failsafe_log_not_kept):
    pilot = town.pilot(make_pilot)
    from kiosk.demo_api.seed_data import DEMO_TRACKING_CODES

    visits = Visits(pilot, next(iter(DEMO_TRACKING_CODES)))
    run: Callable[[int], None] = lambda n: [visits.round() for _ in range(n)]  # noqa: E731
    run(2)                                   # lazy imports, first sync, first of everything
    run(ROUNDS - 2)
    _bounded_caches(pilot.app)
    held(pilot.app)      # counting once first: walking every object imports pygame's lazy surfarray/sndarray
    after_n = held(pilot.app)
    run(ROUNDS)
    caches = _bounded_caches(pilot.app)
    after_2n = held(pilot.app)
    assert visits.prints == 2 * ROUNDS and pilot.app.clock.now() > START
    assert not _grown(after_n, after_2n), _grown(after_n, after_2n)
    over = {name: size for name, size in caches.items() if size[1] is not None and size[0] > size[1]}
    assert not over, over


def test_going_round_in_circles_keeps_a_bounded_stack(pilot):
    from kiosk.shell.navigation import MAX_DEPTH

    for _ in range(3 * MAX_DEPTH):
        pilot.tap("help")
        pilot.tap("accessibility")
    stack = pilot.app.nav.stack
    assert len(stack) == MAX_DEPTH and stack[0].name == "home"
    assert [s.name for s in stack[-2:]] == ["help", "accessibility"]
    pilot.tap("back")
    assert pilot.screen.name == "help"                   # « Retour » still goes back, as far as it was kept
    for _ in range(MAX_DEPTH):
        if pilot.screen.name == "home":
            break
        pilot.tap("back")
    assert pilot.screen.name == "home"
