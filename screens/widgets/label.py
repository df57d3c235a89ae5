"""Text that wraps to its width; an optional line limit ends it with an ellipsis; an optional icon
(``screens.widgets.icons``) stands before its first line, the lines indented past it."""

from __future__ import annotations

from typing import Unpack

import pygame

from kiosk.shell.theme import RGB
from kiosk.shell.ui import TEXT_BODY, UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import TextItem, Widget, WidgetOptions, theme_colour
from screens.widgets.icons import Icon, draw_icon
from screens.widgets.spoken import texts
from screens.widgets.text import ellipsize, wrap


class Label(Widget):
    def __init__(self, text: str = "", *, size: int = TEXT_BODY, bold: bool = False,
                 colour: str = "text", align: str = "left", max_lines: int | None = None,
                 bg: str | None = None, padding: int = 0, icon: Icon | None = None,
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.text = text
        self.icon = icon
        self.size = size
        self.bold = bold
        self.colour = colour      # theme attribute name
        self.align = align        # left | center | right
        self.max_lines = max_lines
        self.bg = bg              # optional theme attribute name of a background panel
        self.padding = padding
        self._lines: list[str] = []
        self._truncated = False

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            # Same height is likely (a clock, a countdown); re-wrap in place.
            before = len(self._lines)
            if hasattr(self, "_ui"):
                self._wrap(self._ui, self.rect.width)
            if len(self._lines) != before:
                self.request_layout()
            self.invalidate()

    def _fg(self, ui: UiContext) -> RGB:
        return theme_colour(ui.theme, self.colour)

    def _bg(self, ui: UiContext) -> RGB:
        return theme_colour(ui.theme, self.bg) if self.bg else self.backdrop

    def _icon_px(self, ui: UiContext) -> int:
        return round(ui.font_px(self.size) * 1.2) if self.icon is not None else 0

    def _indent(self, ui: UiContext) -> int:
        """What the icon takes before the text: its side and a gap."""
        return self._icon_px(ui) + ui.px(12) if self.icon is not None else 0

    def _wrap(self, ui: UiContext, width: int) -> tuple[list[str], bool]:
        size = ui.font_px(self.size)
        inner = max(1, width - 2 * ui.px(self.padding) - self._indent(ui))
        lines = wrap(self.text, ui.fonts, size, inner, self.bold) if self.text else []
        truncated = False
        if self.max_lines is not None and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            lines[-1] = ellipsize(lines[-1] + "…", ui.fonts, size, inner, self.bold)
            truncated = True
        self._lines, self._truncated = lines, truncated
        return lines, truncated

    def measure(self, ui: UiContext, width: int) -> int:
        lines = wrap(self.text, ui.fonts, ui.font_px(self.size),
                     max(1, width - 2 * ui.px(self.padding) - self._indent(ui)), self.bold) if self.text else []
        if self.max_lines is not None:
            lines = lines[: self.max_lines]
        lh = ui.fonts.line_height(ui.font_px(self.size), self.bold)
        return len(lines) * lh + 2 * ui.px(self.padding)

    def min_width(self, ui: UiContext) -> int:
        size = ui.font_px(self.size)
        words = self.text.replace("\n", " ").split(" ")
        return (max((ui.fonts.width(w, size, self.bold) for w in words), default=0) + 2 * ui.px(self.padding)
                + self._indent(ui))

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self._ui = ui
        self._wrap(ui, rect.width)

    def _line_rects(self, ui: UiContext) -> list[tuple[str, pygame.Rect]]:
        size = ui.font_px(self.size)
        lh = ui.fonts.line_height(size, self.bold)
        pad = ui.px(self.padding)
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        indent = self._indent(ui)
        inner = pygame.Rect(inner.left + indent, inner.top, max(1, inner.width - indent), inner.height)
        y = inner.top
        out = []
        for line in self._lines:
            w = ui.fonts.width(line, size, self.bold)
            if self.align == "center":
                x = inner.centerx - w // 2
            elif self.align == "right":
                x = inner.right - w
            else:
                x = inner.left
            out.append((line, pygame.Rect(x, y, w, lh)))
            y += lh
        return out

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        if self.bg:
            pygame.draw.rect(surf, self._bg(ui), self.rect, border_radius=ui.px(12))
        fg = self._fg(ui)
        size = ui.font_px(self.size)
        rects = self._line_rects(ui)
        for line, r in rects:
            surf.blit(ui.fonts.render(line, size, fg, self.bold), r.topleft)
        if self.icon is not None and rects:
            first = rects[0][1]
            side = self._icon_px(ui)
            draw_icon(surf, self.icon, side, fg, (first.left - self._indent(ui) + side // 2, first.centery))

    def text_items(self, ui: UiContext) -> list[TextItem]:
        fg, bg = self._fg(ui), self._bg(ui)
        return [TextItem(line, fg, bg, r, self.rect, self._truncated) for line, r in self._line_rects(ui)]

    def visible_text(self) -> str:
        return self.text

    def spoken(self) -> list[Part]:
        """Its text, whole (a line limit cuts what is drawn, never what is said)."""
        return texts(self.text)
