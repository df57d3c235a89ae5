"""A modal dialog: a title, a message, and one to three buttons.

While a dialog is open only its buttons answer; the screen behind is dimmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pygame

from kiosk.shell.ui import TEXT_BODY, TEXT_TITLE, UiContext
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.containers import Column, Row
from screens.widgets.label import Label

if TYPE_CHECKING:
    from kiosk.speech.utterance import Part


class Dialog(Widget):
    def __init__(self, title: str, message: str, buttons: Sequence[Button], *, id: str = "dialog") -> None:
        super().__init__(id=id)
        #: Closed with its screen (a screen's own question); False for the shell's (the idle warning).
        self.screen_owned = True
        self.title = Label(title, size=TEXT_TITLE - 8, bold=True, id=f"{id}-title")
        self.message = Label(message, size=TEXT_BODY, id=f"{id}-message")
        self.buttons = Row(list(buttons), gap=20)
        self.panel = Column([self.title, self.message, self.buttons], gap=32, padding=40, bg="surface")
        self.panel.parent = self

    def children(self) -> Sequence[Widget]:
        return [self.panel]

    def announcement(self) -> list[Part]:
        """What speech says when the dialog opens: its title, message and buttons, read as shown.
        A dialog whose answer is a key (the idle warning's « 5 ») says so instead."""
        from screens.widgets.reading import read_tree

        return read_tree(self)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        """``rect`` is the whole area the dialog covers; the panel is centred in it."""
        self.rect = pygame.Rect(rect)
        width = min(rect.width - 2 * ui.px(48), ui.px(900))
        height = min(self.panel.measure(ui, width), rect.height - 2 * ui.px(24))
        self.panel.backdrop = ui.theme.scrim[:3]
        self.panel.place(ui, pygame.Rect(rect.centerx - width // 2, rect.centery - height // 2, width, height))

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        scrim = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        scrim.fill(ui.theme.scrim)
        surf.blit(scrim, self.rect.topleft)
        border = self.panel.rect.inflate(ui.px(6), ui.px(6))
        pygame.draw.rect(surf, ui.theme.border, border, border_radius=ui.px(20))
        self.panel.draw(surf, ui)

    def hit(self, pos: tuple[int, int]) -> Widget | None:
        # Modal: taps outside the panel go nowhere.
        return self.panel.hit(pos)
