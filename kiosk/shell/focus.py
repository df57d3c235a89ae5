"""The keypad's focus: a ring a person moves through the controls of the screen with keys.

Why it is in the shell and not in each screen: a person who cannot see the glass must reach
every control of every screen the same way, whoever wrote the screen. So the controls are
found from the widget tree (``Widget.focusable``) in the order the screen lays them out
(header, content, dock with its keys, footer; only a dialog's buttons while one is open),
and activating one is the very tap a finger would make (``app.tap``), so nothing a tap does
can be forgotten.

Keys come from the SDL keyboard (``KEYDOWN``/``KEYUP``) and from a tactile keypad read
through evdev (``KEYPAD_KEY``); both are a :class:`~kiosk.speech.keys.KeyAction` by the time
they reach :meth:`FocusNavigator.key`. The activate key acts when it is *released*: held for
``HOLD_TO_START_S`` it starts speech instead (found by a timer, so a keypad that sends no
key repeat still starts it).

The ring is drawn inside the focused control's own rectangle, so redrawing that control
alone erases it: a key costs the two controls it moves between, never the whole screen.
Touch users never see it: it shows only once a key was used in the visit.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pygame

from kiosk.i18n import _
from kiosk.speech.keys import HOLD_TO_START_ACTION, HOLD_TO_START_S, KeyAction, action_for_pygame_key
from screens.widgets.containers import KeyPanel, ScrollView
from screens.widgets.dialog import Dialog
from screens.widgets.toast import Toast

if TYPE_CHECKING:
    from kiosk.shell.host import ShellHost
    from kiosk.shell.ui import UiContext
    from screens.base import Screen
    from screens.widgets.base import Widget

log = logging.getLogger(__name__)

# Three bands, dark, light, dark: whatever the control's colour (a white tile, a blue button, a
# yellow high-contrast button, a black key), a light band or a dark one stands out against it,
# and against the background around it.
RING_DARK = (0, 0, 0)
RING_LIGHT = (255, 214, 0)
RING_BANDS_PX = (4, 5, 4)     # outer dark, light, inner dark, at 1080 px scale

NEXT = (KeyAction.DOWN, KeyAction.RIGHT)
PREVIOUS = (KeyAction.UP, KeyAction.LEFT)
MOVES = NEXT + PREVIOUS


def top_layer(screen: Screen) -> Widget | None:
    """What answers a finger now: the last modal overlay (a dialog, the dimmed screen), else
    the screen's own tree. A toast is not modal."""
    layers = [o for o in screen.overlays if not isinstance(o, Toast)]
    return layers[-1] if layers else screen.root


def controls_of(screen: Screen) -> list[Widget]:
    """The controls the focus can stop at, in reading order: a modal layer's alone while one
    is open, else the screen's (its widget tree is laid out top to bottom, then left to right)."""
    tree = top_layer(screen)
    if tree is None:
        return []
    found: list[Widget] = []
    _collect(tree, found)
    return found


def _collect(widget: Widget, found: list[Widget]) -> None:
    if not widget.visible:
        return
    if widget.focusable and widget.rect.width > 0 and widget.rect.height > 0:
        found.append(widget)
    for child in widget.children():          # containers list only their visible children
        _collect(child, found)


def arrow_grid_of(widget: Widget) -> Widget | None:
    """The calendar or keyboard ``widget`` is a key of (``arrow_grid``), where up and down
    move a line of keys rather than one control."""
    parent = widget.parent
    while parent is not None:
        if getattr(parent, "arrow_grid", False):
            return parent
        parent = parent.parent
    return None


def _in_key_panel(widget: Widget) -> bool:
    """A key of an on-screen keyboard or keypad (typing: its name is said back as it is typed)."""
    parent = widget.parent
    while parent is not None:
        if isinstance(parent, KeyPanel):
            return True
        parent = parent.parent
    return False


