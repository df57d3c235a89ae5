"""A QR code drawn on screen, dark on white with its quiet zone, whatever the theme.

Shown large so a phone or the counter's camera reads it off the screen when the ticket
cannot be printed. The matrix is computed once (``qrcode``); drawing is a few rectangles.
"""

from __future__ import annotations

import pygame
import qrcode

from kiosk.ui import UiContext
from screens.widgets.base import Widget

QUIET = 4   # modules of white around the code (the QR standard's quiet zone)


class QrCodeView(Widget):
    def __init__(self, data: str, *, size: int = 420, **kw) -> None:
        super().__init__(**kw)
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(data)
        code.make(fit=True)
        self.data = data
        self.matrix: list[list[bool]] = code.get_matrix()
        self.size = size             # px at 1080 width

    def _side(self, ui: UiContext, width: int) -> int:
        return min(width, ui.px(self.size))

    def measure(self, ui: UiContext, width: int) -> int:
        return self._side(ui, width)

    def min_width(self, ui: UiContext) -> int:
        return ui.px(self.size) // 2

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        n = len(self.matrix) + 2 * QUIET
        side = self._side(ui, self.rect.width)
        module = max(1, side // n)
        total = module * n
        left = self.rect.left + (self.rect.width - total) // 2
        top = self.rect.top + (self.rect.height - total) // 2
        surf.fill((255, 255, 255), pygame.Rect(left, top, total, total))
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    surf.fill((0, 0, 0), pygame.Rect(left + (x + QUIET) * module, top + (y + QUIET) * module,
                                                     module, module))
