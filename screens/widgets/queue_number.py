"""A queue number (« A012 ») drawn large with a plain zero.

Atkinson Hyperlegible, the screens' font, slashes its zero so that 0 and O never mix in
running text. At the size of a called number (200 px and more) the slash turns « A012 » into
« AØ12 »: a letter many people do not know, on the one thing they must read from across
the room. Queue numbers are a letter then three digits, so position already tells the zero
from the letter O; they are drawn with DejaVu Sans Bold, whose zero is a plain oval. Only
the numbers change font: everything around them stays in Atkinson Hyperlegible.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Unpack

import pygame

from kiosk.shell.fonts import DEJAVU_DIR, FontBook
from kiosk.shell.ui import UiContext
from kiosk.speech.utterance import Part, reference
from screens.widgets.base import TextItem, WidgetOptions
from screens.widgets.label import Label

_figures: FontBook | None = None
_contexts: dict[int, tuple[UiContext, UiContext]] = {}   # id(ui) → (ui, the same with the figures' font)


def _figures_book() -> FontBook:
    global _figures
    if _figures is None:
        _figures = FontBook({"regular": [DEJAVU_DIR / "DejaVuSans-Bold.ttf"],
                             "bold": [DEJAVU_DIR / "DejaVuSans-Bold.ttf"]}, cache_size=16)
    return _figures


def _with_figures(ui: UiContext) -> UiContext:
    known = _contexts.get(id(ui))
    if known is None or known[0] is not ui:
        if len(_contexts) >= 8:            # a context per theme and text size: a handful
            _contexts.clear()
        known = (ui, replace(ui, fonts=_figures_book()))
        _contexts[id(ui)] = known
    return known[1]


class QueueNumber(Label):
    def __init__(self, number: str, *, size: int, colour: str = "text", align: str = "center",
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(number, size=size, bold=True, colour=colour, align=align, **kw)

    def measure(self, ui: UiContext, width: int) -> int:
        return super().measure(_with_figures(ui), width)

    def min_width(self, ui: UiContext) -> int:
        return super().min_width(_with_figures(ui))

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        super().place(_with_figures(ui), rect)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        super().draw(surf, _with_figures(ui))

    def text_items(self, ui: UiContext) -> list[TextItem]:
        return super().text_items(_with_figures(ui))

    def spoken(self) -> list[Part]:
        """Character by character, « A 0 1 2 »: the engine would read « A012 » as a word, and the
        number is what the person compares with their ticket. Not personal: it is called aloud."""
        return [reference(self.text, personal=False)] if self.text.strip() else []
