"""A row of a list a person reads and taps: a title, detail lines, and an aside on the right.

Lists of places, events and pages need text aligned to the left (a centred button label
is hard to scan down a list) and a column for « ↗ 350 m ». The whole row is the touch
target, at least the minimum height; a row without ``on_tap`` is a plain card.
"""

from __future__ import annotations

from typing import Unpack

import pygame

from kiosk.shell.theme import RGB
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import TextItem, Widget, WidgetOptions
from screens.widgets.button import button_shape
from screens.widgets.icons import Icon, draw_icon
from screens.widgets.spoken import BUTTON, texts, words
from screens.widgets.text import wrap

_PAD = 24
_MIN_HEIGHT = 112
_ASIDE_GAP = 20

# (lines, font size, bold) of the title or of one detail.
_Block = tuple[list[str], int, bool]


class ListRow(Widget):
    def __init__(self, title: str, details: list[str] | tuple[str, ...] = (), *,
                 aside: tuple[str, ...] = (), aside_icon: Icon | None = None,
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.interactive = self.on_tap is not None
        self.title = title
        self.details = [d for d in details if d]
        self.aside = tuple(a for a in aside if a)   # e.g. ("↗", "350 m"): big first line, small second
        self.aside_icon = aside_icon                # drawn above the aside's lines (« here »: a location mark)

    # -- geometry ------------------------------------------------------------
    def _aside_blocks(self, ui: UiContext) -> list[tuple[str, int, bool]]:
        first, others = ui.font_px(TEXT_BODY + 12), ui.font_px(TEXT_SMALL)
        big = 0 if self.aside_icon is None else -1     # an icon stands in for the big first line
        return [(text, first if i == big else others, i == big) for i, text in enumerate(self.aside)]

    def _aside_icon_px(self, ui: UiContext) -> int:
        return ui.fonts.line_height(ui.font_px(TEXT_BODY + 12), True) if self.aside_icon is not None else 0

    def _aside_width(self, ui: UiContext) -> int:
        blocks = self._aside_blocks(ui)
        if not blocks and self.aside_icon is None:
            return 0
        return max([ui.fonts.width(t, s, b) for t, s, b in blocks] + [self._aside_icon_px(ui)]) + ui.px(_ASIDE_GAP)

    def _blocks(self, ui: UiContext, width: int) -> list[_Block]:
        inner = max(1, width - 2 * ui.px(_PAD) - self._aside_width(ui))
        title_size, detail_size = ui.font_px(TEXT_BODY), ui.font_px(TEXT_SMALL)
        blocks = [(wrap(self.title, ui.fonts, title_size, inner, True), title_size, True)]
        blocks += [(wrap(d, ui.fonts, detail_size, inner), detail_size, False) for d in self.details]
        return blocks

    def _text_height(self, ui: UiContext, blocks: list[_Block]) -> int:
        return sum(len(lines) * ui.fonts.line_height(size, bold) for lines, size, bold in blocks) \
            + ui.px(6) * (len(blocks) - 1)

    def measure(self, ui: UiContext, width: int) -> int:
        aside = sum(ui.fonts.line_height(s, b) for _t, s, b in self._aside_blocks(ui)) + self._aside_icon_px(ui)
        content = max(self._text_height(ui, self._blocks(ui, width)), aside)
        return max(ui.px(_MIN_HEIGHT), ui.min_touch, content + 2 * ui.px(_PAD) * 3 // 4)

    def min_width(self, ui: UiContext) -> int:
        words = (self.title + " " + " ".join(self.details)).split(" ")
        widest = max((ui.fonts.width(w, ui.font_px(TEXT_BODY), True) for w in words if w), default=0)
        return max(ui.min_touch, widest + self._aside_width(ui) + 2 * ui.px(_PAD))

    def _lines(self, ui: UiContext) -> list[tuple[str, int, bool, str, pygame.Rect]]:
        """(text, size, bold, colour name, where) for every line, title and details then aside."""
        out = []
        blocks = self._blocks(ui, self.rect.width)
        y = self.rect.centery - self._text_height(ui, blocks) // 2
        x = self.rect.left + ui.px(_PAD)
        for lines, size, bold in blocks:
            lh = ui.fonts.line_height(size, bold)
            for line in lines:
                out.append((line, size, bold, "text" if bold else "muted",
                            pygame.Rect(x, y, ui.fonts.width(line, size, bold), lh)))
                y += lh
            y += ui.px(6)
        aside = self._aside_blocks(ui)
        if aside:
            column_w = self._aside_width(ui) - ui.px(_ASIDE_GAP)
            centre = self.rect.right - ui.px(_PAD) - column_w // 2
            y = self.rect.centery - (sum(ui.fonts.line_height(s, b) for _t, s, b in aside)
                                     + self._aside_icon_px(ui)) // 2 + self._aside_icon_px(ui)
            for text, size, bold in aside:
                w, lh = ui.fonts.width(text, size, bold), ui.fonts.line_height(size, bold)
                out.append((text, size, bold, "text", pygame.Rect(centre - w // 2, y, w, lh)))
                y += lh
        return out

    # -- drawing -------------------------------------------------------------
    def _bg(self, ui: UiContext) -> RGB:
        t = ui.theme
        return t.pressed if self.pressed else t.surface

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        t = ui.theme
        surf.blit(button_shape(self.rect.size, self._bg(ui), t.border if self.interactive else None,
                              tuple(self.backdrop), ui.px(18), max(2, ui.px(3))), self.rect.topleft)
        for text, size, bold, colour, where in self._lines(ui):
            fg = t.text if self.pressed and t.name == "high_contrast" else getattr(t, colour)
            surf.blit(ui.fonts.render(text, size, fg, bold), where.topleft)
        if self.aside_icon is not None:
            side = self._aside_icon_px(ui)
            column_w = self._aside_width(ui) - ui.px(_ASIDE_GAP)
            aside_h = side + sum(ui.fonts.line_height(s, b) for _t, s, b in self._aside_blocks(ui))
            draw_icon(surf, self.aside_icon, side, t.text, (self.rect.right - ui.px(_PAD) - column_w // 2,
                                                            self.rect.centery - aside_h // 2 + side // 2))

    def text_items(self, ui: UiContext) -> list[TextItem]:
        bg = self._bg(ui)
        return [TextItem(text, getattr(ui.theme, colour), bg, where, self.rect)
                for text, _s, _b, colour, where in self._lines(ui)]

    def visible_text(self) -> str:
        return " ".join([self.title, *self.details, *self.aside])

    def spoken(self) -> list[Part]:
        """Title, details, then the aside without its arrow (« 350 m »), and « bouton » when it opens something."""
        aside = [a for a in self.aside if any(ch.isalnum() for ch in a)]
        return [*texts(self.title, *self.details, *aside), *(words(BUTTON) if self.interactive else [])]


class PairRow(Widget):
    """Two columns of text — « mer. 2 déc. | 8 h 30 – 12 h, 13 h 30 – 17 h » — the left one a fixed
    share of the width so the rows of a table line up; ``highlight`` puts it on a panel, in bold."""

    def __init__(self, left: str, right: str, *, highlight: bool = False, left_share: float = 0.36,
                 **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.left, self.right = left, right
        self.highlight = highlight
        self.left_share = left_share

    def _columns(self, ui: UiContext, width: int) -> tuple[int, int, int]:
        pad, gap = ui.px(12), ui.px(16)
        left_w = int((width - 2 * pad - gap) * self.left_share)
        return pad, left_w, max(1, width - 2 * pad - gap - left_w)

    def _wrapped(self, ui: UiContext, width: int) -> tuple[list[str], list[str], int, int]:
        size = ui.font_px(TEXT_BODY)
        _pad, left_w, right_w = self._columns(ui, width)
        left = wrap(self.left, ui.fonts, size, left_w, self.highlight)
        right = wrap(self.right, ui.fonts, size, right_w, self.highlight)
        return left, right, size, ui.fonts.line_height(size, self.highlight)

    def measure(self, ui: UiContext, width: int) -> int:
        left, right, _size, lh = self._wrapped(ui, width)
        return max(len(left), len(right)) * lh + 2 * ui.px(10)

    def min_width(self, ui: UiContext) -> int:
        size = ui.font_px(TEXT_BODY)
        words = (self.left + " " + self.right).split(" ")
        widest = max((ui.fonts.width(w, size, self.highlight) for w in words if w), default=0)
        return int(widest / min(self.left_share, 1 - self.left_share)) + ui.px(40)

    def _lines(self, ui: UiContext) -> list[tuple[str, int, pygame.Rect]]:
        left, right, size, lh = self._wrapped(ui, self.rect.width)
        pad, left_w, _right_w = self._columns(ui, self.rect.width)
        out = []
        for column, x in ((left, self.rect.left + pad), (right, self.rect.left + pad + left_w + ui.px(16))):
            y = self.rect.top + ui.px(10)
            for line in column:
                out.append((line, size, pygame.Rect(x, y, ui.fonts.width(line, size, self.highlight), lh)))
                y += lh
        return out

    def _bg(self, ui: UiContext) -> RGB:
        return ui.theme.surface if self.highlight else self.backdrop

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        if self.highlight:
            pygame.draw.rect(surf, ui.theme.surface, self.rect, border_radius=ui.px(12))
        for text, size, where in self._lines(ui):
            surf.blit(ui.fonts.render(text, size, ui.theme.text, self.highlight), where.topleft)

    def text_items(self, ui: UiContext) -> list[TextItem]:
        return [TextItem(text, ui.theme.text, self._bg(ui), where, self.rect) for text, _s, where in self._lines(ui)]

    def visible_text(self) -> str:
        return f"{self.left} {self.right}"

    def spoken(self) -> list[Part]:
        """« mer. 2 déc. : 8 h 30 – 12 h »: the pause of a colon between the columns."""
        return texts(f"{self.left}:" if self.left and self.right else self.left, self.right)
