"""A short message shown above the footer for a few seconds, without blocking."""

from __future__ import annotations

import pygame

from kiosk.shell.ui import TEXT_BODY, UiContext
from screens.widgets.base import Widget
from screens.widgets.label import Label


class Toast(Label):
    def __init__(self, text: str, *, until: float, kind: str = "info", id: str = "toast") -> None:
        super().__init__(text, size=TEXT_BODY, bold=True, align="center", padding=24,
                         colour="on_primary" if kind == "info" else "on_warn",
                         bg="primary" if kind == "info" else "warn", id=id)
        self.until = until  # clock.monotonic() deadline

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        """``rect`` is the content area; the toast sits at its bottom, centred."""
        width = min(rect.width - 2 * ui.px(32), ui.px(900))
        height = self.measure(ui, width)
        super().place(ui, pygame.Rect(rect.centerx - width // 2, rect.bottom - height - ui.px(24), width, height))

    def hit(self, pos: tuple[int, int]) -> Widget | None:
        return None
