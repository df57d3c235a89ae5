"""A one-line text field typed on the on-screen keyboard or keypad.

Its value is not kept in the widget but in a store owned by the visit (see
``kiosk.shell.visit``), so rebuilding the screen (language switch, large text) keeps
what was typed and ending the visit wipes it in one place.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Unpack

import pygame

from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, UiContext
from kiosk.speech.utterance import Part, PartKind
from screens.widgets.base import TextItem, Widget, WidgetOptions
from screens.widgets.reading import punctuated
from screens.widgets.spoken import EMPTY, FIELD, texts, typed_part, words
from screens.widgets.text import wrap

BULLET = "•"


class TextField(Widget):
    interactive = True

    def __init__(self, store: MutableMapping[str, str], key: str, *, caption: str = "",
                 placeholder: str = "", max_length: int = 50, masked: bool = False,
                 allowed: Callable[[str], bool] | None = None,
                 on_change: Callable[[str], None] | None = None, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.store = store
        self.key = key
        self.caption = caption
        self.placeholder = placeholder
        self.max_length = max_length
        self.masked = masked
        self.allowed = allowed
        self.on_change = on_change
        self.focused = False
        self.error = ""
        #: How speech reads the value (a phone number in pairs…); None: guessed from ``key``.
        self.speech_kind: PartKind | None = None
        # Lines kept under the box for an error, shown or not: one from the start, more once a
        # longer message needed them. An error coming or going then moves nothing below the
        # field — least of all the keyboard, whose keys are under a finger already moving.
        self._error_room = 1

    @property
    def value(self) -> str:
        return self.store.get(self.key, "")

    def _set(self, value: str) -> None:
        self.store[self.key] = value
        self.invalidate()
        if self.on_change:
            self.on_change(value)

    def insert(self, text: str) -> bool:
        """Add typed characters; refuses (returns False) past the limit or outside the alphabet."""
        if len(self.value) + len(text) > self.max_length:
            return False
        if self.allowed is not None and not all(self.allowed(ch) for ch in text):
            return False
        self._set(self.value + text)
        return True

    def backspace(self) -> None:
        if self.value:
            self._set(self.value[:-1])

    def clear(self) -> None:
        self._set("")

    def set_error(self, message: str) -> None:
        if message != self.error:
            self.error = message
            self.invalidate()       # its room is kept under the box: drawn in place
            self.request_layout()   # unless it needs more lines than were kept
            if message and self.owner is not None:
                # said when it appears: a person who cannot see the red line would not know
                self.owner.announce(*punctuated(texts(self.caption, message)))

    def set_focused(self, focused: bool) -> None:
        if focused != self.focused:
            self.focused = focused
            self.invalidate()

    # -- layout ------------------------------------------------------------
    def _box_height(self, ui: UiContext) -> int:
        return max(ui.min_touch, ui.fonts.line_height(ui.font_px(TEXT_BODY + 6)) + ui.px(28))

    def _caption_lines(self, ui: UiContext, width: int) -> list[str]:
        if not self.caption:
            return []
        return wrap(self.caption, ui.fonts, ui.font_px(TEXT_SMALL), width, True)

    def _error_lines(self, ui: UiContext, width: int) -> list[str]:
        if not self.error:
            return []
        return wrap(self.error, ui.fonts, ui.font_px(TEXT_SMALL), width, True)

    def measure(self, ui: UiContext, width: int) -> int:
        small = ui.fonts.line_height(ui.font_px(TEXT_SMALL), True)
        self._error_room = max(self._error_room, len(self._error_lines(ui, width)))
        return (len(self._caption_lines(ui, width)) * small + self._box_height(ui)
                + self._error_room * small + ui.px(8))

    def _box(self, ui: UiContext) -> pygame.Rect:
        small = ui.fonts.line_height(ui.font_px(TEXT_SMALL), True)
        top = self.rect.top + len(self._caption_lines(ui, self.rect.width)) * small
        return pygame.Rect(self.rect.left, top, self.rect.width, self._box_height(ui))

    def _shown(self) -> tuple[str, bool]:
        if self.value:
            return (BULLET * len(self.value) if self.masked else self.value), False
        return self.placeholder, True

    def _caption_items(self, ui: UiContext) -> list[tuple[str, int, bool, str, pygame.Rect]]:
        """The caption's lines above the box, as :meth:`_items` lists them (shared with TextArea)."""
        small = ui.font_px(TEXT_SMALL)
        small_lh = ui.fonts.line_height(small, True)
        out = []
        y = self.rect.top
        for line in self._caption_lines(ui, self.rect.width):
            out.append((line, small, True, "text",
                        pygame.Rect(self.rect.left, y, ui.fonts.width(line, small, True), small_lh)))
            y += small_lh
        return out

    def _error_items(self, ui: UiContext, top: int) -> list[tuple[str, int, bool, str, pygame.Rect]]:
        """The error's lines under the box (its bottom at ``top``), as :meth:`_items` lists them."""
        small = ui.font_px(TEXT_SMALL)
        small_lh = ui.fonts.line_height(small, True)
        out = []
        for i, line in enumerate(self._error_lines(ui, self.rect.width)):
            out.append((line, small, True, "danger",
                        pygame.Rect(self.rect.left, top + i * small_lh, ui.fonts.width(line, small, True), small_lh)))
        return out

    def _items(self, ui: UiContext) -> list[tuple[str, int, bool, str, pygame.Rect]]:
        """(text, size, bold, colour role, rect) of everything written."""
        out = self._caption_items(ui)
        box = self._box(ui)
        size = ui.font_px(TEXT_BODY + 6)
        text, placeholder = self._shown()
        inner_w = box.width - 2 * ui.px(20)
        # Show the end of a long value: that is where the person is typing.
        while text and ui.fonts.width(text, size) > inner_w:
            text = text[1:]
        lh = ui.fonts.line_height(size)
        out.append((text, size, False, "muted" if placeholder else "text",
                    pygame.Rect(box.left + ui.px(20), box.centery - lh // 2, ui.fonts.width(text, size), lh)))
        return out + self._error_items(ui, box.bottom)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        t = ui.theme
        box = self._box(ui)
        pygame.draw.rect(surf, t.surface, box, border_radius=ui.px(12))
        border = t.danger if self.error else (t.focus if self.focused else t.border)
        pygame.draw.rect(surf, border, box, width=ui.px(5 if self.focused else 3), border_radius=ui.px(12))
        value_rect = None
        for text, size, bold, role, r in self._items(ui):
            surf.blit(ui.fonts.render(text, size, getattr(t, role), bold), r.topleft)
            if box.colliderect(r):
                value_rect = r
        if self.focused and value_rect is not None:
            x = value_rect.left + (value_rect.width if self.value else 0) + ui.px(3)
            pygame.draw.line(surf, t.focus, (x, box.top + ui.px(14)), (x, box.bottom - ui.px(14)), ui.px(4))

    def text_items(self, ui: UiContext) -> list[TextItem]:
        box = self._box(ui)
        out = []
        for text, _size, _bold, role, r in self._items(ui):
            inside = box.colliderect(r)
            out.append(TextItem(text, getattr(ui.theme, role), ui.theme.surface if inside else self.backdrop,
                                r, box if inside else self.rect))
        return out

    def spoken(self) -> list[Part]:
        """« Nom, champ, Martin » (the value personal: masked on a loudspeaker) or « …, vide »,
        then the error under it. The placeholder is an example, not a value: not said."""
        value = typed_part(self.key, self.value, masked=self.masked, kind=self.speech_kind) if self.value else None
        return [*texts(self.caption), *words(FIELD), *([value] if value else words(EMPTY)), *texts(self.error)]

    def visible_text(self) -> str:
        text, _ = self._shown()
        return " ".join(t for t in (self.caption, text, self.error) if t)
