"""Drive the real app headless: tap widgets, type, move time, read the screen.

Used by the tests, ``kiosk screenshots`` and ``kiosk bench``, like Textual's
Pilot. Taps are real SDL finger events posted into the queue, so they go
through the same path as a finger on the panel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pygame

from kiosk.clock import ManualClock
from kiosk.shell.app import App
from screens.base import Screen
from screens.widgets.base import Widget
from screens.widgets.containers import ScrollView

_TOUCH_ID = 1


class Pilot:
    def __init__(self, app: App) -> None:
        self.app = app
        self.errors_seen = 0      # app.errors.total when the test last took them

    # -- state ------------------------------------------------------------------
    @property
    def clock(self) -> ManualClock:
        return cast(ManualClock, self.app.clock)   # pilots drive apps built on a ManualClock

    @property
    def screen(self) -> Screen | None:
        return self.app.nav.current

    def widgets(self) -> list[Widget]:
        return self.screen.widgets() if self.screen else []

    def widget(self, widget_id: str) -> Widget:
        found = self.screen.find(widget_id) if self.screen else None
        if found is None:
            ids = sorted({w.id for w in self.widgets() if w.id})
            raise LookupError(f"no widget {widget_id!r} on screen {getattr(self.screen, 'name', None)!r}; ids: {ids}")
        return found

    def has(self, widget_id: str) -> bool:
        return self.screen is not None and self.screen.find(widget_id) is not None

    def find_text(self, text: str) -> Widget:
        """The interactive widget (else the smallest one) whose text contains ``text``."""
        matches = [w for w in self.widgets() if text in w.visible_text() and w.visible]
        if not matches:
            raise LookupError(f"no widget shows {text!r} on screen {getattr(self.screen, 'name', None)!r}")
        interactive = [w for w in matches if w.interactive]
        pool = interactive or matches
        return min(pool, key=lambda w: len(w.visible_text()))

    def text(self) -> str:
        """Everything the current screen shows, overlays included."""
        return " ".join(t for t in (w.visible_text() for w in self._leaves()) if t)

    def _leaves(self) -> list[Widget]:
        return [w for w in self.widgets() if not w.children()]

    def take_errors(self) -> list[BaseException]:
        """Exceptions the failsafe caught since the last call (a test that expects one takes it)."""
        new = self.app.errors.since(self.errors_seen)
        self.errors_seen = self.app.errors.total
        return new

    # -- running --------------------------------------------------------------------
    def settle(self, max_frames: int = 1000) -> None:
        """Step the loop until the event queue is empty and nothing is left to draw or animate."""
        for _ in range(max_frames):
            if self.app.animating:
                self.clock.advance(1 / 60)  # an animation runs on frame time
            drew = self.app.step()
            if not drew and not pygame.event.peek() and not self.app.animating:
                return
        raise RuntimeError("the app did not settle (an animation or event loop never ends)")

    def settle_printing(self, timeout: float = 30.0) -> None:
        """Let the printer answer every ticket sent so far, and handle its answers. Its worker
        prints in real time: a state that shows a print result (the gallery's « printed »,
        « printer-failed ») set before the real job answered would be overwritten by it later,
        sooner or later depending on the machine's load."""
        printer = self.app.devices.printer
        deadline = time.monotonic() + timeout
        while printer is not None and not printer.idle:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the printer did not answer within {timeout:.0f} s")
            self.app.step()
            time.sleep(0.01)
        self.settle()

    def advance(self, seconds: float, step: float = 0.25) -> None:
        """Move the clock forward, running the loop as time passes."""
        remaining = seconds
        while remaining > 1e-9:
            dt = min(step, remaining)
            self.clock.advance(dt)
            remaining -= dt
            self.app.step()
        self.settle()

    # -- fingers -------------------------------------------------------------------
    def _finger(self, kind: int, pos: tuple[int, int]) -> None:
        d = self.app.display
        px, py = d.to_physical(*pos)
        w, h = d.physical
        pygame.event.post(pygame.event.Event(kind, touch_id=_TOUCH_ID, finger_id=0, x=(px + 0.5) / w,
                                             y=(py + 0.5) / h, dx=0.0, dy=0.0, pressure=1.0))

    def press(self, pos: tuple[int, int]) -> None:
        self._finger(pygame.FINGERDOWN, pos)
        self.app.step()

    def release(self, pos: tuple[int, int]) -> None:
        self._finger(pygame.FINGERUP, pos)
        self.settle()

    def tap_at(self, pos: tuple[int, int]) -> None:
        self.press(pos)
        self.release(pos)

    def drag(self, start: tuple[int, int], end: tuple[int, int], *, steps: int = 8, seconds: float = 0.2) -> None:
        self.press(start)
        for i in range(1, steps + 1):
            self.clock.advance(seconds / steps)
            x = start[0] + (end[0] - start[0]) * i // steps
            y = start[1] + (end[1] - start[1]) * i // steps
            self._finger(pygame.FINGERMOTION, (x, y))
            self.app.step()
        self._finger(pygame.FINGERUP, end)
        self.app.step()

    def _reveal(self, widget: Widget) -> pygame.Rect:
        """Scroll the lists holding ``widget`` so it is on screen, as a person would."""
        parent = widget.parent
        while parent is not None:
            if isinstance(parent, ScrollView):
                view = parent.rect
                r = widget.rect
                if r.top < view.top or r.bottom > view.bottom:
                    parent.scroll_to(parent.offset + r.top - view.top - max(0, (view.height - r.height) // 2))
                    self.settle()
            parent = parent.parent
        return widget.rect

    def use(self, widget_id: str) -> Widget:
        """Touch ``widget_id`` until it acts, as a person using speech does: while speech is on,
        a first touch only says the control (explore by touch) and a second one activates it."""
        widget = self.widget(widget_id)
        only_said = self.app.speech_active and not self.app.reader.is_explored(widget)
        self.tap(widget_id)
        if only_said and self.app.nav.current is not None and self.app.reader.is_explored(widget):
            self.tap(widget_id)
        return widget

    def tap(self, widget_id: str | None = None, *, text: str | None = None) -> Widget:
        widget = self.widget(widget_id) if widget_id else self.find_text(text or "")
        rect = self._reveal(widget)
        self.tap_at(rect.center)
        return widget

    def type(self, text: str, *, by_keys: bool = False) -> None:
        """Type on the on-screen keyboard or keypad, switching case and layer as a person would
        (``by_keys``: reaching each key with the tactile keypad's focus instead of a finger)."""
        from screens.widgets.code_keypad import CodeKeypad
        from screens.widgets.keyboard import ACCENT_ROW, LETTER_ROWS, AzertyKeyboard
        from screens.widgets.keypad import NumericKeypad

        on_letters = "".join(LETTER_ROWS) + ACCENT_ROW
        press: Callable[[str], object] = self.activate if by_keys else self.use
        for ch in text:
            screen = self.screen
            if ch == " " and screen is not None and isinstance(screen.find("keypad"), NumericKeypad):
                continue   # a phone number's spaces: the keypad has none, the number reads the same
            if ch == " ":
                press("key-space")
                continue
            screen = self.screen
            assert screen is not None   # typing needs a screen to type on
            code_pad = screen.find("code-keypad")
            if isinstance(code_pad, CodeKeypad):
                if ch == "-":
                    continue   # grouped by the screen as the number is typed
                if (code_pad.layer == "digits") != ch.isdigit():
                    press("key-layer")
                press(f"key-{ch.upper()}")
                continue
            kb = screen.find("keyboard")
            if isinstance(kb, AzertyKeyboard):
                wants_symbols = ch.lower() not in on_letters
                if kb.symbols != wants_symbols:
                    press("key-layer")
                if ch.isalpha() and not kb.symbols and kb.upper != ch.isupper():
                    press("key-shift")
            press(f"key-{ch.lower()}")

    # -- the keypad (issue 15) --------------------------------------------------------
    def key(self, action: str) -> None:
        """Press and release a key of the tactile keypad (a ``KeyAction`` value), as its evdev
        driver posts it."""
        self._keypad(action, True)
        self.app.step()
        self._keypad(action, False)
        self.settle()

    def keys(self, *actions: str) -> None:
        for action in actions:
            self.key(action)

    def hold(self, action: str, seconds: float) -> None:
        """Hold a key of the keypad for ``seconds`` of the app's clock (no key repeat, as a
        keypad read through evdev sends none), then release it."""
        self._keypad(action, True)
        self.app.step()
        self.advance(seconds, step=min(0.25, seconds))
        self._keypad(action, False)
        self.settle()

    def _keypad(self, action: str, down: bool) -> None:
        from kiosk import events

        pygame.event.post(pygame.event.Event(events.KEYPAD_KEY, action=str(action), down=down))

    def activate(self, widget_id: str) -> Widget:
        """Reach ``widget_id`` with the keypad's focus and activate it with 5, no finger at all."""
        widget = self.focus_to(widget_id)
        self.key("activate")
        return widget

    def focus_to(self, widget_id: str, limit: int = 400) -> Widget:
        """Move the focus with « 6 » (next) alone until ``widget_id`` has it (as a person
        listening to each control would), and return it."""
        for _ in range(limit):
            focused = self.app.focus.widget
            if focused is not None and focused.id == widget_id and not self.app.focus.fresh:
                return focused
            self.key("right")
        raise LookupError(f"the keypad never reached {widget_id!r} on screen {getattr(self.screen, 'name', None)!r}")

    def wait_until(self, condition: Callable[[], object], timeout_s: float = 15.0) -> None:
        """Run the loop until ``condition()`` holds: for answers that come from worker threads
        (a lookup, a sync) in real time, while the app's own clock stays where the test put it."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the condition did not come true in time")
            self.app.step()
            time.sleep(0.005)
        self.settle()

    def screenshot(self, path: str | Path) -> Path:
        self.settle()
        self.app.display.save(path)
        return Path(path)
