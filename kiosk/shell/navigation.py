"""The stack of screens: push, pop with a result, replace, back to home."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screens.base import Screen

log = logging.getLogger(__name__)

# Screens kept on the stack. The deepest flow (booking: eight steps) stays well within it, but links
# can go round for as long as a visit lasts — « Aide » then « Accessibilité » then « Aide »…, a place
# and its services and their places — and each screen keeps its widgets. Past this depth the oldest
# screen above home is forgotten: « Retour » from the bottom of a long detour leads home.
MAX_DEPTH = 16


class Navigator:
    def __init__(self, show: Callable[[Screen], None]) -> None:
        self.show = show                  # lays the screen out (the app's show_screen)
        self.stack: list[Screen] = []

    @property
    def current(self) -> Screen | None:
        return self.stack[-1] if self.stack else None

    @property
    def can_go_back(self) -> bool:
        return len(self.stack) > 1

    def _shown(self, hidden: Screen | None) -> None:
        if hidden is not None:
            hidden.on_hide()
        screen = self.current
        if screen is not None:
            log.info("screen %s", screen.name)
            self.show(screen)
            screen.on_show()

    def push(self, screen: Screen, on_result: Callable[[Any], None] | None = None) -> None:
        hidden = self.current
        screen.on_result = on_result
        self.stack.append(screen)
        if len(self.stack) > MAX_DEPTH:
            dropped = self.stack.pop(1)
            log.info("navigation deeper than %d screens: %s forgotten", MAX_DEPTH, dropped.name)
        self._shown(hidden)

    def pop(self, screen: Screen | None = None, result: Any = None) -> None:
        """Close ``screen`` (default: the top one); never pops the home screen."""
        if len(self.stack) <= 1:
            return
        target = screen or self.current
        if target not in self.stack:
            return
        while self.stack and self.stack[-1] is not target:
            self.stack.pop().on_hide()
        closed = self.stack.pop()
        callback = closed.on_result
        self._shown(closed)
        if callback is not None:
            callback(result)

    def replace(self, screen: Screen) -> None:
        hidden = self.stack.pop() if len(self.stack) > 1 else None
        if hidden is None and self.stack:
            # Replacing home: keep home underneath and push instead.
            self.push(screen)
            return
        self.stack.append(screen)
        self._shown(hidden)

    def reset(self, screens: list[Screen]) -> None:
        """Drop every screen and start again from ``screens`` (home first)."""
        while self.stack:
            self.stack.pop().on_hide()
        self.stack.extend(screens)
        self._shown(None)
