"""A text field of several lines, for a description typed on the on-screen keyboard.

A one-line field shows only the end of a long text; a person describing a pothole in
three sentences wants to read back what they wrote. This one wraps the text to its width
and shows its last ``lines`` lines (the end is where one types); it keeps everything else
of :class:`TextField`: the value in the visit's store, the error under the box whose room
is kept so nothing moves, the limits.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import pygame

from kiosk.shell.ui import TEXT_BODY, UiContext
from screens.widgets.text import wrap
from screens.widgets.text_field import TextField


class TextArea(TextField):
    def __init__(self, store: MutableMapping[str, str], key: str, *, lines: int = 4, **kw: Any) -> None:
        super().__init__(store, key, **kw)
        self.lines = lines

    def _box_height(self, ui: UiContext) -> int:
        return self.lines * ui.fonts.line_height(ui.font_px(TEXT_BODY)) + ui.px(28)

    def _items(self, ui: UiContext) -> list[tuple[str, int, bool, str, pygame.Rect]]:
        out = self._caption_items(ui)
        box = self._box(ui)
        size = ui.font_px(TEXT_BODY)
        text, placeholder = self._shown()
        lh = ui.fonts.line_height(size)
        inner_w = box.width - 2 * ui.px(20)
        shown = (wrap(text, ui.fonts, size, inner_w) if text else [""])[-self.lines:]
        y = box.top + ui.px(14)
        for line in shown:
            out.append((line, size, False, "muted" if placeholder else "text",
                        pygame.Rect(box.left + ui.px(20), y, ui.fonts.width(line, size), lh)))
            y += lh
        return out + self._error_items(ui, box.bottom)
