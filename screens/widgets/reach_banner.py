"""The top of a portrait screen in low-reach mode: calm, nothing to touch, no copy.

Low reach keeps every control in the lower 60 % of the screen for people in a wheelchair.
The freed top part used to repeat the screen's title in large letters — a copy of what
stands just below it, which reads as an empty band. The town's name is not repeated either
(the header right under it says it). What it shows does not change from screen to screen:
the town's logo when one is configured (its identity, which the header shows small), then
why everything sits lower and how to put it back, for whoever finds the terminal this way
(the mode stays on for the rest of the visit, and a standing person may come next).
"""

from __future__ import annotations

import pygame

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_TITLE, UiContext
from screens.widgets.base import Widget
from screens.widgets.label import Label
from screens.widgets.picture import Picture

LOGO_MAX_WIDTH = 280     # layout pixels: the logo is a signature here, not a poster


def reach_banner_widgets(logo: pygame.Surface | None = None) -> list[Widget]:
    """What the band shows, top to bottom (also what tests read)."""
    out: list[Widget] = []
    if logo is not None:
        out.append(Picture(logo, max_width=LOGO_MAX_WIDTH, id="reach-logo"))
    out.append(Label(_("The buttons are lower down, within reach."), size=TEXT_TITLE - 8, bold=True,
                     align="center", id="reach-why"))
    out.append(Label(_("To put them back in their place: « Accessibility », at the bottom of the screen."),
                     size=TEXT_BODY, colour="muted", align="center", id="reach-undo"))
    return out


def draw_reach_banner(surf: pygame.Surface, ui: UiContext, area: pygame.Rect,
                      logo: pygame.Surface | None = None) -> list[Widget]:
    """Paint the band over ``area`` (a calm surface, the widgets centred) and return the widgets."""
    surf.fill(ui.theme.surface, area)
    margin, gap = ui.px(48), ui.px(24)
    width = area.width - 2 * margin
    widgets = reach_banner_widgets(logo)
    heights = [w.measure(ui, width) for w in widgets]
    total = sum(heights) + gap * (len(widgets) - 1)
    if total > area.height - 2 * ui.px(24) and logo is not None:     # a short band: the words first
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
