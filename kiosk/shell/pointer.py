"""Turns finger and mouse events into taps and drags.

A tap is a press and a release on the same control with little movement (the same
widget, or its rebuilt copy with the same id). A drag that moves past the slop
scrolls the list under the finger (and cancels the press); releasing it flings
the list with inertia. Mouse events that SDL
synthesises from touch are ignored, so a finger counts once; the mouse still
works for development. Only the first finger down is followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from screens.widgets.containers import ScrollView

if TYPE_CHECKING:
    from kiosk.shell.host import ShellHost
    from screens.widgets.base import Widget

SLOP_PX = 24  # at 1080 px width


@dataclass
class _Press:
    pointer: object
    start: tuple[int, int]
    last: tuple[int, int]
    target: Widget | None
    scroller: ScrollView | None
    dragging: bool = False
    swallowed: bool = False   # the touch that woke the screen does nothing else
    samples: list[tuple[float, int]] = field(default_factory=list)  # (time, y) for fling velocity


def _scroller_of(widget: Widget | None) -> ScrollView | None:
    while widget is not None:
        if isinstance(widget, ScrollView) and widget.scrollable:
            return widget
        widget = widget.parent
    return None


def _released_on(pressed: Widget | None, under: Widget | None) -> Widget | None:
    """The control a press and its release were both on, as it is now; else None. The screen
    may have been rebuilt in between (a print result, a sync, a clock minute): the control
    under the finger is then a new object with the pressed one's id, and the tap is its — a
    person who tapped « Accueil » as the ticket came out must not have to tap again."""
    if pressed is None or under is None:
        return None
    if under is pressed:
        return under
    if pressed.id and under.id == pressed.id and type(under) is type(pressed) and under.enabled:
        return under
    return None


class PointerTracker:
    def __init__(self, app: ShellHost) -> None:
        self.app = app
        self.press: _Press | None = None

    def reset(self) -> None:
        if self.press and self.press.target is not None:
            self.press.target.set_pressed(False)
        self.press = None

    # -- raw SDL events → logical positions --------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        """Feed one SDL event; True if it was pointer input."""
        d = self.app.display
        if event.type in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            w, h = d.physical
            pos = d.to_logical(event.x * w, event.y * h)
            pointer: tuple[object, ...] = ("finger", event.touch_id, event.finger_id)
            kind = {pygame.FINGERDOWN: "down", pygame.FINGERUP: "up", pygame.FINGERMOTION: "move"}[event.type]
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return True  # SDL's copy of a finger event
            if event.type != pygame.MOUSEMOTION and event.button != 1:
                return True
            pos = d.to_logical(*event.pos)
            pointer = ("mouse",)
            kind = {pygame.MOUSEBUTTONDOWN: "down", pygame.MOUSEBUTTONUP: "up", pygame.MOUSEMOTION: "move"}[event.type]
        else:
            return False
        getattr(self, f"_{kind}")(pointer, pos)
        return True

    # -- gestures ------------------------------------------------------------
    def _down(self, pointer: tuple[object, ...], pos: tuple[int, int]) -> None:
        app = self.app
        app.note_activity()
        if self.press is not None:
            return  # a second finger: ignored
        if app.idle.wake_if_dimmed():
            self.press = _Press(pointer, pos, pos, None, None, swallowed=True)
            return
        app.corner_tap(pos)
        target = app.hit(pos)
        if target is not None and not target.enabled:
            target = None
        scroller = _scroller_of(target) or _scroller_of(app.scrollable_at(pos))
        self.press = _Press(pointer, pos, pos, target, scroller)
        self.press.samples.append((app.clock.monotonic(), pos[1]))
        if target is not None:
            target.set_pressed(True)

    def _move(self, pointer: tuple[object, ...], pos: tuple[int, int]) -> None:
        p = self.press
        if p is None or p.pointer != pointer or p.swallowed:
            return
        self.app.note_activity()
        slop = self.app.ui.px(SLOP_PX)
        if not p.dragging and (abs(pos[0] - p.start[0]) > slop or abs(pos[1] - p.start[1]) > slop):
            p.dragging = True
            if p.target is not None:
                p.target.set_pressed(False)
        if p.dragging and p.scroller is not None:
            p.scroller.drag_by(pos[1] - p.last[1])
        p.last = pos
        p.samples.append((self.app.clock.monotonic(), pos[1]))
        del p.samples[:-6]

    def _up(self, pointer: tuple[object, ...], pos: tuple[int, int]) -> None:
        p = self.press
        if p is None or p.pointer != pointer:
            return
        self.press = None
        self.app.note_activity()
        if p.swallowed:
            return
        if p.target is not None:
            p.target.set_pressed(False)
        if p.dragging:
            if p.scroller is not None and len(p.samples) >= 2:
                (t0, y0), (t1, y1) = p.samples[0], p.samples[-1]
                if t1 > t0:
                    p.scroller.fling((y1 - y0) / (t1 - t0))
                    self.app.start_animation()
            return
        target = _released_on(p.target, self.app.hit(pos))
        if target is not None:
            if self.app.reader.touched(target):
                self.app.focus.follow(target)   # the keypad's 5 now activates what the finger found
                return   # explore by touch (speech on): this touch only said what is under the finger
            self.app.tap(target)
