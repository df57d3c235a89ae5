"""A QR code drawn on screen, dark on white with its quiet zone, whatever the theme.

Shown large so a phone or the counter's camera reads it off the screen when the ticket
cannot be printed. The code is made by zxing-cpp (already there to read codes): about
1 ms for a check-in token, where the pure-Python ``qrcode`` package takes about 80 ms —
too slow for a screen transition. It is drawn once into a surface, then blitted.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Unpack

import numpy as np
import pygame
import zxingcpp

from kiosk.shell.ui import UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import Widget, WidgetOptions
from screens.widgets.spoken import QR_CODE, words

QUIET = 4   # modules of white around the code (the QR standard's quiet zone)


@lru_cache(maxsize=8)
def qr_modules(data: str) -> np.ndarray:
    """The code's modules, one byte each (0 = dark), without quiet zone; error correction M.
    Cached: a screen rebuilt (language, text size, printer state) shows the same code."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.ascontiguousarray(zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False))


@lru_cache(maxsize=8)
def _drawn(data: str, module: int) -> pygame.Surface:
    """The code with its quiet zone, ``module`` pixels per module."""
    modules = qr_modules(data)
    n = modules.shape[0] + 2 * QUIET
    grey = pygame.surfarray.make_surface(np.pad(modules, QUIET, constant_values=255).T)
    return pygame.transform.scale(grey, (module * n, module * n))


class QrCodeView(Widget):
    def __init__(self, data: str, *, size: int = 420, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.data = data
        self.modules = qr_modules(data)
        self.size = size             # px at 1080 width

    def _side(self, ui: UiContext, width: int) -> int:
        return min(width, ui.px(self.size))

    def measure(self, ui: UiContext, width: int) -> int:
        return self._side(ui, width)

    def min_width(self, ui: UiContext) -> int:
        return ui.px(self.size) // 2

    def spoken(self) -> list[Part]:
        """« code QR »: what it holds is for a camera, and the screen says what it is for."""
        return words(QR_CODE)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        side = self._side(ui, self.rect.width)
        image = _drawn(self.data, max(1, side // (self.modules.shape[0] + 2 * QUIET)))
        total = image.get_width()
        surf.blit(image, (self.rect.left + (self.rect.width - total) // 2,
                          self.rect.top + (self.rect.height - total) // 2))
