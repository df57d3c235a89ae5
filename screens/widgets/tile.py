"""A wide tile for the few big things a passer-by came for: icon badge, title, subtitle, arrow.

The stacked tile (``Button(kind="tile")``) suits a grid of many choices. On a portrait home
there are only four or five, and a full-width tile reads like the signposts of a public
service: a badge in the town's colour with a large icon on the left, the title and what it
is for beside it, left-aligned as one reads, an arrow saying « this leads somewhere », and
the same accent bar along the bottom as the other tiles, thicker while a finger is on it.
It is a :class:`Button` (same touch handling, pressed state and colours); only its
arrangement differs. Its height grows with the room it is given (see ``StretchColumn``).
"""

from __future__ import annotations

from typing import Unpack

import pygame

from kiosk.shell.ui import TEXT_BODY, UiContext
from screens.widgets.base import TextItem, WidgetOptions
from screens.widgets.button import Button, button_shape
from screens.widgets.icons import Icon, draw_icon
from screens.widgets.text import wrap

TITLE_SIZE = 46
BADGE = 120          # layout pixels: the icon's coloured square
PAD = 28
ARROW = 52

_Line = tuple[str, int, bool, pygame.Rect]


class WideTile(Button):
    def __init__(self, title: str, *, icon: Icon, subtitle: str | None = None,
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(title, kind="tile", icon=icon, subtitle=subtitle, min_height=180, **kw)

    # -- geometry ------------------------------------------------------------
    def _badge(self, ui: UiContext) -> int:
        return max(ui.px(BADGE), round(ui.font_px(TITLE_SIZE) * 2))

    def _text_x(self, ui: UiContext) -> int:
        return ui.px(PAD) + self._badge(ui) + ui.px(PAD)

    def _text_width(self, ui: UiContext, width: int) -> int:
        return max(1, width - self._text_x(ui) - ui.px(ARROW) - 2 * ui.px(PAD))

    def _text_blocks(self, ui: UiContext, width: int) -> list[tuple[list[str], int, bool]]:
        inner = self._text_width(ui, width)
        title = ui.font_px(TITLE_SIZE)
        blocks = [(wrap(self.label, ui.fonts, title, inner, True), title, True)]
        if self.subtitle:
            sub = ui.font_px(TEXT_BODY)
            blocks.append((wrap(self.subtitle, ui.fonts, sub, inner), sub, False))
        return blocks

    def _text_height(self, ui: UiContext, width: int) -> int:
        blocks = self._text_blocks(ui, width)
        return (sum(len(lines) * ui.fonts.line_height(s, b) for lines, s, b in blocks)
                + ui.px(8) * (len(blocks) - 1))

    def measure(self, ui: UiContext, width: int) -> int:
        content = max(self._text_height(ui, width), self._badge(ui))
        return max(ui.px(self._min_height), ui.min_touch, content + 2 * ui.px(PAD) + ui.px(14))

    def min_width(self, ui: UiContext) -> int:
        words = (self.label.split(" "), self.subtitle.split(" ") if self.subtitle else [])
        widest = max([ui.fonts.width(w, ui.font_px(TITLE_SIZE), True) for w in words[0] if w]
                     + [ui.fonts.width(w, ui.font_px(TEXT_BODY)) for w in words[1] if w], default=0)
        return self._text_x(ui) + widest + ui.px(ARROW) + 2 * ui.px(PAD)

    def fits_inline(self, ui: UiContext, width: int) -> bool:
        return True

    def _layout_lines(self, ui: UiContext) -> list[_Line]:
        blocks = self._text_blocks(ui, self.rect.width)
        middle = self.rect.centery - ui.px(7)            # above the accent bar
        y = middle - self._text_height(ui, self.rect.width) // 2
        x = self.rect.left + self._text_x(ui)
        out: list[_Line] = []
        for lines, size, bold in blocks:
            lh = ui.fonts.line_height(size, bold)
            for line in lines:
                out.append((line, size, bold, pygame.Rect(x, y, ui.fonts.width(line, size, bold), lh)))
                y += lh
            y += ui.px(8)
        return out

    # -- drawing -------------------------------------------------------------
    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        t = ui.theme
        bg, fg, border = self._colours(ui)
        radius = ui.px(18)
        surf.blit(button_shape(self.rect.size, bg, border, tuple(self.backdrop), radius, max(2, ui.px(3))),
                  self.rect.topleft)
        accent = self._accent(ui)
        if accent:
            clip = surf.get_clip()
            surf.set_clip(pygame.Rect(self.rect.left, self.rect.bottom - accent, self.rect.width, accent).clip(clip))
            pygame.draw.rect(surf, t.primary, pygame.Rect(self.rect.left, self.rect.bottom - accent - radius,
                                                          self.rect.width, accent + radius), border_radius=radius)
            surf.set_clip(clip)
        middle = self.rect.centery - ui.px(7)
        side = self._badge(ui)
        badge = pygame.Rect(self.rect.left + ui.px(PAD), middle - side // 2, side, side)
        enabled = self.enabled
        pygame.draw.rect(surf, t.primary if enabled else t.on_disabled, badge, border_radius=ui.px(22))
        if self.icon is not None:
            draw_icon(surf, self.icon, round(side * 0.62), t.on_primary if enabled else t.disabled_bg, badge.center)
        draw_icon(surf, Icon.NEXT, ui.px(ARROW), t.primary if enabled else fg,
                  (self.rect.right - ui.px(PAD) - ui.px(ARROW) // 2, middle))
        for line, size, bold, r in self._layout_lines(ui):
            surf.blit(ui.fonts.render(line, size, fg, bold), r.topleft)

    def text_items(self, ui: UiContext) -> list[TextItem]:
        bg, fg, _ = self._colours(ui)
        return [TextItem(line, fg, bg, r, self.rect) for line, _s, _b, r in self._layout_lines(ui)]
