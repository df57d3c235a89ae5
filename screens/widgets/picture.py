"""An image shown whole: scaled down (never up) to the width it gets, keeping its proportions."""

from __future__ import annotations

from typing import Unpack

import pygame

from kiosk.shell.ui import UiContext
from screens.widgets.base import Widget, WidgetOptions


class Picture(Widget):
    def __init__(self, image: pygame.Surface, *, max_width: int | None = None, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.image = image
        self.max_width = max_width       # in layout pixels (ui.px), e.g. a receipt's paper width
        self._scaled: pygame.Surface | None = None

    def _size(self, ui: UiContext, width: int) -> tuple[int, int]:
        w, h = self.image.get_size()
        limit = min(width, ui.px(self.max_width) if self.max_width else width, w)
        return limit, max(1, round(h * limit / w))

    def measure(self, ui: UiContext, width: int) -> int:
        return self._size(ui, width)[1]

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        super().place(ui, rect)
        size = self._size(ui, rect.width)
        if self._scaled is None or self._scaled.get_size() != size:
            # A logo's transparent corners stay transparent (convert() would paint them black).
            source = self.image.convert_alpha() if self.image.get_flags() & pygame.SRCALPHA else self.image.convert()
            self._scaled = pygame.transform.smoothscale(source, size) if size != self.image.get_size() else self.image

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        if self._scaled is not None:
            x = self.rect.x + (self.rect.width - self._scaled.get_width()) // 2
            surf.blit(self._scaled, (x, self.rect.y))