def _within(widget: Widget, ancestor: Widget) -> bool:
    parent = widget.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def grid_neighbour(controls: list[Widget], current: Widget, action: KeyAction) -> Widget | None:
    """The key above or below ``current`` in its calendar or keyboard (the nearest by column);
    None at its first or last line, where the focus goes on in reading order."""
    grid = arrow_grid_of(current)
    if grid is None or action not in (KeyAction.UP, KeyAction.DOWN):
        return None
    here = current.rect
    keys = [w for w in controls if w is not current and _within(w, grid)]
    if action == KeyAction.DOWN:
        lines = [w for w in keys if w.rect.top >= here.bottom]
        line_top = min((w.rect.top for w in lines), default=None)
    else:
        lines = [w for w in keys if w.rect.bottom <= here.top]
        line_top = max((w.rect.top for w in lines), default=None)
    if line_top is None:
        return None
    line = [w for w in lines if w.rect.top == line_top]
    return min(line, key=lambda w: abs(w.rect.centerx - here.centerx))


class FocusNavigator:
    """The focus of one app: which control has it, the keys that move it, the ring."""

    def __init__(self, app: ShellHost) -> None:
        self.app = app
        self.shown = False                  # a key was used in this visit: the ring is drawn
        self.widget: Widget | None = None   # the control with the focus
        self.fresh = True                   # placed by a new screen, not yet reached by a key
        self._screen: Screen | None = None
        self._index = 0
        self._remembered: dict[int, tuple[str | None, int]] = {}   # a screen under others: its focus
        self._layer: Widget | None = None   # the layer the focus is in (a dialog, or the screen)
        self._under: tuple[str | None, int] | None = None   # the screen's focus while a dialog is open
        self._held_since: float | None = None
        self._hold_fired = False
        self.guidance_starts = 0            # holds that started speech (for the log and the bench)
        self._notice = ""                   # said before the next control (the focus wrapped round)

    # -- input ------------------------------------------------------------------------
    def dispatch(self, event: pygame.event.Event) -> bool:
        """An SDL key or keypad event: True when it was one of ours (used up)."""
        from kiosk import events

        if event.type in (pygame.KEYDOWN, pygame.KEYUP):
            action = action_for_pygame_key(event.key)
            if action is None:
                return False
            self.key(action, event.type == pygame.KEYDOWN)
            return True
        if event.type == events.KEYPAD_KEY:
            try:
                action = KeyAction(event.action)
            except ValueError:
                log.warning("keypad key %r is not a known action: ignored", event.action)
                return True
            self.key(action, bool(event.down))
            return True
        return False

    def key(self, action: KeyAction, down: bool) -> None:
        app = self.app
        app.note_activity()
        app.idle.wake_if_dimmed()
        now = app.clock.monotonic()
        if action == HOLD_TO_START_ACTION:
            if down:
                if self._held_since is None:          # a key repeat is not a new press
                    self._held_since, self._hold_fired = now, False
                return
            held, fired = self._held_since, self._hold_fired
            self._held_since, self._hold_fired = None, False
            if held is None or fired:
                return                                # the hold started speech: no activation too
            self._show()
            self.activate()
            return
        if not down:
            return
        self._show()
        if action in MOVES:
            self.move(action)
        elif action == KeyAction.BACK:
            self.back()
        elif action == KeyAction.REPEAT:
            app.reader.repeat()
        elif action == KeyAction.HELP:
            app.reader.help()
        elif action in (KeyAction.VOLUME_UP, KeyAction.VOLUME_DOWN):
            app.reader.volume(1 if action == KeyAction.VOLUME_UP else -1)

    # -- the hold that starts speech ---------------------------------------------------
    def tick(self, now: float) -> None:
        if self._held_since is not None and not self._hold_fired and now - self._held_since >= HOLD_TO_START_S:
            self._hold_fired = True
            self.guidance_starts += 1
            self._show()
            self.app.start_guidance("keypad")

    def next_deadline(self) -> float | None:
        if self._held_since is None or self._hold_fired:
            return None
        return self._held_since + HOLD_TO_START_S

    # -- moving -----------------------------------------------------------------------
    def controls(self) -> list[Widget]:
        screen = self.app.nav.current
        return controls_of(screen) if screen is not None else []

    def current(self) -> Widget | None:
        """The focused control, found again after a rebuild (same id, else the same place)."""
        screen = self.app.nav.current
        if screen is not self._screen:
            self.screen_shown(screen)
        layer = top_layer(screen) if screen is not None else None
        if layer is not self._layer:
            self._layer_changed(screen, layer)
        controls = self.controls()
        if not controls:
            self.widget = None
            return None
        if self.widget is not None and any(w is self.widget for w in controls):
            self._index = next(i for i, w in enumerate(controls) if w is self.widget)
            return self.widget
        wanted = self.widget.id if self.widget is not None else None
        same = next((i for i, w in enumerate(controls) if wanted is not None and w.id == wanted), None)
        self._index = same if same is not None else min(self._index, len(controls) - 1)
        self.widget = controls[self._index]
        return self.widget

    def move(self, action: KeyAction) -> None:
        before = self.current()
        if before is None:
            self.app.reader.focus_moved(None)
            return
        controls = self.controls()
        if self.fresh and action in NEXT:
            target = self._first_of_content(controls) or before   # the first key: where the screen begins
        elif not before.handle_key(action) or self.widget is not before:
            target = self._step(controls, before, action)
        else:
            return                                   # the control used the key itself
        self.focus(target)

    def _first_of_content(self, controls: list[Widget]) -> Widget | None:
        """The first control below the header: the screen's reading (title, content, actions)
        was just heard, so the first « 6 » goes to its first action, not to the language button
        every screen starts with (the header stays reachable with « 4 »)."""
        screen = self.app.nav.current
        header = screen.header if screen is not None else None
        if header is None:
            return None
        return next((w for w in controls if not _within(w, header)), None)

    def _step(self, controls: list[Widget], before: Widget, action: KeyAction) -> Widget:
        neighbour = grid_neighbour(controls, before, action)
        if neighbour is not None:
            return neighbour
        index = self._index + (1 if action in NEXT else -1)
        if self.fresh and action in PREVIOUS:
            index = len(controls) - 1
        elif index >= len(controls):
            self._notice = _("Top of the screen")
            index = 0
        elif index < 0:
            self._notice = _("End of the screen")
            index = len(controls) - 1
        return controls[index]

    def follow(self, widget: Widget) -> None:
        """A touch explored ``widget`` (speech on: the reader said it): the focus goes there too,
        silently, so that « 5 » on the keypad activates what the finger found and « 6 » goes on
        from it. Not a control of the focus's layer (the header under a dialog): nothing moves."""
        if any(w is widget for w in self.controls()):
            self._place(widget)

    def focus(self, widget: Widget) -> None:
        """Give ``widget`` the focus: scroll it into view, move the ring, tell the reader."""
        self._place(widget)
        reveal(widget)
        notice, self._notice = self._notice, ""
        self.app.reader.focus_moved(widget, notice)

    def _place(self, widget: Widget) -> None:
        """The focus on ``widget``: its place in the controls, the ring redrawn where it left and arrived."""
        old = self.widget
        self.widget, self.fresh = widget, False
        self._index = next((i for i, w in enumerate(self.controls()) if w is widget), self._index)
        if old is not None and old is not widget:
            old.invalidate()
        widget.invalidate()

    def activate(self) -> None:
        widget = self.current()
        if widget is None:
            self.app.reader.focus_moved(None)
            return
        self.fresh = False
        reveal(widget)
        screen = self.app.nav.current
        layers = len(screen.overlays) if screen is not None else 0
        if not widget.handle_key(KeyAction.ACTIVATE):      # a control that uses 5 itself, else its tap
            self.app.tap(widget)
        if _in_key_panel(widget) and self.app.nav.current is screen and screen is not None \
                and len(screen.overlays) == layers:
            field = screen.focused_field()
            if field is not None and field.masked:          # a code shown as dots is not said back
                self.app.reader.announce(_("Entered"))     # (EN 301 549 5.1.3.8)
            else:
                self.app.reader.focus_moved(widget)        # the key said again: what was typed (« L »)

    def back(self) -> None:
        """« 0 »: close the dialog (its answer that is not the main one), else « Retour »."""
        screen = self.app.nav.current
        focused = self.current() if self.shown else None
        if screen is None or (focused is not None and focused.handle_key(KeyAction.BACK)):
            return
        layers = [o for o in screen.overlays if not isinstance(o, Toast)]
        if layers and isinstance(layers[-1], Dialog):
            buttons = controls_of(screen)
            quiet = [b for b in buttons if getattr(b, "kind", "") != "primary"]
            choice = quiet[0] if quiet else (buttons[0] if buttons else None)
            if choice is not None:
                self.app.tap(choice)
            else:
                screen.close_overlay(layers[-1].id)
            return
        back = screen.root.find("back") if screen.root is not None else None
        if back is not None and back.focusable:
            self.app.tap(back)
            return
        self.app.reader.announce(_("There is no going back from this screen."))

    def _layer_changed(self, screen: Screen | None, layer: Widget | None) -> None:
        """A dialog opened (the focus goes to its first button, the screen's is kept) or closed
        (the focus goes back to the control that had it before)."""
        opened = screen is not None and layer is not screen.root
        was_screen = self._layer is not None and screen is not None and self._layer is screen.root
        if opened:
            if was_screen and self.widget is not None:
                self._under = (self.widget.id, self._index)
            self.widget, self._index = None, 0
        elif self._under is not None:
            wanted, self._index = self._under
            self._under = None
            controls = self.controls()
            self.widget = next((w for w in controls if wanted is not None and w.id == wanted), None)
        self._layer = layer

    # -- screens and visits ---------------------------------------------------------------
    def screen_shown(self, screen: Screen | None) -> None:
        """A screen came on top: its first control (or, coming back to it, the one it had)."""
        if self._screen is not None and self.widget is not None:
            self._remembered[id(self._screen)] = (self.widget.id, self._index)
        stack = {id(s) for s in self.app.nav.stack}
        self._remembered = {k: v for k, v in self._remembered.items() if k in stack}
        self._screen = screen
        self.widget, self.fresh, self._index = None, True, 0
        self._layer = top_layer(screen) if screen is not None else None
        self._under = None
        kept = self._remembered.pop(id(screen), None) if screen is not None else None
        if kept is not None and screen is not None:
            wanted, index = kept
            controls = controls_of(screen)
            found = next((w for w in controls if wanted is not None and w.id == wanted), None)
            if found is None and controls:
                found = controls[min(index, len(controls) - 1)]
            self.widget, self.fresh = found, found is None

    def end_visit(self) -> None:
        """The visit is over: no focus, no ring, no half-held key for the next person."""
        self.shown = False
        self.widget, self._screen, self.fresh, self._index = None, None, True, 0
        self._layer, self._under = None, None
        self._remembered.clear()
        self._held_since, self._hold_fired = None, False

    def _show(self) -> None:
        if not self.shown:
            self.shown = True
            widget = self.current()
            if widget is not None:
                widget.invalidate()

    # -- the ring ---------------------------------------------------------------------------
    def draw(self, surf: pygame.Surface, ui: UiContext) -> pygame.Rect | None:
        """Draw the ring over the focused control; the rectangle to show (None: no ring)."""
        if not self.shown:
            return None
        widget = self.current()
        if widget is None:
            return None
        area = widget.visible_area()
        if area.width <= 0 or area.height <= 0:
            return None
        draw_ring(surf, ui, widget.rect, area)
        return area


def draw_ring(surf: pygame.Surface, ui: UiContext, rect: pygame.Rect, clip: pygame.Rect) -> None:
    radius = ui.px(16)
    previous = surf.get_clip()
    surf.set_clip(clip)
    inset = 0
    for band_px, colour in zip(RING_BANDS_PX, (RING_DARK, RING_LIGHT, RING_DARK), strict=True):
        band = max(1, ui.px(band_px))
        pygame.draw.rect(surf, colour, rect.inflate(-2 * inset, -2 * inset), width=band,
                         border_radius=max(0, radius - inset))
        inset += band
    surf.set_clip(previous)


def reveal(widget: Widget) -> None:
    """Scroll the lists holding ``widget`` just enough for it to be seen whole."""
    parent = widget.parent
    while parent is not None:
        if isinstance(parent, ScrollView):
            view, r = parent.rect, widget.rect
            if r.top < view.top or r.height > view.height:
                parent.scroll_to(parent.offset - (view.top - r.top))
            elif r.bottom > view.bottom:
                parent.scroll_to(parent.offset + r.bottom - view.bottom)
        parent = parent.parent
