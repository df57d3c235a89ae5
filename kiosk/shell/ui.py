"""What every widget needs to lay itself out and draw: theme, fonts, sizes.

Sizes in the code are written for a 1080-pixel-wide portrait screen and scaled
with ``px()``; text sizes also follow the large-text setting. A touch target
written as ``px(96)`` is 96 px at 1080 px width.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.shell.fonts import FontBook
from kiosk.shell.theme import Theme

LARGE_TEXT_FACTOR = 1.4
MIN_TOUCH = 80  # px at 1080 px width (design rule)


@dataclass
class UiContext:
    theme: Theme
    fonts: FontBook
    scale: float            # layout scale: min(viewport w, h) / 1080
    large_text: bool = False

    @property
    def text_scale(self) -> float:
        return self.scale * (LARGE_TEXT_FACTOR if self.large_text else 1.0)

    def px(self, value: float) -> int:
        """A layout length (margins, touch targets) scaled to this display.

        A positive length never vanishes on a small screen (at least 1 px), but zero stays zero:
        a ``gap=0`` column that became 1 px left unpainted lines between the header, the content
        and the footer, which kept whatever an earlier layout drew there."""
        if value <= 0:
            return 0
        return max(1, round(value * self.scale))

    def font_px(self, value: float) -> int:
        """A text size scaled to this display and the large-text setting."""
        return max(8, round(value * self.text_scale))

    @property
    def min_touch(self) -> int:
        return self.px(MIN_TOUCH)


# Text sizes at 1080 px (before large text); widgets pick from these.
TEXT_BODY = 36
TEXT_SMALL = 30
TEXT_BUTTON = 38
TEXT_TITLE = 54
TEXT_DISPLAY = 72
