"""What every screen shares: header, title, scrolling content, footer, overlays.

A screen builds its widgets (``compose``), reacts to their callbacks and to
app events, and may return a result to whoever opened it (``dismiss``), like
Textual's screens. It reads data through the app's services and never touches
hardware, SQLite or the network itself.

Screens see the app through :class:`ScreenHost`, the small interface below, and
never import the app: the shell (``kiosk.shell``) imports screens to show them,
so a screen importing the shell back would tie every module of both into one
import cycle. ``tests/test_architecture.py`` keeps it that way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from kiosk.shell.ui import TEXT_TITLE, UiContext
from screens.widgets.base import Widget
from screens.widgets.containers import Column, Container, Dock, KeyPanel, ScrollView
from screens.widgets.dialog import Dialog
from screens.widgets.header import Header
from screens.widgets.icons import Icon
from screens.widgets.label import Label
from screens.widgets.text_field import TextField
from screens.widgets.toast import Toast

if TYPE_CHECKING:
    from kiosk.admin.pin import PinGuard
    from kiosk.city.guide import CityGuide
    from kiosk.clock import Clock
    from kiosk.config import KioskConfig
    from kiosk.devices.hardware import Devices
    from kiosk.printing.service import PrintingService
    from kiosk.services import Services
    from kiosk.shell.visit import Visit
    from kiosk.speech.utterance import Part
    from kiosk.tracking.service import TrackingService
    from kiosk.waiting_room.room import WaitingRoom
    from screens.widgets.footer import Footer


# -- the app, as screens see it --------------------------------------------------------------------
class DisplayFacts(Protocol):
    """What a screen reads of the display: its upright size, to pick a layout, and its rotation."""

    @property
    def logical(self) -> tuple[int, int]: ...

    @property
    def rotation(self) -> int: ...


class Navigation(Protocol):
    """The stack of screens (``kiosk.shell.navigation.Navigator``)."""

    @property
    def stack(self) -> list[Screen]: ...

    @property
    def current(self) -> Screen | None: ...

    def push(self, screen: Screen, on_result: Callable[[Any], None] | None = None) -> None: ...

    def pop(self, screen: Screen | None = None, result: Any = None) -> None: ...

    def replace(self, screen: Screen) -> None: ...

    def reset(self, screens: list[Screen]) -> None: ...


class ScreenHost(Protocol):
    """What a screen may use of the app that shows it (``kiosk.shell.app.App`` is one).

    Read-only facts (configuration, clock, display, the visit, the services), the stack of
    screens, and the few actions a screen asks of the shell. Anything else a screen needs
    belongs to a feature service, not here.
    """

    @property
    def config(self) -> KioskConfig: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def demo(self) -> bool: ...

    @property
    def display(self) -> DisplayFacts: ...

    @property
    def ui(self) -> UiContext: ...

    @property
    def logo(self) -> pygame.Surface | None:
        """The town's logo (``[branding] logo``), loaded once; None when unset or unreadable."""

    @property
    def low_reach_available(self) -> bool: ...

    @property
    def visit(self) -> Visit:
        """What the person typed and chose: wiped when the visit ends."""

    @property
    def nav(self) -> Navigation: ...

    @property
    def services(self) -> Services | None:
        """The feature services (None without a central API: the screens then say so)."""

    @property
    def tracking(self) -> TrackingService: ...

    @property
    def devices(self) -> Devices: ...

    @property
    def printing(self) -> PrintingService:
        """The one way screens print: submit a document, hear back by event, say what is wrong."""

    @property
    def pin_guard(self) -> PinGuard: ...

    @property
    def network(self) -> str | None:
        """``"online"`` or ``"offline"`` once the sync worker says, else None."""

    @property
    def has_central_api(self) -> bool:
        """A sync worker talks to a central API (not in a demo without one)."""

    @property
    def central_api_url(self) -> str | None:
        """Where that central API really is (the demo's server runs on a free port); None
        when there is none or it has not started yet."""

    @property
    def sync_status(self) -> Mapping[str, Any]:
        """The sync worker's last ``SYNC_STATUS`` (empty before the first)."""

    @property
    def out_of_service(self) -> str | None:
        """Why the terminal cannot serve, while it cannot."""

    @property
    def waiting_room(self) -> WaitingRoom | None:
        """A waiting-room display's calls (``profile = "display"``), else None."""

    def home_screen(self) -> Screen:
        """The first screen of this terminal's profile (home tiles, or the waiting-room calls)."""

    def guide(self) -> CityGuide | None:
        """The town's information (kiosk.city), opened at first use; None while there is no cache."""

    def offered_features(self) -> Sequence[Feature]:
        """The home screen's tiles on this terminal (its profile, demo or not)."""

    def make_header(self) -> Header: ...

    def make_footer(self, screen: Screen) -> Footer: ...

    def layout_screen(self, screen: Screen) -> None: ...

    def go_home(self) -> None:
        """« Accueil »: asks first when something typed would be erased."""

    def end_visit(self, reason: str) -> None:
        """Erase the visit and show a fresh home screen."""

    def update_settings(self, **changes: Any) -> None:
        """Change the visit's language or accessibility settings and rebuild the screen."""

    def sync_now(self) -> bool:
        """Ask the sync worker for a round now; False when there is none or it is busy."""

    def quit(self, reason: str, code: int = 0) -> None: ...

    # -- speech (issue 15) --
    @property
    def speech_active(self) -> bool:
        """Speech is on for this visit (started with the keypad, the jack or « Guidage vocal »)."""

    def say(self, *parts: Part | str, interrupt: bool = True) -> None:
        """Say ``parts`` now in the visit's language, cutting what is being said (``interrupt=False``:
        once it is finished); nothing when speech is off. Personal parts are masked unless the
        sound goes to a headset."""

    @property
    def speech_offered(self) -> bool:
        """The terminal offers speech (``[speech] enabled``): « Guidage vocal » is shown."""

    def start_guidance(self, reason: str) -> None:
        """Speech on for this visit, with the spoken welcome that explains the keys."""

    def stop_guidance(self, reason: str) -> None:
        """Speech off for the rest of this visit."""


