"""The demo town's crest, drawn by code: Saint-Clément-des-Vignes has no real coat of arms.

An original, simple emblem in the manner of French municipal arms: a shield (« écu ») cut in
two — above, on the town's blue, the anchor of Saint Clément (the saint's usual attribute);
below, on vine green, a bunch of grapes for « des Vignes » — edged in gold and white so that
it stands out on the blue header band as well as on white paper and, dithered, on a thermal
ticket. Shapes are few and bold so the crest still reads at 64 px.

``python -m kiosk.devtools.demo_logo`` writes ``kiosk/devtools/demo_logo.png``, which the
screenshot gallery configures as the demo town's logo (a real terminal sets its own in
``[branding] logo``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pygame

DEMO_LOGO = Path(__file__).with_name("demo_logo.png")

BLUE = (29, 78, 137)
GREEN = (46, 110, 58)
GOLD = (232, 184, 48)
GRAPE = (106, 44, 112)
WHITE = (255, 255, 255)
INK = (24, 24, 40)


def _shield(w: float, h: float, inset: float) -> list[tuple[float, float]]:
    """A French shield: straight top and sides, then two arcs meeting in a point at the bottom."""
    left, right, top = inset, w - inset, inset
    side_bottom = h * 0.55
    points = [(left, top), (right, top), (right, side_bottom)]
    tip = (w / 2, h - inset)
    steps = 24
    for i in range(1, steps + 1):           # right arc down to the tip
        t = i / steps
        x = right + (tip[0] - right) * (1 - math.cos(t * math.pi / 2))
        y = side_bottom + (tip[1] - side_bottom) * math.sin(t * math.pi / 2)
        points.append((x, y))
    for i in range(steps - 1, -1, -1):      # and the left one back up, mirrored
        x, y = points[3 + i]
        points.append((w - x, y))
    return points


def _anchor(surf: pygame.Surface, cx: float, cy: float, s: float, colour: tuple[int, int, int]) -> None:
    """Saint Clément's anchor: a ring, a shank, a stock, and two curved arms with flukes."""
    lw = max(2, round(s * 0.09))
    pygame.draw.circle(surf, colour, (cx, cy - s * 0.78), s * 0.16, lw)
    pygame.draw.line(surf, colour, (cx, cy - s * 0.62), (cx, cy + s * 0.62), lw)
    pygame.draw.line(surf, colour, (cx - s * 0.34, cy - s * 0.42), (cx + s * 0.34, cy - s * 0.42), lw)
    arc = pygame.Rect(0, 0, s * 1.3, s * 1.0)
    arc.center = (round(cx), round(cy + s * 0.12))
    pygame.draw.arc(surf, colour, arc, math.pi * 1.05, math.pi * 1.95, lw)
    for side in (-1, 1):
        tip = (cx + side * s * 0.64, cy + s * 0.18)
        pygame.draw.polygon(surf, colour, [tip, (tip[0] - side * s * 0.06, tip[1] - s * 0.26),
                                           (tip[0] + side * s * 0.14, tip[1] - s * 0.04)])


def _grapes(surf: pygame.Surface, cx: float, cy: float, s: float) -> None:
    """A bunch of grapes: rows of berries narrowing downwards, a stalk and a leaf."""
    r = s * 0.13
    pygame.draw.line(surf, GOLD, (cx, cy - s * 0.62), (cx + s * 0.08, cy - s * 0.86), max(2, round(s * 0.07)))
    leaf = [(cx + s * 0.06, cy - s * 0.66), (cx + s * 0.42, cy - s * 0.86), (cx + s * 0.58, cy - s * 0.62),
            (cx + s * 0.36, cy - s * 0.5)]
    pygame.draw.polygon(surf, GOLD, leaf)
    rows = (4, 3, 3, 2, 1)
    for row, count in enumerate(rows):
        y = cy - s * 0.42 + row * r * 1.75
        for k in range(count):
            x = cx + (k - (count - 1) / 2) * r * 2.05
            pygame.draw.circle(surf, WHITE, (x, y), r * 1.12)
            pygame.draw.circle(surf, GRAPE, (x, y), r)


def draw_crest(height: int = 480) -> pygame.Surface:
    """The crest on a transparent background, ``height`` px tall (width 5/6 of it)."""
    ss = 4                                   # drawn 4× larger, then scaled down: smooth edges
    w, h = height * 5 // 6 * ss, height * ss
    big = pygame.Surface((w, h), pygame.SRCALPHA)
    big.fill((0, 0, 0, 0))
    pygame.draw.polygon(big, WHITE, _shield(w, h, 0))
    pygame.draw.polygon(big, GOLD, _shield(w, h, w * 0.035))
    inner = _shield(w, h, w * 0.075)
    field = pygame.Surface((w, h), pygame.SRCALPHA)
    field.fill((0, 0, 0, 0))
    pygame.draw.polygon(field, WHITE, inner)
    halves = pygame.Surface((w, h), pygame.SRCALPHA)
    halves.fill(BLUE, pygame.Rect(0, 0, w, h * 0.46))
    halves.fill(GREEN, pygame.Rect(0, h * 0.46, w, h))
    halves.fill(GOLD, pygame.Rect(0, h * 0.445, w, h * 0.035))          # the gold line between them
    halves.blit(field, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)     # keep only what is inside
    big.blit(halves, (0, 0))
    _anchor(big, w / 2, h * 0.27, h * 0.21, GOLD)
    _grapes(big, w / 2, h * 0.73, h * 0.24)
    return pygame.transform.smoothscale(big, (w // ss, h // ss))


def main() -> None:
    pygame.init()
    pygame.image.save(draw_crest(), str(DEMO_LOGO))
    print(f"wrote {DEMO_LOGO}")


if __name__ == "__main__":
    main()
