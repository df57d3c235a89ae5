"""The band at the bottom of every screen: Home, Back, Help, Accessibility."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL, UiContext
from screens.widgets.button import Button
from screens.widgets.containers import Row
from screens.widgets.icons import Icon


class Footer(Row):
    def __init__(self, *, on_home: Callable[[], None], on_back: Callable[[], None],
                 on_help: Callable[[], None], on_access: Callable[[], None],
                 at_home: bool, can_go_back: bool) -> None:
        buttons = [
            Button(_("Home"), icon=Icon.HOME, id="home", on_tap=on_home, size=TEXT_SMALL),
            Button(_("Back"), icon=Icon.BACK, id="back", on_tap=on_back, size=TEXT_SMALL),
            Button(_("Help"), icon=Icon.HELP, id="help", on_tap=on_help, size=TEXT_SMALL),
            Button(_("Accessibility"), icon=Icon.ACCESSIBILITY, id="accessibility", on_tap=on_access, size=TEXT_SMALL),
        ]
        buttons[0].enabled = not at_home
        buttons[1].enabled = can_go_back
        super().__init__(buttons, gap=16, padding=16, bg="surface", id="footer")
        self.buttons = buttons  # the same widgets as ``items``, as buttons

    def _arrange(self, ui: UiContext, width: int) -> None:
        """Icons beside the labels when every button has room (landscape), above them otherwise."""
        inner = width - 2 * ui.px(self.padding)
        cell = (inner - ui.px(self.gap) * (len(self.items) - 1)) // len(self.items)
        stacked = not all(b.fits_inline(ui, cell) for b in self.buttons)
        for button in self.buttons:
            button.stack_icon = stacked
            button._min_height = 110 if stacked else 96

    def _widths(self, ui: UiContext, width: int) -> list[int] | None:
        """Unequal widths that keep the buttons on one line when equal ones would not (large
        text: « Accessibilité » is wider than « Aide »), else None. One line leaves the height
        to the screen above, which a keyboard needs."""
        inner = width - 2 * ui.px(self.padding)
        gaps = ui.px(self.gap) * (len(self.buttons) - 1)
        mins = [b.min_width(ui) for b in self.buttons]
        if max(mins) <= (inner - gaps) // len(mins) or sum(mins) + gaps > inner:
            return None
        spare = (inner - gaps - sum(mins)) // len(mins)
        return [m + spare for m in mins]

    def measure(self, ui: UiContext, width: int) -> int:
        self._arrange(ui, width)
        widths = self._widths(ui, width)
        if widths is None:
            return super().measure(ui, width)
        return max(b.measure(ui, w) for b, w in zip(self.buttons, widths, strict=True)) + 2 * ui.px(self.padding)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self._arrange(ui, rect.width)
        widths = self._widths(ui, rect.width)
        if widths is None:
            super().place(ui, rect)
            return
        self.rect = pygame.Rect(rect)
        inner = self._inner(ui, self.rect)
        x = inner.left
        for button, w in zip(self.buttons, widths, strict=True):
            button.backdrop = ui.theme.surface
            button.place(ui, pygame.Rect(x, inner.top, w, inner.height))
            x += w + ui.px(self.gap)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        surf.fill(ui.theme.surface, self.rect)
        pygame.draw.line(surf, ui.theme.border, self.rect.topleft, self.rect.topright, ui.px(2))
        for child in self.children():
            child.backdrop = ui.theme.surface
            child.draw(surf, ui)
