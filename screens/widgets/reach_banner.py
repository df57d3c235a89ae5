"""The top of a portrait screen in low-reach mode: where you are, nothing to touch.

Low reach keeps every control in the lower 60 % of the screen for people in
a wheelchair; the freed top part still says which screen this is.
"""

from __future__ import annotations

import pygame

from kiosk.shell.ui import UiContext
from screens.widgets.label import Label


def draw_reach_banner(surf: pygame.Surface, ui: UiContext, area: pygame.Rect, title: str) -> None:
    surf.fill(ui.theme.surface, area)
    margin = ui.px(48)
    label = Label(title, size=64, bold=True, align="center", id="reach-banner")
    label.backdrop = ui.theme.surface
    height = label.measure(ui, area.width - 2 * margin)
    label.place(ui, pygame.Rect(area.left + margin, area.centery - height // 2, area.width - 2 * margin, height))
    label.draw(surf, ui)
