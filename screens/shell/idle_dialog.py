"""The « are you still there? » warning, and the dimmed home screen."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.i18n import _, ngettext
from kiosk.shell.ui import TEXT_DISPLAY, UiContext
from kiosk.speech.utterance import Part
from screens.widgets import Button, Dialog, Label
from screens.widgets.base import Widget


class IdleDialog(Dialog):
    def __init__(self, on_continue: Callable[[], None], seconds: int) -> None:
        super().__init__(_("Are you still there?"), self._message(seconds),
                         [Button(_("Continue"), kind="primary", id="continue", on_tap=on_continue)],
                         id="idle-dialog")
        self.seconds = seconds

    @staticmethod
    def _message(seconds: int) -> str:
        return ngettext(
            "Without a touch, the terminal goes back to the start in {n} second and erases what you typed.",
            "Without a touch, the terminal goes back to the start in {n} seconds and erases what you typed.",
            seconds,
        ).format(n=seconds)

    def announcement(self) -> list[Part]:
        """The warning said as it opens: the words below, with « Appuyez sur 5 pour continuer »."""
        return [Part(words) for words in self.warning_words(self.seconds)]

    @classmethod
    def warning_words(cls, seconds: int) -> list[str]:
        """What speech says when the warning appears: its title, its message, and the key that
        answers it (the keypad's 5 activates « Continuer », which has the focus)."""
        return [_("Are you still there?"), cls._message(seconds), _("Press 5 to continue.")]

    @staticmethod
    def countdown_words(seconds: int) -> list[str]:
        """The countdown said again, near its end."""
        return [ngettext("{n} second left.", "{n} seconds left.", seconds).format(n=seconds),
                _("Press 5 to continue.")]

    def set_seconds(self, seconds: int) -> None:
        if seconds != self.seconds:
            self.seconds = seconds
            self.message.set_text(self._message(seconds))


class DimOverlay(Widget):
    """Darkens an idle home screen; the first touch only wakes it."""

    def __init__(self) -> None:
        super().__init__(id="dim")
        self.label = Label(_("Touch the screen to start"), size=TEXT_DISPLAY, bold=True, align="center",
                           colour="on_primary", bg="primary", padding=40, id="dim-label")
        self.label.parent = self

    def children(self) -> list[Widget]:
        return [self.label]

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        width = rect.width - 2 * ui.px(64)
        h = self.label.measure(ui, width)
        self.label.place(ui, pygame.Rect(rect.left + ui.px(64), rect.centery - h // 2, width, h))

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        scrim = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        scrim.fill((0, 0, 0, 190))
        surf.blit(scrim, self.rect.topleft)
        self.label.draw(surf, ui)

    def hit(self, pos: tuple[int, int]) -> Widget | None:
        return None