@dataclass(frozen=True)
class Feature:
    """A tile of the home screen; ``kiosk.shell.features`` lists those the terminal offers."""

    id: str
    title: str                  # msgid, translated when shown
    subtitle: str               # msgid
    icon: Icon
    profiles: frozenset[str]    # "street", "counter" ("display" offers no tile)
    open: Callable[[ScreenHost], Screen]
    demo_only: bool = False


def lift_key_panel(tree: Widget) -> KeyPanel | None:
    """Take the first keyboard or keypad out of ``tree`` (it goes to the screen's dock)."""
    for widget in tree.walk():
        if isinstance(widget, Container):
            for child in widget.items:
                if isinstance(child, KeyPanel):
                    widget.items.remove(child)
                    child.parent = None
                    return child
    return None


def lift_main_action(tree: Widget) -> Widget | None:
    """Take the last primary button out of ``tree`` (not a key of a keyboard), with the row
    of buttons it stands in, if it stands in one."""
    from screens.widgets.button import Button
    from screens.widgets.containers import Row

    found: tuple[Container, Widget] | None = None
    for widget in tree.walk():
        if isinstance(widget, KeyPanel) or not isinstance(widget, Container):
            continue
        for child in widget.items:
            if isinstance(child, Button) and child.kind == "primary":
                found = (widget, child)
    if found is None:
        return None
    holder, button = found
    lifted: Widget = button
    if isinstance(holder, Row) and all(isinstance(c, Button) for c in holder.items) and holder.parent is not None:
        outer = holder.parent
        if isinstance(outer, Container) and holder in outer.items:
            holder, lifted = outer, holder
    holder.items.remove(lifted)
    lifted.parent = None
    return lifted


