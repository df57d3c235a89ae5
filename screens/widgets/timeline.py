"""The steps of a request, top to bottom: done, current, still to come.

Each step says its state in words (« Fait le 3 novembre », « Étape en cours », « À venir »)
and with a marker of its own shape — a tick, a ringed dot, an empty circle — so that it
reads without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

import pygame

from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, UiContext
from screens.widgets.base import Widget, WidgetOptions
from screens.widgets.label import Label

GUTTER = 76       # px at 1080 width: the marker column
MARKER = 22       # marker radius


class TimelineStep(Widget):
    def __init__(self, label: str, detail: str, state: str, *, first: bool, last: bool,
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        if state not in ("done", "current", "todo"):
            raise ValueError(f"unknown step state {state!r}")
        self.state, self.first, self.last = state, first, last
        self.title = Label(label, size=TEXT_BODY, bold=state == "current",
                           colour="muted" if state == "todo" else "text")
        self.detail = Label(detail, size=TEXT_SMALL, bold=state == "current", colour="muted")
        for child in (self.title, self.detail):
            child.parent = self

    def children(self) -> Sequence[Widget]:
        return (self.title, self.detail)

    def _text_width(self, ui: UiContext, width: int) -> int:
        return max(1, width - ui.px(GUTTER))

    def measure(self, ui: UiContext, width: int) -> int:
        w = self._text_width(ui, width)
        return self.title.measure(ui, w) + self.detail.measure(ui, w) + ui.px(28)

    def min_width(self, ui: UiContext) -> int:
        return ui.px(GUTTER) + max(self.title.min_width(ui), self.detail.min_width(ui))

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        x, w = rect.left + ui.px(GUTTER), self._text_width(ui, rect.width)
        h1 = self.title.measure(ui, w)
        for child in (self.title, self.detail):
            child.backdrop = self.backdrop
        self.title.place(ui, pygame.Rect(x, rect.top, w, h1))
        self.detail.place(ui, pygame.Rect(x, rect.top + h1, w, self.detail.measure(ui, w)))

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        t = ui.theme
        cx = self.rect.left + ui.px(GUTTER) // 2 - ui.px(8)
        r = ui.px(MARKER)
        first_line = ui.fonts.line_height(ui.font_px(self.title.size), self.title.bold)
        cy = self.rect.top + max(r, first_line // 2)
        line_w = ui.px(6)
        done_colour = t.ok
        if not self.first:
            pygame.draw.line(surf, t.border, (cx, self.rect.top), (cx, cy - r), line_w)
        if not self.last:
            pygame.draw.line(surf, done_colour if self.state == "done" else t.border,
                             (cx, cy + r), (cx, self.rect.bottom), line_w)
        if self.state == "done":
            pygame.draw.circle(surf, done_colour, (cx, cy), r)
            tick = [(cx - r * 0.5, cy), (cx - r * 0.12, cy + r * 0.4), (cx + r * 0.5, cy - r * 0.38)]
            pygame.draw.lines(surf, t.on_ok, False, tick, ui.px(5))
        elif self.state == "current":
            pygame.draw.circle(surf, t.primary, (cx, cy), r, ui.px(6))
            pygame.draw.circle(surf, t.primary, (cx, cy), max(2, r // 2))
        else:
            pygame.draw.circle(surf, t.surface, (cx, cy), r)
            pygame.draw.circle(surf, t.border, (cx, cy), r, ui.px(3))
        self.title.draw(surf, ui)
        self.detail.draw(surf, ui)
