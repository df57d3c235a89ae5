"""Checks that a laid-out screen is usable: nothing overlaps, nothing is cut off,
every control is big enough and reachable, every text readable.

The tests run these on every screen state in both orientations, both
languages and large text; ``kiosk screenshots`` prints them too, so a
reviewer sees a problem before a citizen does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.shell.theme import contrast_ratio
from kiosk.shell.ui import UiContext
from screens.base import Screen
from screens.widgets.base import Widget
from screens.widgets.containers import ScrollView

if TYPE_CHECKING:
    from kiosk.shell.app import App

TOLERANCE = 1  # px: anti-aliasing and rounding


def _scroll_clip(widget: Widget) -> pygame.Rect | None:
    """The part of the screen through which ``widget`` is seen (its scroll views' windows)."""
    clip = None
    parent = widget.parent
    while parent is not None:
        if isinstance(parent, ScrollView):
            clip = parent.rect if clip is None else clip.clip(parent.rect)
        parent = parent.parent
    return clip


def _layers(screen: Screen) -> list[list[Widget]]:
    """Leaf widgets by layer: the screen itself, then each overlay (drawn on top)."""
    assert screen.root is not None   # a screen is built before it is shown
    layers = [[w for w in screen.root.walk() if not w.children()]]
    for overlay in screen.overlays:
        layers.append([w for w in overlay.walk() if not w.children()])
    return layers


def _seen(widget: Widget) -> pygame.Rect | None:
    clip = _scroll_clip(widget)
    if clip is None:
        return widget.rect
    seen = widget.rect.clip(clip)
    return seen if seen.width > 0 and seen.height > 0 else None


def problems(screen: Screen, ui: UiContext, viewport: pygame.Rect, *, low_reach_top: int | None = None) -> list[str]:
    out: list[str] = []

    def name(w: Widget) -> str:
        return w.id or f"{type(w).__name__}({w.visible_text()[:30]!r})"

    for layer in _layers(screen):
        shown = [(w, _seen(w)) for w in layer if w.visible and w.rect.width > 0 and w.rect.height > 0]
        seen = [(w, r) for w, r in shown if r is not None]
        for i, (a, ra) in enumerate(seen):
            for b, rb in seen[i + 1:]:
                overlap = ra.clip(rb)
                if overlap.width > TOLERANCE and overlap.height > TOLERANCE:
                    out.append(f"{name(a)} overlaps {name(b)} ({overlap.width}×{overlap.height} px)")
            if not viewport.inflate(TOLERANCE * 2, TOLERANCE * 2).contains(ra):
                out.append(f"{name(a)} is outside the screen area {tuple(viewport)}: {tuple(ra)}")
            if a.interactive:
                if a.rect.width < ui.min_touch - TOLERANCE or a.rect.height < ui.min_touch - TOLERANCE:
                    out.append(f"{name(a)} is too small to touch: {a.rect.width}×{a.rect.height} px "
                               f"(minimum {ui.min_touch})")
                if low_reach_top is not None and ra.top < low_reach_top:
                    out.append(f"{name(a)} is out of reach in low-reach mode (top {ra.top} < {low_reach_top})")
            for item in a.text_items(ui):
                if item.truncated:
                    out.append(f"{name(a)}: text cut with an ellipsis: {item.text!r}")
                if not item.box.inflate(TOLERANCE * 2, TOLERANCE * 2).contains(item.rect):
                    out.append(f"{name(a)}: text {item.text!r} overflows its box "
                               f"({tuple(item.rect)} not in {tuple(item.box)})")
                ratio = contrast_ratio(item.fg, item.bg)
                if item.text.strip() and ratio < ui.theme.min_contrast:
                    out.append(f"{name(a)}: text {item.text!r} contrast {ratio:.2f}:1 "
                               f"< {ui.theme.min_contrast}:1 ({item.fg} on {item.bg})")
    return out


def check_app(app: App) -> list[str]:
    """Problems of the app's current screen as shown now."""
    screen = app.nav.current
    assert screen is not None   # the app shows a screen once started
    low = app.viewport.top if app.viewport.top > 0 else None
    return problems(screen, app.ui, app.viewport, low_reach_top=low)
