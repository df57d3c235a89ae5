"""A column whose children grow into the height it is given, never below their own.

``Column``'s ``flex`` children take a share of what is left and nothing more: right for a
scrolling area, which must shrink to leave room for the rest. Big tiles are the opposite:
each needs at least its own height (large text makes it taller) and should share whatever
the screen has beyond that, so that a portrait home fills its height instead of leaving the
lower half empty. ``max_grow`` (layout pixels) caps how much taller than needed a child gets:
a tile twice the height of its words looks like a mistake.
"""

from __future__ import annotations

from typing import Unpack

import pygame

from kiosk.shell.ui import UiContext
from screens.widgets.base import Widget
from screens.widgets.containers import Column, ContainerOptions


class StretchColumn(Column):
    def __init__(self, items: list[Widget], *, max_grow: int = 160, **kw: Unpack[ContainerOptions]) -> None:
        super().__init__(items, **kw)
        self.max_grow = max_grow

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = self._narrowed(ui, rect)
        inner = self._inner(ui, self.rect)
        kids = self.children()
        gap = ui.px(self.gap)
        heights = [c.measure(ui, inner.width) for c in kids]
        spare = inner.height - sum(heights) - gap * max(0, len(kids) - 1)
        growing = [i for i, c in enumerate(kids) if c.flex]
        if spare > 0 and growing:
            each = min(spare // len(growing), ui.px(self.max_grow))
            for i in growing:
                heights[i] += each
        y = inner.top
        for child, h in zip(kids, heights, strict=True):
            child.backdrop = self._child_backdrop(ui)
            child.place(ui, pygame.Rect(inner.left, y, inner.width, h))
            y += h + gap