# -- screens -----------------------------------------------------------------------------------------
class Screen:
    name = "screen"            # used in logs and screenshot file names
    show_footer = True
    is_home = False

    def __init__(self, app: ScreenHost) -> None:
        self.app = app
        self.root: Column | None = None
        self.header: Header | None = None
        self.content: ScrollView | None = None
        self.docked: Widget | None = None
        self.overlays: list[Widget] = []
        self.on_result: Callable[[Any], None] | None = None
        self._dirty: set[Widget] = set()
        self._needs_full = True
        self._needs_layout = False
        self.laid_out_for: tuple[int, tuple[int, ...]] | None = None  # (id of the ui, viewport) of the last layout

    # -- to override ------------------------------------------------------
    def title(self) -> str:
        return ""

    def compose(self) -> Widget:
        """The widgets under the title. Called again after a language or accessibility change."""
        return Column([])

    def on_show(self) -> None:
        """The screen became the top of the stack."""

    def on_hide(self) -> None:
        """Another screen covers this one, or it was closed."""

    def tick(self, now: float) -> None:
        """Called every loop turn with ``clock.monotonic()``; update timers here."""

    def next_deadline(self) -> float | None:
        """The next ``clock.monotonic()`` at which ``tick`` has something to do."""
        return None

    def handle_event(self, event: pygame.event.Event) -> None:
        """An app event (scan, print result, device state…) while this screen is on top."""

    def main_action(self, content: Widget) -> Widget | None:
        """The button (or row of buttons) that moves the person on, kept out of the scrolling
        content so it is always on screen without scrolling.

        By default: the last primary button of ``content``, with the row of buttons it stands
        in, lifted out of it — so every screen, whoever wrote it, keeps its main action in
        view. A screen overrides this to pick another, or None to keep it in place.
        """
        return lift_main_action(content)

    def dock(self, content: Widget) -> Widget | None:
        """What stays put between the scrolling content and the footer.

        By default: the keyboard or keypad found in ``content`` (lifted out of it) and the
        ``main_action``. A keyboard inside the scrolling content could be scrolled half out of
        view, push the field typed into out of sight, or move under the finger; docked, it
        never does, on any screen, whichever screen put it where.
        """
        panel = lift_key_panel(content)
        action = self.main_action(content)
        if panel is None and action is None:
            return None
        return Dock(panel, action)

    def results_beside_keys(self) -> bool:
        """Wide enough for live results beside the keyboard, each of its ten keys still full
        size in half the width (1920×1080 is; 1280×800 is not, and stacks them)."""
        width, height = self.app.display.logical
        half = width / self.app.ui.scale / 2 - 60            # in 1080-scale pixels, minus margins
        return width > height and half >= 10 * KeyPanel.COMPACT_KEY + 9 * 10

    def dock_with_results(self, content: Widget, results: Widget) -> Dock:
        """The keyboard with the results of what is typed beside it, scrolling on their own:
        on a wide screen both stay in view while one types."""
        return Dock(lift_key_panel(content), ScrollView(results, id="results-view"), fill=True)

    # -- building ---------------------------------------------------------
    def build(self) -> None:
        app = self.app
        self.header = app.make_header()
        title = self.title()
        parts: list[Widget] = [self.header]
        content = self.compose()
        self.docked = self.dock(content)
        body = Column(([Label(title, size=TEXT_TITLE, bold=True, id="title")] if title else []) + [content],
                      gap=28, padding=36)
        self.content = ScrollView(body, flex=1, id="content")
        parts.append(self.content)
        if self.docked is not None:
            parts.append(self.docked)
        if self.show_footer:
            parts.append(app.make_footer(self))
        self.root = Column(parts, gap=0)
        self.root.backdrop = app.ui.theme.background
        self._adopt(self.root)
        self.laid_out_for = None
        self.overlays = [o for o in self.overlays if not getattr(o, "screen_owned", False)]
        self._needs_full = True

    def _adopt(self, widget: Widget) -> None:
        for w in widget.walk():
            w.owner = self

    def layout(self, ui: UiContext, viewport: pygame.Rect) -> None:
        if self.root is None:
            self.build()
        assert self.root is not None
        self.root.backdrop = ui.theme.background
        self.root.place(ui, viewport)
        # Too little room above the keys for the field typed into: smaller keys (still the
        # minimum touch size), then the main action beside the last keys instead of below.
        if self._too_tight_to_type(ui):
            for panel in self._key_panels():
                panel.set_compact(True)
            if isinstance(self.docked, Dock):
                self.docked.padding = Dock.TIGHT_PADDING
            self.root.place(ui, viewport)
        if self._too_tight_to_type(ui) and isinstance(self.docked, Dock) and self.docked.merge_side(ui):
            self.root.place(ui, viewport)
        self.reveal_focus()
        for overlay in self.overlays:
            self._place_overlay(overlay, ui, viewport)
        self._needs_full = True
        self._needs_layout = False
        self.laid_out_for = (id(ui), tuple(viewport))

    def _place_overlay(self, overlay: Widget, ui: UiContext, viewport: pygame.Rect) -> None:
        if isinstance(overlay, Toast) and self.content is not None:
            overlay.place(ui, self.content.rect)
        else:
            overlay.place(ui, viewport)

    def rebuild(self) -> None:
        """Rebuild widgets keeping the screen's own state (language switch, large text…)."""
        offset = self.content.offset if self.content else 0
        self.build()
        self.app.layout_screen(self)
        if self.content is not None:
            self.content.scroll_to(offset)
        self.reveal_focus()

    # -- typing -----------------------------------------------------------
    def _key_panels(self) -> list[KeyPanel]:
        return [w for w in self.docked.walk() if isinstance(w, KeyPanel)] if self.docked else []

    def focused_field(self) -> TextField | None:
        """The field being typed into, if the scrolling content has one."""
        if self.content is None:
            return None
        fields = [w for w in self.content.walk() if isinstance(w, TextField) and w.visible]
        return next((f for f in fields if f.focused), None)

    def _too_tight_to_type(self, ui: UiContext) -> bool:
        """The docked keys leave too little room above them to see the field typed into."""
        field = self.focused_field()
        if self.content is None or field is None or not self._key_panels():
            return False
        return self.content.rect.height < field.rect.height + 2 * ui.px(36)

    def reveal_focus(self) -> None:
        """Scroll the content just enough for the field being typed into to be seen whole."""
        field, view = self.focused_field(), self.content
        if field is None or view is None:
            return
        margin = min(24, max(0, (view.rect.height - field.rect.height) // 2))
        if field.rect.top < view.rect.top + margin or field.rect.height > view.rect.height:
            view.scroll_to(view.offset - (view.rect.top + margin - field.rect.top))
        elif field.rect.bottom > view.rect.bottom - margin:
            view.scroll_to(view.offset + field.rect.bottom - (view.rect.bottom - margin))

    # -- drawing ----------------------------------------------------------
    def mark_dirty(self, widget: Widget) -> None:
        self._dirty.add(widget)

    def request_layout(self) -> None:
        self._needs_layout = True

    def invalidate_all(self) -> None:
        self._needs_full = True

    @property
    def needs_redraw(self) -> bool:
        return self._needs_full or self._needs_layout or bool(self._dirty)

    def render(self, surf: pygame.Surface, ui: UiContext) -> list[pygame.Rect] | None:
        """Draw what changed. Returns the rectangles to show, or None for the whole screen."""
        assert self.root is not None
        if self._needs_full or (self.overlays and self._dirty):
            self._dirty.clear()
            self._needs_full = False
            # A full frame owns every pixel of the viewport: paint it before the widgets, so a pixel
            # no widget covers (a gap, a rounding remainder) never shows the previous layout, nor
            # darkens again under a translucent overlay drawn on top of the last frame.
            surf.fill(self.root.backdrop, self.root.rect)
            self.root.draw(surf, ui)
            for overlay in self.overlays:
                overlay.draw(surf, ui)
            return None
        rects = []
        for widget in list(self._dirty):
            area = widget.visible_area()
            if not widget.visible or area.width <= 0 or area.height <= 0:
                continue
            surf.set_clip(area)
            surf.fill(widget.backdrop, widget.rect)
            widget.draw(surf, ui)
            surf.set_clip(None)
            rects.append(area)
        self._dirty.clear()
        return rects

    # -- input ------------------------------------------------------------
    def hit(self, pos: tuple[int, int]) -> Widget | None:
        for overlay in reversed(self.overlays):
            if isinstance(overlay, Toast):
                continue
            return overlay.hit(pos)  # modal: nothing behind it answers
        return self.root.hit(pos) if self.root else None

    def find(self, widget_id: str) -> Widget | None:
        for overlay in reversed(self.overlays):
            found = overlay.find(widget_id)
            if found is not None:
                return found
        return self.root.find(widget_id) if self.root else None

    def widgets(self) -> list[Widget]:
        out = list(self.root.walk()) if self.root else []
        for overlay in self.overlays:
            out.extend(overlay.walk())
        return out

    # -- overlays ---------------------------------------------------------
    def open_dialog(self, dialog: Dialog, *, screen_owned: bool = True) -> None:
        dialog.screen_owned = screen_owned
        replaced = self.close_overlay(dialog.id)
        self.add_overlay(dialog)
        if not replaced:   # the same question shown again (the idle countdown's) is not said again
            self.announce(*dialog.announcement())

    def add_overlay(self, overlay: Widget) -> None:
        """Put a non-modal layer (toast, dimming) over the screen."""
        self.overlays.append(overlay)
        self._adopt(overlay)
        self.app.layout_screen(self)

    def close_overlay(self, overlay_id: str | None) -> bool:
        before = len(self.overlays)
        self.overlays = [o for o in self.overlays if o.id != overlay_id]
        if len(self.overlays) != before:
            self._needs_full = True
            return True
        return False

    def toast(self, text: str, seconds: float = 4.0, kind: str = "info", *, said: bool = True) -> None:
        """A short message over the content; said as it appears unless the caller says it
        itself with more (``said=False``: one utterance, not one cut by the next)."""
        self.close_overlay("toast")
        self.add_overlay(Toast(text, until=self.app.clock.monotonic() + seconds, kind=kind))
        if said:
            self.announce(text)

    def announce(self, *parts: Part | str, interrupt: bool = True) -> None:
        """Say a change now (a toast, a dialog, an error under a field: widgets reach the screen
        through their ``owner``), while this screen is the one shown; nothing when speech is off.
        ``interrupt=False``: after what is being said (news that comes by itself, not from a key)."""
        if self.app.nav.current is self:
            self.app.say(*parts, interrupt=interrupt)

    def expire_overlays(self, now: float) -> None:
        for overlay in list(self.overlays):
            if isinstance(overlay, Toast) and now >= overlay.until:
                self.close_overlay(overlay.id)

    def overlay_deadline(self) -> float | None:
        return min((o.until for o in self.overlays if isinstance(o, Toast)), default=None)

    # -- navigation -------------------------------------------------------
    def dismiss(self, result: Any = None) -> None:
        """Close this screen and hand ``result`` to whoever opened it."""
        self.app.nav.pop(self, result)
