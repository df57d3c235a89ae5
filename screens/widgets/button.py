"""Buttons sized for fingers: primary, secondary, tile and keyboard key.

A button is never smaller than the minimum touch target, grows to fit its
label (wrapped, never cut), and shows its pressed state as soon as a finger
lands on it. ``selected`` marks a toggle that is on (shown by colour and by a
check mark, not by colour alone).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Unpack

import pygame

from kiosk.shell.theme import RGB
from kiosk.shell.ui import TEXT_BODY, TEXT_BUTTON, TEXT_SMALL, UiContext
from screens.widgets.base import TextItem, Widget, WidgetOptions
from screens.widgets.text import wrap

CHECK = "✓"
NBSP = "\u00a0"

_MIN_HEIGHT = {"primary": 112, "secondary": 96, "tile": 200, "key": 96}
_PAD = {"primary": 28, "secondary": 24, "tile": 24, "key": 6}

# (lines, font size, bold) of one block of text: the icon, the label or the subtitle.
_Block = tuple[list[str], int, bool]
# What a button's measurements depend on: see ``Button._key``.
_MeasureKey = tuple[int, int | None, str, str | None, bool, str | None, int, bool]


@lru_cache(maxsize=160)
def _background(size: tuple[int, int], bg: RGB, border: RGB | None, backdrop: tuple[int, ...], radius: int,
                border_width: int) -> pygame.Surface:
    """A button's rounded shape, drawn once per look and size: blitting it is ~10× cheaper
    than drawing two rounded rectangles, and a keyboard has dozens of identical keys."""
    shape = pygame.Surface(size)
    shape.fill(backdrop)
    rect = shape.get_rect()
    pygame.draw.rect(shape, bg, rect, border_radius=radius)
    if border is not None:
        pygame.draw.rect(shape, border, rect, width=border_width, border_radius=radius)
    return shape


class Button(Widget):
    interactive = True

    def __init__(self, label: str, *, kind: str = "secondary", icon: str | None = None,
                 subtitle: str | None = None, selected: bool = False, size: int | None = None,
                 min_height: int | None = None, stack_icon: bool = False, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.stack_icon = stack_icon or kind == "tile"   # icon on its own line, above the label
        self.label = label
        self.kind = kind
        self.icon = icon
        self.subtitle = subtitle
        self.selected = selected
        self.size = size or (TEXT_BUTTON if kind != "key" else TEXT_BODY + 4)
        self._min_height = min_height if min_height is not None else _MIN_HEIGHT[kind]
        self._measures: dict[_MeasureKey, int] = {}

    # -- content -----------------------------------------------------------
    def _title(self) -> str:
        text = self.label
        if self.selected and self.kind != "key":  # a key shows its state by what it does (upper case)
            text = f"{CHECK}{NBSP}{text}"
        if self.icon and not self.stack_icon:
            text = f"{self.icon}{NBSP}{text}"
        return text

    def _blocks(self, ui: UiContext, width: int) -> list[_Block]:
        """(lines, font size, bold) for the icon (tiles), the label and the subtitle."""
        inner = max(1, width - 2 * ui.px(_PAD[self.kind]))
        blocks: list[_Block] = []
        if self.icon and self.stack_icon:
            blocks.append(([self.icon], ui.font_px(64 if self.kind == "tile" else self.size + 6), False))
        size = ui.font_px(self.size)
        bold = self.kind != "key"
        blocks.append((wrap(self._title(), ui.fonts, size, inner, bold), size, bold))
        if self.subtitle:
            sub = ui.font_px(TEXT_SMALL)
            blocks.append((wrap(self.subtitle, ui.fonts, sub, inner), sub, False))
        return blocks

    def _content_height(self, ui: UiContext, blocks: list[_Block]) -> int:
        gap = ui.px(8)
        return sum(len(lines) * ui.fonts.line_height(s, b) for lines, s, b in blocks) + gap * (len(blocks) - 1)

    def _key(self, ui: UiContext, width: int | None) -> _MeasureKey:
        # Layout measures a button several times per frame; its answer only depends on these.
        return (id(ui), width, self.label, self.subtitle, self.selected, self.icon, self.size, self.stack_icon)

    def measure(self, ui: UiContext, width: int) -> int:
        key = self._key(ui, width)
        cached = self._measures.get(key)
        if cached is None:
            content = self._content_height(ui, self._blocks(ui, width))
            cached = max(ui.px(self._min_height), ui.min_touch, content + 2 * ui.px(_PAD[self.kind] * 0.6))
            self._measures[key] = cached
        return cached

    def min_width(self, ui: UiContext) -> int:
        key = self._key(ui, None)
        cached = self._measures.get(key)
        if cached is None:
            cached = self._measures[key] = self._min_width(ui)
        return cached

    def _min_width(self, ui: UiContext) -> int:
        size = ui.font_px(self.size)
        bold = self.kind != "key"
        words = self._title().split(" ") + (self.subtitle or "").split(" ") + ([self.icon] if self.stack_icon else [])
        widest = max(ui.fonts.width(w, size, bold) for w in words if w) if any(words) else 0
        return max(ui.min_touch, widest + 2 * ui.px(_PAD[self.kind]))

    def fits_inline(self, ui: UiContext, width: int) -> bool:
        """Would icon and label fit side by side on one line at this width?"""
        text = f"{self.icon}{NBSP}{self.label}" if self.icon else self.label
        return ui.fonts.width(text, ui.font_px(self.size), True) + 2 * ui.px(_PAD[self.kind]) <= width

    # -- colours -----------------------------------------------------------
    def _colours(self, ui: UiContext) -> tuple[RGB, RGB, RGB | None]:
        """Background, text and border colours (no border on a filled button)."""
        t = ui.theme
        if not self.enabled:
            return t.disabled_bg, t.on_disabled, None
        if self.kind == "primary" or self.selected:
            return (t.pressed_primary if self.pressed else t.primary), t.on_primary, None
        bg = t.pressed if self.pressed else (t.surface if self.kind in ("tile", "key") else t.secondary_bg)
        fg = t.text if self.kind in ("tile", "key") else t.on_secondary
        if self.pressed and t.name == "high_contrast":
            fg = t.text
        return bg, fg, t.border

    # -- drawing -----------------------------------------------------------
    def _layout_lines(self, ui: UiContext) -> list[tuple[str, int, bool, pygame.Rect]]:
        blocks = self._blocks(ui, self.rect.width)
        total = self._content_height(ui, blocks)
        y = self.rect.centery - total // 2
        out = []
        for lines, size, bold in blocks:
            lh = ui.fonts.line_height(size, bold)
            for line in lines:
                w = ui.fonts.width(line, size, bold)
                out.append((line, size, bold, pygame.Rect(self.rect.centerx - w // 2, y, w, lh)))
                y += lh
            y += ui.px(8)
        return out

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        bg, fg, border = self._colours(ui)
        radius = ui.px(18 if self.kind != "key" else 10)
        surf.blit(_background(self.rect.size, bg, border, tuple(self.backdrop), radius, max(2, ui.px(3))),
                  self.rect.topleft)
        for line, size, bold, r in self._layout_lines(ui):
            surf.blit(ui.fonts.render(line, size, fg, bold), r.topleft)

    def text_items(self, ui: UiContext) -> list[TextItem]:
        bg, fg, _ = self._colours(ui)
        return [TextItem(line, fg, bg, r, self.rect) for line, _s, _b, r in self._layout_lines(ui)]

    def visible_text(self) -> str:
        return " ".join(t for t in (self.label, self.subtitle) if t)
