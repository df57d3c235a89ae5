"""The application: main loop, navigation, input, idle handling and failsafe.

Everything here runs on the UI thread. Other threads only post events
(``kiosk.events``). The loop sleeps until an event arrives or a timer is due,
and redraws only what changed, so a static screen costs next to no CPU.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from kiosk import events, i18n, sdnotify
from kiosk.admin.pin import PinGuard
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.devices.hardware import Devices
from kiosk.formatting import format_date_short, format_time
from kiosk.i18n import _
from kiosk.printing.document import Letterhead
from kiosk.printing.service import PrintingService
from kiosk.shell.caught import CaughtErrors
from kiosk.shell.corner import CornerTaps
from kiosk.shell.display import Display
from kiosk.shell.failsafe import Failsafe
from kiosk.shell.focus import FocusNavigator
from kiosk.shell.fonts import FontBook, shared_fontbook
from kiosk.shell.guidance import Guidance
from kiosk.shell.idle import IdleController, IdleTimings
from kiosk.shell.navigation import Navigator
from kiosk.shell.pointer import PointerTracker
from kiosk.shell.screen_reader import ScreenReader
from kiosk.shell.theme import high_contrast_theme, normal_theme
from kiosk.shell.ui import UiContext
from kiosk.shell.visit import Settings, Visit
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.containers import ScrollView
from screens.widgets.dialog import Dialog
from screens.widgets.footer import Footer
from screens.widgets.header import Header, HeaderInfo
from screens.widgets.reach_banner import draw_reach_banner

if TYPE_CHECKING:
    from kiosk.city.guide import CityGuide
    from kiosk.devices.published import StatePublisher
    from kiosk.services import Services
    from kiosk.shell.data_source import DataSource
    from kiosk.speech.speaker import Speaker
    from kiosk.speech.utterance import Part
    from kiosk.tracking.service import TrackingService
    from kiosk.waiting_room.room import WaitingRoom
    from screens.base import Feature, Screen
    from screens.scan_router import ScanRouter

log = logging.getLogger(__name__)

LOW_REACH_TOP = 0.40     # share of a portrait screen kept free of controls in low-reach mode


class App:
    def __init__(self, config: KioskConfig, *, clock: Clock | None = None, demo: bool = False,
                 size: tuple[int, int] | None = None, rotation: int | None = None,
                 fullscreen: bool | None = None, live_screenshot: str | Path | None = None,
                 data: DataSource | None = None) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.demo = demo
        d = config.display
        self.kiosk_mode = d.fullscreen if fullscreen is None else fullscreen
        self.display = Display(size or d.size_px, d.rotation if rotation is None else rotation,
                               fullscreen=self.kiosk_mode, title=f"Kiosk — {config.branding.town_name}")
        a = config.accessibility
        self.visit = Visit(Settings(config.languages.default, a.large_text, a.high_contrast, a.low_reach,
                                    speech=config.speech.on_from_start))
        self.nav = Navigator(self.show_screen)
        self.pointer = PointerTracker(self)
        i = config.idle
        self.idle = IdleController(self, IdleTimings(i.warn_after_s, i.reset_after_s, i.dim_after_s))
        self.failsafe = Failsafe(self)
        self.corner = CornerTaps()
        self.pin_guard = PinGuard(self.clock, config.admin.pin_hash)
        self.devices = Devices(config, demo)
        # The one printing service screens print through; it heads every ticket with the town's identity.
        logo = config.branding.logo
        self.printing = PrintingService(self.devices,
                                        Letterhead(config.branding.town_name, str(logo) if logo else None))
        self.data = data                         # the data side (kiosk.data_layer.DataLayer), or None
        if data is not None:
            data.device_states = data.device_states or getattr(self.devices, "heartbeat_states", None)
            data.clock = self.clock            # the sync worker reads the app's (injected) clock too
        self.city_cache: Path | None = None      # the cache the city screens read, if not the data layer's
        self.city_guide: CityGuide | None = None  # opened at first use (kiosk.city.guide.guide_for)
        self.waiting_room: WaitingRoom | None = None   # a waiting-room display's calls (profile "display")
        if config.terminal.profile == "display":
            from kiosk.waiting_room.room import WaitingRoom
            from kiosk.waiting_room.spoken_calls import make_announcer

            self.waiting_room = WaitingRoom(config.waiting_room, self.clock,
                                            announcer=make_announcer(config.waiting_room, config.speech))
        self.speech: Speaker | None = None       # [speech] enabled: made after the first frame, or when asked for
        self.reader = ScreenReader(self)         # what speech says as screens change (issue 15)
        self.guidance = Guidance(self)           # starting speech without sight, the headset jack
        self.focus = FocusNavigator(self)        # the keypad's focus ring (issue 15)
        self.sync_status: dict[str, Any] = {}    # the sync worker's last SYNC_STATUS
        self.network: str | None = None          # "online" / "offline" once the sync worker says
        self.out_of_service: str | None = None   # reason, while the terminal cannot serve
        self.errors = CaughtErrors()             # the last exceptions the failsafe caught (tests read them)
        self.running = False
        self.quitting = False                    # quit() was called: start nothing more
        self.close_requests_ignored = 0          # window-close requests a terminal did not obey
        self.frames = 0
        self.exit_code = 0
        self.on_ready: Callable[[], None] | None = None   # callback after the first presented frame
        self.state_publisher: StatePublisher | None = None  # the state file for technicians (set by `kiosk run`)
        self.live_screenshot = Path(live_screenshot) if live_screenshot else None
        self.animating = False                   # a list is still moving after a fling
        self._last_anim = 0.0
        self._minute_shown: datetime | None = None
        self._watchdog_every = sdnotify.watchdog_interval_s()
        self._next_watchdog = 0.0
        self.fonts: FontBook | None = None
        self.ui: UiContext = None  # type: ignore[assignment]  # made by start() (apply_settings), before any screen
        self.viewport = pygame.Rect(0, 0, 0, 0)
        self.logo: pygame.Surface | None = None

    @functools.cached_property
    def scans(self) -> ScanRouter:
        """The one scan router: every SCAN_READ / SCAN_REJECTED goes through it. Made at the first
        scan, so that reading codes costs nothing on the way to the first frame."""
        from screens.scan_router import ScanRouter

        return ScanRouter(self)

    @functools.cached_property
    def tracking(self) -> TrackingService:
        """The request-tracking service, made on first use (it loads the API models)."""
        from kiosk.tracking.service import TrackingService

        data, timeout = self.data, self.config.tracking.lookup_timeout_s
        return TrackingService(
            self.config.tracking, self.clock,
            cache_path=data.cache_path if data is not None else None,
            secret_path=data.tracking_secret_path if data is not None else None,
            client_factory=lambda: data.lookup_client(timeout) if data is not None else None)

    # -- start-up -------------------------------------------------------------
    def start(self) -> None:
        pygame.display.init()
        pygame.font.init()
        self.display.open()
        self.fonts = shared_fontbook()
        self.logo = self._load_logo()
        self.apply_settings(rebuild=False)
        self.nav.reset([self.home_screen()])

    def home_screen(self) -> Screen:
        """The first screen of this terminal's profile: the feature tiles, or on a waiting-room
        display (``profile = "display"``: nobody touches it) the calls."""
        if self.waiting_room is not None:
            from screens.waiting_room.display import WaitingRoomScreen

            return WaitingRoomScreen(self)
        from screens.shell.home import HomeScreen

        return HomeScreen(self)

    def _load_logo(self) -> pygame.Surface | None:
        path = self.config.branding.logo
        if not path:
            return None
        try:
            return pygame.image.load(str(path)).convert_alpha()
        except (pygame.error, OSError) as exc:
            log.warning("logo %s could not be loaded (%s); showing the town name only", path, exc)
            return None

    def apply_settings(self, rebuild: bool = True) -> None:
        """Make the visit's language and accessibility settings take effect."""
        s = self.visit.settings
        i18n.set_language(s.language)
        theme = high_contrast_theme() if s.high_contrast else normal_theme(self.config.branding.primary_colour)
        W, H = self.display.logical
        self.viewport = pygame.Rect(0, 0, W, H)
        if s.low_reach and self.low_reach_available:
            top = int(H * LOW_REACH_TOP)
            self.viewport = pygame.Rect(0, top, W, H - top)
        assert self.fonts is not None, "apply_settings() runs after start()"
        self.ui = UiContext(theme=theme, fonts=self.fonts, scale=min(W, H) / 1080, large_text=s.large_text)
        self._minute_shown = None
        if rebuild:
            for screen in self.nav.stack:
                screen.root = None  # rebuilt when shown again
            if self.nav.current is not None:
                self.nav.current.rebuild()
                self.reader.screen_shown(self.nav.current)   # in the new language

    @property
    def services(self) -> Services | None:
        """kiosk.services.Services, what screens call for data (None without a data layer); made
        at first use, so that importing it never delays the first frame."""
        if self.data is None:
            return None
        services: Services = self.data.services or self.data.make_services()
        if services.config is None:   # a data side that does not know the configuration (the gallery's)
            services.config = self.config
        return services

    @property
    def has_central_api(self) -> bool:
        return self.data is not None

    @property
    def central_api_url(self) -> str | None:
        return self.data.central_api_url if self.data is not None else None

    def sync_now(self) -> bool:
        return self.data is not None and bool(self.data.sync_now())

    def guide(self) -> CityGuide | None:
        from kiosk.city.guide import guide_for

        return guide_for(self)

    def offered_features(self) -> list[Feature]:
        # imported at the first home screen: the feature list brings every feature's screens
        from kiosk.shell import features

        return features.features_for(self.config.terminal.profile, self.demo)

    @property
    def low_reach_available(self) -> bool:
        """Low reach moves controls down a tall screen; a landscape one has no high part to avoid."""
        W, H = self.display.logical
        return H > W

    def update_settings(self, **changes: Any) -> None:
        self.visit.settings = dataclasses.replace(self.visit.settings, **changes)
        self.apply_settings()

    # -- screens --------------------------------------------------------------
    def show_screen(self, screen: Screen) -> None:
        if screen.root is None:
            screen.build()
        if screen.laid_out_for == self._layout_key():
            screen.invalidate_all()  # coming back to an unchanged screen: just draw it
        else:
            self.layout_screen(screen)
        if screen.header is not None:
            screen.header.set_time_text(self._time_text())  # it may have been hidden for minutes
        self.pointer.reset()
        self.focus.screen_shown(screen)
        self.reader.screen_shown(screen)

    def _layout_key(self) -> tuple[int, tuple[int, ...]]:
        return (id(self.ui), tuple(self.viewport))

    def layout_screen(self, screen: Screen) -> None:
        if screen is self.nav.current:
            screen.layout(self.ui, self.viewport)

    def make_header(self) -> Header:
        s = self.visit.settings
        offered = list(self.config.languages.offered)
        other = None
        if len(offered) > 1:
            other = offered[(offered.index(s.language) + 1) % len(offered)] if s.language in offered else offered[0]
        info = HeaderInfo(
            town=self.config.branding.town_name,
            time_text=self._time_text(),
            network=self.network,
            network_text=_("Online") if self.network == "online" else _("Offline"),
            demo_text=_("Demo") if self.demo else None,
            language_label=i18n.language_name(other) if other else None,
            language_code=other,
            logo=self.logo,
        )
        return Header(info, on_language=(lambda: self.update_settings(language=other)) if other else None)

    def make_footer(self, screen: Screen) -> Footer:
        return Footer(on_home=self.go_home, on_back=self.go_back, on_help=self.open_help,
                      on_access=self.open_accessibility, at_home=screen.is_home,
                      can_go_back=self.nav.can_go_back and not screen.is_home)

    def _time_text(self) -> str:
        now = self.clock.now()
        lang = self.visit.settings.language
        return f"{format_date_short(now.date(), lang)} · {format_time(now.time(), lang)}"

    # -- actions the screens call --------------------------------------------
    def go_home(self) -> None:
        if self.visit.has_personal_data:
            screen = self._top()
            screen.open_dialog(Dialog(
                _("Leave and erase?"),
                _("What you typed will be erased."),
                [Button(_("Stay"), id="stay", on_tap=lambda: self._top().close_overlay("dialog")),
                 Button(_("Erase and go home"), kind="primary", id="confirm-home", on_tap=self._home_now)],
            ), screen_owned=False)   # the shell's question: a rebuild under it (a print result) must not close it
            return
        self._home_now()

    def _home_now(self) -> None:
        self.visit.fields.clear()
        self.visit.drafts.clear()
        self.nav.reset([self.home_screen()])

    def _top(self) -> Screen:
        """The screen on top: there is one from start() on, unless the failsafe's plain message shows."""
        screen = self.nav.current
        if screen is None:
            raise RuntimeError("no screen is shown")
        return screen

    def go_back(self) -> None:
        self.nav.pop()

    def open_help(self) -> None:
        from screens.shell.help import HelpScreen

        if not isinstance(self.nav.current, HelpScreen):
            self.nav.push(HelpScreen(self))

    def open_accessibility(self) -> None:
        from screens.shell.accessibility import AccessibilityScreen

        if not isinstance(self.nav.current, AccessibilityScreen):
            self.nav.push(AccessibilityScreen(self))

    def end_visit(self, reason: str) -> None:
        """Drop everything the person typed or chose and go back to a fresh home screen."""
        log.info("visit ended (%s)", reason)
        self.visit.wipe()
        self.pointer.reset()
        self.idle.continue_visit(self.clock.monotonic())
        self.apply_settings(rebuild=False)
        self.focus.end_visit()
        self._speech_visit_ended()
        self.nav.reset([self.home_screen()])

    def _speech_visit_ended(self) -> None:
        """Speech and its volume back to the terminal's defaults (the headset's state stays)."""
        self.guidance.visit_ended()
        if self.speech is not None:
            self.speech.end_visit()

    def stop(self) -> None:
        """Stop the device threads and close the display (end of the run, or of a test)."""
        self.devices.stop()
        self.guidance.stop_hardware()
        if self.speech is not None:
            self.speech.close()
            self.speech = None
        if self.waiting_room is not None:
            self.waiting_room.stop()
        if self.city_guide is not None:          # before the data layer removes a demo cache
            self.city_guide.close()
            self.city_guide = None
        if self.data is not None:
            self.data.stop()
        self.display.close()

    def _close_requested(self) -> None:
        """A window manager's close request (Alt+F4, a close button, a session ending). A terminal
        (full screen, ``kiosk_mode``) ignores it: quitting would exit with status 0, which
        systemd's ``Restart=on-failure`` does not restart, leaving a dead screen in the street.
        Only the admin's « Quitter pour la maintenance » and SIGTERM stop it. A developer's
        window (``--windowed``, ``fullscreen = false``) closes as any window does."""
        if not self.kiosk_mode:
            self.quit("window closed")
            return
        self.close_requests_ignored += 1
        log.warning("window close request ignored (%d so far): a terminal stops only from the admin screen "
                    "or with systemctl stop", self.close_requests_ignored)

    def quit(self, reason: str, code: int = 0) -> None:
        log.info("leaving: %s", reason)
        self.exit_code = code
        self.running = False
        self.quitting = True

    # -- input ----------------------------------------------------------------
    def hit(self, pos: tuple[int, int]) -> Widget | None:
        screen = self.nav.current
        return screen.hit(pos) if screen else None

    def scrollable_at(self, pos: tuple[int, int]) -> Widget | None:
        screen = self.nav.current
        if screen is None or any(not getattr(o, "until", None) for o in screen.overlays):
            return None
        found = None
        for w in screen.widgets():
            if isinstance(w, ScrollView) and w.visible and w.rect.collidepoint(pos):
                found = w
        return found

    def tap(self, widget: Widget) -> None:
        """Activate ``widget`` (a finger lifted on it, or the keypad's 5 on the focused control).
        Explore by touch is the pointer's: a key always activates what has the focus."""
        widget.tap()

    def note_activity(self) -> None:
        self.idle.activity(self.clock.monotonic())

    def corner_tap(self, pos: tuple[int, int]) -> None:
        size = self.ui.px(140)
        if pos[0] < size and pos[1] < size and self.corner.tap(self.clock.monotonic()):
            self.open_admin()

    def open_admin(self) -> None:
        from screens.admin.pin import AdminPinScreen

        if not getattr(self.nav.current, "is_admin", False):
            log.info("admin entry requested")
            self.nav.push(AdminPinScreen(self))

    def start_animation(self) -> None:
        self.animating = True
        self._last_anim = self.clock.monotonic()

    # -- the loop -------------------------------------------------------------
    def step(self) -> bool:
        """Handle pending events and due timers, draw what changed. True if a frame was shown."""
        guard = self.failsafe.guard
        for event in pygame.event.get():
            guard(self._dispatch, event)
        guard(self._timers)
        if self.animating:
            guard(self._animate)
        drawn = []
        guard(lambda: drawn.append(self._render()))
        self.failsafe.recover_if_due()
        return bool(drawn and drawn[0])

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self._close_requested()
            return
        if self.pointer.handle(event) or self.focus.dispatch(event):
            return
        if event.type == events.NETWORK_STATUS:
            state = "online" if event.online else "offline"
            if state != self.network:
                self.network = state
                for screen in self.nav.stack:
                    if screen.header is not None:  # in place: a tap in progress keeps its widget
                        screen.header.set_network(state, _("Online") if state == "online" else _("Offline"))
        elif event.type == events.DEVICE_STATE:
            self.devices.update(event.device, event.state, getattr(event, "detail", ""))
            self.publish_state(devices=self.devices.summary())
            self._top().handle_event(event)
        elif event.type == events.SYNC_STATUS:
            self.sync_status = dict(event.dict)
            self.publish_state(sync=self.sync_status)
            self._top().handle_event(event)
        elif event.type in (events.SCAN_READ, events.SCAN_REJECTED):
            self.scans.deliver(event)
        elif event.type == events.SERVICE_STATE:
            self._service_state(event.in_service, getattr(event, "reason", ""))
        elif event.type in (events.CALL_BOARD, events.CALL_FEED_DOWN):
            self._calls(event)
        elif event.type == events.HEADSET_JACK:
            self.guidance.headset_changed(bool(event.plugged))
        elif event.type in events.NAMES and self.nav.current is not None:
            if event.type == events.SPEECH_ENDED:
                self.guidance.speech_ended(event.number, event.how)
            self.nav.current.handle_event(event)

    def _calls(self, event: pygame.event.Event) -> None:
        """The waiting-room feed spoke: the room's state changes whatever screen is on top
        (the admin's, a technician's), and the screen showing the calls redraws."""
        room = self.waiting_room
        if room is None:
            return
        received = events.CallBoardReceived.of(event)
        if received is not None:
            room.receive(received.board, received.received_at)
        else:
            down = events.CallFeedDown.of(event)
            assert down is not None
            room.lost(down.since)
        if self.nav.current is not None:      # none while the failsafe's plain message shows
            self.nav.current.handle_event(event)

    def publish_state(self, **changes: Any) -> None:
        """Tell the state file what changed (kiosk.devices.published); it writes only on a difference."""
        if self.state_publisher is not None:
            self.state_publisher.update(self.clock.now(), **changes)

    def _service_state(self, in_service: bool, reason: str) -> None:
        from screens.shell.out_of_service import OutOfServiceScreen

        self.publish_state(in_service=in_service)
        if not in_service:
            log.warning("out of service: %s", reason)
            self.out_of_service = reason or "unknown"
            self.visit.wipe()
            self.apply_settings(rebuild=False)
            self._speech_visit_ended()
            self.nav.reset([self.home_screen(), OutOfServiceScreen(self)])
        elif self.out_of_service is not None:
            log.info("back in service")
            self.out_of_service = None
            self.nav.reset([self.home_screen()])

    def _timers(self) -> None:
        now = self.clock.monotonic()
        screen = self.nav.current
        if screen is None:
            # Not even the apology screen could be shown: stop feeding the watchdog on purpose,
            # so systemd restarts the app instead of leaving a frozen screen.
            return
        screen.expire_overlays(now)
        screen.tick(now)
        self.focus.tick(now)
        minute = self.clock.now().replace(second=0, microsecond=0)
        if minute != self._minute_shown:
            self._minute_shown = minute
            if screen.header is not None:
                screen.header.set_time_text(self._time_text())
        self.idle.step(now)
        if self._watchdog_every and now >= self._next_watchdog:
            sdnotify.notify("WATCHDOG=1")
            self._next_watchdog = now + self._watchdog_every

    def _animate(self) -> None:
        now = self.clock.monotonic()
        dt = min(0.1, max(0.0, now - self._last_anim))
        self._last_anim = now
        screen = self.nav.current
        moving = False
        if screen is not None and dt > 0:
            for w in screen.widgets():
                if isinstance(w, ScrollView) and w.velocity:
                    moving = w.animate(dt) or moving
        elif screen is not None:
            moving = any(isinstance(w, ScrollView) and w.velocity for w in screen.widgets())
        self.animating = moving

    def _render(self) -> bool:
        screen = self.nav.current
        if screen is None or not screen.needs_redraw:
            return False
        if screen._needs_layout:
            self.layout_screen(screen)
        surf = self.display.surface
        assert surf is not None, "the display opens in start()"
        full = screen._needs_full or (screen.overlays and screen._dirty)
        # The screen's header, content and footer cover the viewport; only what is outside it
        # (the low-reach banner) needs painting here, on a full redraw.
        if full and self.viewport.top > 0:
            banner = pygame.Rect(0, 0, self.viewport.width, self.viewport.top)
            draw_reach_banner(surf, self.ui, banner, self.logo)
        rects = screen.render(surf, self.ui)
        ring = self.focus.draw(surf, self.ui)      # over the control it surrounds, redrawn or not
        if rects is not None and ring is not None:
            rects.append(ring)
        self.display.present(None if full else rects)
        self.frames += 1
        if self.frames == 1:
            if self.on_ready is not None:
                self.on_ready()
            if not self.quitting:
                # After the first frame: loading the printer stack (python-escpos, Pillow), seeding
                # the demo town and the first sync compete for the interpreter, and the person
                # must see the screen first.
                self.devices.start()
                self.guidance.start_hardware()
                if self.data is not None:
                    self.data.start()
                    self._start_call_feed(self.data)
            self.publish_state(ready=True, devices=self.devices.summary())
        return True

    # -- speech (issue 15) ----------------------------------------------------
    @property
    def speech_active(self) -> bool:
        """Speech on for this visit (its ``Settings.speech``) and a speaker to say it."""
        return self.speech is not None and self.visit.settings.speech

    def say(self, *parts: Part | str, interrupt: bool = True) -> None:
        # through the reader: what the person typed and references are masked on a loudspeaker
        self.reader.announce(*parts, interrupt=interrupt)

    @property
    def speech_offered(self) -> bool:
        return self.guidance.offered

    def start_guidance(self, reason: str) -> None:
        """Turn speech on for this visit from any screen (held 5, headset plugged, « Guidage
        vocal »), say the welcome, then read the screen (kiosk.shell.guidance)."""
        self.guidance.start(reason)

    def stop_guidance(self, reason: str) -> None:
        """Speech off for the rest of this visit (« Guidage vocal » switched off)."""
        self.guidance.stop(reason)

    def _start_call_feed(self, data: DataSource) -> None:
        """A display listens for calls through the data layer's client, once it has one."""
        if self.waiting_room is None:
            return
        from kiosk.waiting_room.names import service_names

        # only the data layer of a terminal has a client (the gallery's seeded data has none)
        self.waiting_room.start_feed(lambda: getattr(data, "client", None), lambda: service_names(data.cache_path))

    def next_deadline(self) -> float | None:
        """The next clock.monotonic() at which a timer needs the loop."""
        now = self.clock.monotonic()
        screen = self.nav.current
        candidates = [self.idle.deadline(now), self.failsafe.deadline(), self.focus.next_deadline()]
        if screen is not None:
            candidates += [screen.next_deadline(), screen.overlay_deadline()]
        wall = self.clock.now()
        candidates.append(now + 60 - wall.second - wall.microsecond / 1e6 + 0.01)  # header clock
        if self._watchdog_every:
            candidates.append(self._next_watchdog)
        return min((c for c in candidates if c is not None), default=None)

    def run(self) -> int:
        """Start and run until quit; the exit status of the process."""
        from kiosk.shell import main_loop

        return main_loop.run(self, self.live_screenshot)
