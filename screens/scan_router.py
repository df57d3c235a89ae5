"""The one scan router: every scan is read once and goes to the flow that handles its kind.

Why a router: scanners post ``SCAN_READ`` whatever is on screen. Before it, a scan
reached only the screen on view, so a receipt or a booking ticket scanned on the home
screen was dropped without a word, and each screen parsed the text again. Now:

1. the scan is read once (:func:`kiosk.devices.scan_codes.read_scan`);
2. a screen that waits for that kind of code gets it first (``scan_kinds``), and a
   screen in the middle of a form that explains wrong codes itself
   (``explains_other_scans``) gets every code, as the booking-cancel and tracking
   screens do (« ce QR code n'est pas celui d'un récépissé » says more);
3. otherwise :data:`ROUTES`, keyed by the kind and the terminal's profile, decides:
   a request receipt opens its status, a booking ticket is explained on a street totem and
   checked in on a counter terminal (:mod:`screens.checkin`), an unknown code gets a plain
   message — never silence, or the person scans again and again.

A screen that waits for codes declares, as class attributes::

    scan_kinds: ClassVar[frozenset[ScanKind]]     # the kinds it waits for
    explains_other_scans: ClassVar[bool]          # True: it also takes every other code

and implements ``handle_scan(code: ScannedCode) -> None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kiosk import events
from kiosk.devices.scan_codes import NOT_OURS, UNREADABLE, ScanKind, ScannedCode, read_scan
from kiosk.i18n import N_, _

if TYPE_CHECKING:
    import pygame

    from screens.base import Screen, ScreenHost

log = logging.getLogger(__name__)

Profile = Literal["street", "counter", "display"]
Handler = Callable[["ScreenHost", ScannedCode, "pygame.event.Event"], None]

BOOKING_TICKET = N_("This code is an appointment ticket. Show it at the town hall reception when you arrive.")
MESSAGE_SECONDS = 6.0     # long enough to read two short sentences


# -- the routes --------------------------------------------------------------------------
def open_request_status(app: ScreenHost, code: ScannedCode, event: pygame.event.Event) -> None:
    """A request receipt: the tracking flow, looking the number up at once."""
    from screens.tracking.number import TrackingScreen

    screen = TrackingScreen(app)
    app.nav.push(screen)
    screen.handle_scan(code)


def explain_booking_ticket(app: ScreenHost, code: ScannedCode, event: pygame.event.Event) -> None:
    """A booking ticket where no flow takes it (no check-in on this terminal yet): say what it is
    for — unless its signature says it is forged, expired or cancelled: then it is not ours."""
    if genuine_ticket(app, code.value):
        _toast(app, _(BOOKING_TICKET), kind="info")
    else:
        not_ours(app, code, event)


def genuine_ticket(app: ScreenHost, token: str) -> bool:
    """Whether a booking QR code passes the offline check (keys synced from the central API).
    A key not synced yet, or no cache to check against, cannot tell: the code is taken as a ticket."""
    from kiosk.checkin.service import UnknownKey  # lazy: the signature check loads only at the first ticket

    services = app.services
    if services is None:
        return True
    try:
        services.read_ticket(token)
    except UnknownKey:
        return True
    except ValueError:        # TokenError: forged, expired or cancelled
        return False
    return True


def open_checkin(app: ScreenHost, code: ScannedCode, event: pygame.event.Event) -> None:
    """A booking QR code on a counter terminal, whatever screen is on view: the check-in starts
    (issue 12). The screen on view stays below it (« Retour » leads back to it)."""
    from screens.checkin.arrival import CheckinScreen

    screen = CheckinScreen(app)
    app.nav.push(screen)
    screen.handle_scan(code)


def to_screen_on_view(app: ScreenHost, code: ScannedCode, event: pygame.event.Event) -> None:
    """A bare reference proves nothing (anyone can type one): no flow opens from it; the screen
    on view gets it, as a form would take a typed reference."""
    screen = app.nav.current
    if screen is not None:
        screen.handle_event(event)


def not_ours(app: ScreenHost, code: ScannedCode, event: pygame.event.Event) -> None:
    _toast(app, _(NOT_OURS), kind="warn")


@dataclass(frozen=True)
class Route:
    """Where a kind of code goes, per terminal profile."""

    street: Handler
    counter: Handler

    @classmethod
    def everywhere(cls, handler: Handler) -> Route:
        return cls(street=handler, counter=handler)

    def handler(self, profile: Profile) -> Handler:
        return self.counter if profile == "counter" else self.street


#: The one table of scan routes. A booking QR code checks in on a counter terminal.
ROUTES: Mapping[ScanKind, Route] = {
    ScanKind.TRACKING_CODE: Route.everywhere(open_request_status),
    ScanKind.CHECKIN_TOKEN: Route(street=explain_booking_ticket, counter=open_checkin),
    ScanKind.REFERENCE: Route.everywhere(to_screen_on_view),
    ScanKind.UNKNOWN: Route.everywhere(not_ours),
}


# -- the router ----------------------------------------------------------------------------
class ScanRouter:
    """Built by the app; ``deliver`` takes every SCAN_READ / SCAN_REJECTED on the UI thread."""

    def __init__(self, app: ScreenHost, routes: Mapping[ScanKind, Route] = ROUTES) -> None:
        self.app = app
        self.routes = routes

    def deliver(self, event: pygame.event.Event) -> None:
        app = self.app
        screen = app.nav.current
        if screen is None:
            return
        scan = events.ScanRead.of(event)
        if scan is None:                            # SCAN_REJECTED: never the text, only why
            rejected = events.ScanRejected.of(event)
            _toast(app, _(UNREADABLE) if rejected and rejected.reason == "unreadable" else _(NOT_OURS), "warn")
            return
        code = read_scan(scan.text)
        profile = app.config.terminal.profile
        take = scan_taker(screen, code.kind, overriding=code.kind in OVERRIDING.get(profile, ()))
        if take is not None:
            take(code)
            return
        log.info("scan of kind %s routed from %s", code.kind, screen.name)
        self.routes[code.kind].handler(profile)(app, code, event)


#: Kinds whose route, on a profile, goes before a screen that merely explains other codes: a
#: booking QR code on a counter terminal checks in from ANY screen (issue 12) — only a screen
#: waiting for that very kind (« Annuler un rendez-vous ») keeps it.
OVERRIDING: Mapping[str, frozenset[ScanKind]] = {"counter": frozenset({ScanKind.CHECKIN_TOKEN})}


def scan_taker(screen: Screen, kind: ScanKind, *, overriding: bool = False) -> Callable[[ScannedCode], None] | None:
    """The screen's ``handle_scan`` if it takes this kind of code itself, before any route
    (``overriding``: only if it waits for this very kind)."""
    take: Callable[[ScannedCode], None] | None = getattr(screen, "handle_scan", None)
    if take is None:
        return None
    if kind in getattr(screen, "scan_kinds", ()):
        return take
    if getattr(screen, "explains_other_scans", False) and not overriding:
        return take
    return None


def _toast(app: ScreenHost, text: str, kind: str) -> None:
    screen = app.nav.current
    if screen is not None:
        screen.toast(text, seconds=MESSAGE_SECONDS if kind == "info" else 4.0, kind=kind)
