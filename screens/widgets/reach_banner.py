"""The top of a portrait screen in low-reach mode: the town's identity, nothing to touch.

Low reach keeps every control in the lower 60 % of the screen for people in a wheelchair.
The freed top part used to repeat the screen's title in large letters — a copy of what
stands just below it, which reads as an empty band. It now shows what does not change
from screen to screen and is no copy: the town's logo (when configured) and name, and one
quiet sentence saying why everything sits lower, for whoever finds the terminal this way
(the mode is left on by the person before them until the visit ends). Nothing in it moves
with the screen, so a screen change never redraws it differently.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_TITLE, UiContext
from screens.widgets.base import Widget
from screens.widgets.label import Label
from screens.widgets.picture import Picture

LOGO_MAX_WIDTH = 280     # layout pixels: the logo is a signature here, not a poster


def reach_banner_widgets(town: str, logo: pygame.Surface | None = None) -> list[Widget]:
    """What the band shows, top to bottom (also what tests and the layout checker read)."""
    out: list[Widget] = []
    if logo is not None:
        out.append(Picture(logo, max_width=LOGO_MAX_WIDTH, id="reach-logo"))
    out.append(Label(town, size=TEXT_TITLE, bold=True, align="center", id="reach-town"))
    out.append(Label(_("The buttons are lower down, within reach."), size=TEXT_BODY, colour="muted",
                     align="center", id="reach-why"))
    return out


def draw_reach_banner(surf: pygame.Surface, ui: UiContext, area: pygame.Rect, town: str,
                      logo: pygame.Surface | None = None) -> list[Widget]:
    """Paint the band over ``area`` (a calm surface, the widgets centred) and return the widgets."""
    surf.fill(ui.theme.surface, area)
    margin, gap = ui.px(48), ui.px(24)
    width = area.width - 2 * margin
    widgets = reach_banner_widgets(town, logo)
    heights = [w.measure(ui, width) for w in widgets]
    total = sum(heights) + gap * (len(widgets) - 1)
    if total > area.height - 2 * ui.px(24) and logo is not None:     # a short band: the name is enough
        widgets, heights = widgets[1:], heights[1:]
        total = sum(heights) + gap * (len(widgets) - 1)
    y = area.top + max(0, (area.height - total) // 2)
    for widget, height in zip(widgets, heights, strict=True):
        if isinstance(widget, Label):
            widget.backdrop = ui.theme.surface
        widget.place(ui, pygame.Rect(area.left + margin, y, width, height))
        widget.draw(surf, ui)
        y += height + gap
    return widgets
