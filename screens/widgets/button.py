"""Buttons sized for fingers: primary, secondary, tile and keyboard key.

A button is never smaller than the minimum touch target, grows to fit its
label (wrapped, never cut), and shows its pressed state as soon as a finger
lands on it. ``selected`` marks a toggle that is on (shown by colour and by a
check mark, not by colour alone).

Icons come from ``screens.widgets.icons`` (an ``Icon`` names a meaning): beside the label on
buttons, above it on tiles. A tile looks like a public service's: on a light card, a large icon
in the town's colour, the title, a quieter subtitle and an accent bar in the town's colour along
its bottom edge, which thickens while a finger is on it (with the pressed background).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Unpack

import pygame

from kiosk.i18n import gettext_in
from kiosk.shell.theme import RGB
from kiosk.shell.ui import TEXT_BODY, TEXT_BUTTON, TEXT_SMALL, UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import TextItem, Widget, WidgetOptions
from screens.widgets.icons import Icon, draw_icon, icons_available
from screens.widgets.spoken import BUTTON, SELECTED, UNAVAILABLE, key_name, label_words, texts, words
from screens.widgets.text import wrap

NBSP = "\u00a0"
TILE_ICON = 84          # layout pixels (before large text) of a tile's icon
ICON_GAP = 14           # between an inline icon and its label

_MIN_HEIGHT = {"primary": 112, "secondary": 96, "tile": 200, "key": 96}
_PAD = {"primary": 28, "secondary": 24, "tile": 24, "key": 6}

# (lines, font size, bold) of one block of text: the label or the subtitle.
_Block = tuple[list[str], int, bool]
_Line = tuple[str, int, bool, pygame.Rect]            # text, font size, bold, where
_IconSpot = tuple[Icon, int, tuple[int, int]]         # icon, side, centre
# What a button's measurements depend on: see ``Button._key``.
_MeasureKey = tuple[int, int | None, str, str | None, bool, Icon | None, int, bool]


@lru_cache(maxsize=160)
def button_shape(size: tuple[int, int], bg: RGB, border: RGB | None, backdrop: tuple[int, ...], radius: int,
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

    def __init__(self, label: str, *, kind: str = "secondary", icon: Icon | None = None,
                 subtitle: str | None = None, selected: bool = False, size: int | None = None,
                 min_height: int | None = None, stack_icon: bool = False, icon_only: bool = False,
                 about: str | None = None, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        # What the button is about, said after its label but not shown: the eye sees which row a
        # « Modifier » stands in, the ear needs « Modifier, Date et heure ».
        self.about = about
        # A key too small for a word (erase, capitals) shows its icon alone; the label is still its
        # name (read aloud, found by tests), and is drawn instead when the icon font is missing.
        self.icon_only = icon_only and icon is not None and icons_available()
        self.stack_icon = stack_icon or kind == "tile" or self.icon_only   # icon on its own line, above the label
        self.label = label
        self.kind = kind
        self.icon = icon
        self.subtitle = subtitle
        self.selected = selected
        #: The language this button is said in when not the visit's: the language switch says
        #: « English » in English, so a person who does not understand French hears it.
        self.spoken_language: str | None = None
        self.size = size or (TEXT_BUTTON if kind != "key" else TEXT_BODY + 4)
        self._min_height = min_height if min_height is not None else _MIN_HEIGHT[kind]
        self._measures: dict[_MeasureKey, int] = {}

    # -- content -----------------------------------------------------------
    def _lead_icon(self) -> Icon | None:
        """The icon drawn beside the label: the check mark of a toggle that is on, else the
        button's own icon (a tile's stands above its label instead)."""
        if self.selected and self.kind != "key":   # a key shows its state by what it does (upper case)
            return Icon.CHECK
        return None if self.stack_icon else self.icon

    def _icon_px(self, ui: UiContext) -> int:
        """The side of the inline icon: a little taller than the label's capitals."""
        return round(ui.font_px(self.size) * 1.2)

    def _stacked_px(self, ui: UiContext) -> int:
        if self.icon_only:
            return round(ui.font_px(self.size) * 1.5)
        return ui.font_px(TILE_ICON if self.kind == "tile" else self.size + 10)

    def _text_inner(self, ui: UiContext, width: int) -> int:
        inner = max(1, width - 2 * ui.px(_PAD[self.kind]))
        if self._lead_icon() is not None:
            inner = max(1, inner - self._icon_px(ui) - ui.px(ICON_GAP))
        return inner

    def _blocks(self, ui: UiContext, width: int) -> list[_Block]:
        """(lines, font size, bold) for the label and the subtitle."""
        if self.icon_only:
            return []
        inner = self._text_inner(ui, width)
        size = ui.font_px(self.size)
        bold = self.kind != "key"
        blocks: list[_Block] = [(wrap(self.label, ui.fonts, size, inner, bold), size, bold)]
        if self.subtitle:
            sub = ui.font_px(TEXT_SMALL)
            blocks.append((wrap(self.subtitle, ui.fonts, sub, inner), sub, False))
        return blocks

    def _top_icon_height(self, ui: UiContext) -> int:
        if self.icon is None or not self.stack_icon:
            return 0
        return self._stacked_px(ui) + (0 if self.icon_only else ui.px(8))

    def _content_height(self, ui: UiContext, blocks: list[_Block]) -> int:
        gap = ui.px(8)
        text = sum(len(lines) * ui.fonts.line_height(s, b) for lines, s, b in blocks) + gap * max(0, len(blocks) - 1)
        return self._top_icon_height(ui) + text

    def _key(self, ui: UiContext, width: int | None) -> _MeasureKey:
        # Layout measures a button several times per frame; its answer only depends on these.
        return (id(ui), width, self.label, self.subtitle, self.selected, self.icon, self.size, self.stack_icon)

    def measure(self, ui: UiContext, width: int) -> int:
        key = self._key(ui, width)
        cached = self._measures.get(key)
        if cached is None:
            content = self._content_height(ui, self._blocks(ui, width))
            accent = ui.px(14) if self.kind == "tile" else 0     # room for the accent bar, even pressed
            pad = _PAD[self.kind] * (1.0 if self.kind == "tile" else 0.6)   # a tile's icon needs air above it
            cached = max(ui.px(self._min_height), ui.min_touch, content + 2 * ui.px(pad) + accent)
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
        words = [] if self.icon_only else self.label.split(" ") + (self.subtitle or "").split(" ")
        widest = max(ui.fonts.width(w, size, bold) for w in words if w) if any(words) else 0
        if self._lead_icon() is not None:
            widest += self._icon_px(ui) + ui.px(ICON_GAP)
        if self.icon is not None and self.stack_icon:
            widest = max(widest, self._stacked_px(ui))
        return max(ui.min_touch, widest + 2 * ui.px(_PAD[self.kind]))

    def fits_inline(self, ui: UiContext, width: int) -> bool:
        """Would icon and label fit side by side on one line at this width?"""
        lead = self._icon_px(ui) + ui.px(ICON_GAP) if self.icon is not None else 0
        return lead + ui.fonts.width(self.label, ui.font_px(self.size), True) + 2 * ui.px(_PAD[self.kind]) <= width

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
    def _layout_lines(self, ui: UiContext) -> list[_Line]:
        return self._layout(ui)[0]

    def _layout(self, ui: UiContext) -> tuple[list[_Line], list[_IconSpot]]:
        """Where each line of text goes, and each icon (icon, side, centre)."""
        blocks = self._blocks(ui, self.rect.width)
        total = self._content_height(ui, blocks)
        y = self.rect.centery - total // 2 - (ui.px(7) if self.kind == "tile" else 0)   # above the accent bar
        icons: list[_IconSpot] = []
        if self.icon is not None and self.stack_icon:
            side = self._stacked_px(ui)
            icons.append((self.icon, side, (self.rect.centerx, y + side // 2)))
            y += self._top_icon_height(ui)
        lead = self._lead_icon()
        lead_w = self._icon_px(ui) + ui.px(ICON_GAP) if lead is not None else 0
        widest = max((ui.fonts.width(line, size, bold) for lines, size, bold in blocks for line in lines), default=0)
        # The icon and the text stand together, centred; lines are centred within the text's column.
        column_x = self.rect.centerx - (lead_w + widest) // 2 + lead_w
        out = []
        for index, (lines, size, bold) in enumerate(blocks):
            lh = ui.fonts.line_height(size, bold)
            if index == 0 and lead is not None:
                icons.append((lead, self._icon_px(ui), (column_x - lead_w + self._icon_px(ui) // 2, y + lh // 2)))
            for line in lines:
                w = ui.fonts.width(line, size, bold)
                x = column_x + (widest - w) // 2 if lead is not None else self.rect.centerx - w // 2
                out.append((line, size, bold, pygame.Rect(x, y, w, lh)))
                y += lh
            y += ui.px(8)
        return out, icons

    def _accent(self, ui: UiContext) -> int:
        """Height of a tile's accent bar (none on other kinds): thicker while pressed."""
        if self.kind != "tile" or not self.enabled:
            return 0
        return ui.px(14 if self.pressed else 8)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        bg, fg, border = self._colours(ui)
        radius = ui.px(18 if self.kind != "key" else 10)
        surf.blit(button_shape(self.rect.size, bg, border, tuple(self.backdrop), radius, max(2, ui.px(3))),
                  self.rect.topleft)
        accent = self._accent(ui)
        if accent:
            bar = pygame.Rect(self.rect.left, self.rect.bottom - accent - radius, self.rect.width, accent + radius)
            clip = surf.get_clip()
            surf.set_clip(pygame.Rect(self.rect.left, self.rect.bottom - accent, self.rect.width, accent).clip(clip))
            pygame.draw.rect(surf, ui.theme.primary, bar, border_radius=radius)
            surf.set_clip(clip)
        lines, icons = self._layout(ui)
        icon_colour = ui.theme.primary if self.kind == "tile" and not self.selected and self.enabled else fg
        for icon, side, centre in icons:
            draw_icon(surf, icon, side, fg if icon is not self.icon else icon_colour, centre)
        for line, size, bold, r in lines:
            surf.blit(ui.fonts.render(line, size, fg, bold), r.topleft)

    def text_items(self, ui: UiContext) -> list[TextItem]:
        bg, fg, _ = self._colours(ui)
        return [TextItem(line, fg, bg, r, self.rect) for line, _s, _b, r in self._layout_lines(ui)]

    def visible_text(self) -> str:
        return " ".join(t for t in (self.label, self.subtitle) if t)

    def spoken(self) -> list[Part]:
        """« Prendre rendez-vous, Choisir un jour et une heure, bouton », then « sélectionné » or
        « indisponible ». A key says its character alone (« A », « apostrophe »): typing a name
        letter by letter, the role after each would be noise."""
        if self.spoken_language is not None:
            return [*texts(self.label), Part(gettext_in(self.spoken_language, BUTTON))]
        state = words(SELECTED if self.selected else "", UNAVAILABLE if not self.enabled else "")
        if self.kind == "key":
            return [*texts(key_name(self.label)), *state]
        name = f"{label_words(self.label)}, {self.about}" if self.about else label_words(self.label)
        return [*texts(name, self.subtitle), *words(BUTTON), *state]   # the name first: the actions list says it
