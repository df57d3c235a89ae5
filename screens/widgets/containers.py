"""Containers that lay children out for any screen size without overlap.

Column stacks children; Row puts them side by side and wraps onto more lines
when they would not fit (long labels, large text); Grid makes equal tiles;
ScrollView lets content taller than the screen scroll, so nothing is cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict, Unpack

import pygame

from kiosk.i18n import N_
from kiosk.shell.theme import RGB
from kiosk.shell.ui import UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import Widget, WidgetOptions, theme_colour
from screens.widgets.button import Button
from screens.widgets.spoken import words


class ContainerOptions(WidgetOptions, total=False):
    """The keyword arguments of every container, passed on to ``Container.__init__``."""

    gap: int
    padding: int
    bg: str | None


class PanelOptions(TypedDict, total=False):
    """What the caller of a ready-made panel (a keyboard, a keypad) may still set: it picks
    its own id, gap and width."""

    on_tap: Callable[[], object] | None   # what it returns is ignored
    flex: float
    padding: int
    bg: str | None


class Container(Widget):
    def __init__(self, items: Sequence[Widget], *, gap: int = 24, padding: int = 0,
                 bg: str | None = None, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.items: list[Widget] = list(items)
        for child in self.items:
            child.parent = self
        self.gap = gap
        self.padding = padding
        self.bg = bg  # a theme attribute name, e.g. "surface"

    def children(self) -> Sequence[Widget]:
        return [c for c in self.items if c.visible]

    def _inner(self, ui: UiContext, rect: pygame.Rect) -> pygame.Rect:
        p = ui.px(self.padding)
        return rect.inflate(-2 * p, -2 * p)

    def _child_backdrop(self, ui: UiContext) -> RGB:
        return theme_colour(ui.theme, self.bg) if self.bg else self.backdrop

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        if self.bg:
            pygame.draw.rect(surf, getattr(ui.theme, self.bg), self.rect, border_radius=ui.px(16))
        clip = surf.get_clip()
        for child in self.children():
            child.backdrop = self._child_backdrop(ui)
            if child.rect.colliderect(clip):  # skip what a scrolled list hides
                child.draw(surf, ui)

    def min_width(self, ui: UiContext) -> int:
        return max((c.min_width(ui) for c in self.children()), default=0) + 2 * ui.px(self.padding)


class Column(Container):
    """Children top to bottom; ``flex`` children share the height left over.

    ``max_width`` (at 1080 px scale) keeps a column from stretching across a
    wide landscape screen: it is centred in the width it is given.
    """

    def __init__(self, items: Sequence[Widget], *, max_width: int | None = None,
                 **kw: Unpack[ContainerOptions]) -> None:
        super().__init__(items, **kw)
        self.max_width = max_width

    def _narrowed(self, ui: UiContext, rect: pygame.Rect) -> pygame.Rect:
        if self.max_width is None or rect.width <= ui.px(self.max_width):
            return pygame.Rect(rect)
        width = ui.px(self.max_width)
        return pygame.Rect(rect.centerx - width // 2, rect.top, width, rect.height)

    def measure(self, ui: UiContext, width: int) -> int:
        kids = self.children()
        if self.max_width is not None:
            width = min(width, ui.px(self.max_width))
        inner_w = width - 2 * ui.px(self.padding)
        total = sum(c.measure(ui, inner_w) for c in kids) + ui.px(self.gap) * max(0, len(kids) - 1)
        return total + 2 * ui.px(self.padding)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = self._narrowed(ui, rect)
        inner = self._inner(ui, self.rect)
        kids = self.children()
        gap = ui.px(self.gap)
        # Flexible children (a scrolling content area) take only what the others leave.
        heights = [0 if c.flex else c.measure(ui, inner.width) for c in kids]
        spare = inner.height - sum(heights) - gap * max(0, len(kids) - 1)
        flex_total = sum(c.flex for c in kids)
        if flex_total:
            heights = [max(0, int(spare * c.flex / flex_total)) if c.flex else h
                       for c, h in zip(kids, heights, strict=True)]
        y = inner.top
        for child, h in zip(kids, heights, strict=True):
            child.backdrop = self._child_backdrop(ui)
            child.place(ui, pygame.Rect(inner.left, y, inner.width, h))
            y += h + gap


class KeyPanel(Column):
    """A keyboard or keypad: rows of keys the screen keeps whole on screen, below the field
    typed into (see ``Screen.dock``).

    ``compact`` keys are the minimum touch size instead of the roomier default: the screen
    asks for them when the space left above the keys would not show the field being typed
    into (landscape, low reach, large text).
    """

    typing_panel = True
    arrow_grid = True   # the keypad's up and down go to the key above or below (kiosk.shell.focus)
    COMPACT_KEY = 80   # px at 1080 scale: the minimum touch target
    #: Read as its name when the screen is read; its keys one by one only under the keypad's focus.
    summarised = True
    speech_name = N_("on-screen keyboard")

    compact = False
    action: Widget | None = None   # the screen's main action, at the end of the last row

    def _rows(self) -> list[Widget]:
        raise NotImplementedError

    def spoken(self) -> list[Part]:
        return words(self.speech_name)

    def key_height(self, roomy: int) -> int:
        return self.COMPACT_KEY if self.compact else roomy

    def set_compact(self, compact: bool) -> bool:
        """Switch key size; True when it changed (the screen lays itself out again)."""
        if compact == self.compact:
            return False
        self.compact = compact
        self._rebuild()
        return True

    def set_action(self, action: Widget) -> None:
        """End the last row of keys with the screen's main action: where the height is too
        short for both the keys and a button of its own (low reach with large text)."""
        self.action = action
        if isinstance(action, Button):
            action._min_height = self.key_height(96)   # no taller than the keys it stands with
        self._rebuild()

    def _rebuild(self) -> None:
        self.items = self._rows()
        last = self.items[-1] if self.items else None
        if self.action is not None and isinstance(last, Row):
            last.items.append(self.action)
            last.weighted = True   # « Continuer » needs more width than « 123 »
        for row in self.items:
            row.parent = self
            for child in row.children():
                child.parent = row
        for w in self.walk():
            w.owner = self.owner
        self.request_layout()
        self.invalidate()


class Dock(Widget):
    """What stays put between the scrolling content and the footer: a keyboard or keypad and
    the screen's main action, so neither ever needs scrolling to and the keys never move.

    ``side`` (the main action, or a screen's live results) goes beside the keys when the
    screen is wide enough for both, else below them. A ``fill`` side takes the dock's whole
    height beside keys given half the width (results as one types); otherwise it sits at the
    bottom right, where the thumb ends after the last key.
    """

    TIGHT_PADDING = 4   # px at 1080 scale, when the screen is short of height for typing

    def __init__(self, panel: Widget | None, side: Widget | None = None, *, fill: bool = False,
                 gap: int = 24, padding: int = 24, id: str = "dock") -> None:
        super().__init__(id=id)
        self.panel, self.side, self.fill = panel, side, fill
        for child in self.children():
            child.parent = self
        self.gap, self.padding = gap, padding

    def children(self) -> Sequence[Widget]:
        return [c for c in (self.panel, self.side) if c is not None and c.visible]

    def _panel_width(self, ui: UiContext, inner_w: int) -> int:
        if self.panel is None:
            return 0
        if self.fill and self.side is not None:
            return (inner_w - ui.px(self.gap)) // 2
        limit = getattr(self.panel, "max_width", None)
        return min(inner_w, ui.px(limit)) if limit else inner_w

    def _beside(self, ui: UiContext, inner_w: int) -> bool:
        if self.panel is None or self.side is None:
            return False
        room = inner_w - self._panel_width(ui, inner_w) - ui.px(self.gap)
        return room >= max(self.side.min_width(ui), ui.px(300))

    def measure(self, ui: UiContext, width: int) -> int:
        inner_w = width - 2 * ui.px(self.padding)
        panel_w = self._panel_width(ui, inner_w)
        ph = self.panel.measure(ui, panel_w) if self.panel else 0
        if self.side is None:
            return ph + 2 * ui.px(self.padding)
        if self._beside(ui, inner_w):
            side_w = inner_w - panel_w - ui.px(self.gap)
            h = ph if self.fill else max(ph, self.side.measure(ui, side_w))
            return h + 2 * ui.px(self.padding)
        sh = self.side.measure(ui, inner_w)
        return ph + sh + (ui.px(self.gap) if self.panel else 0) + 2 * ui.px(self.padding)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        p = ui.px(self.padding)
        inner = self.rect.inflate(-2 * p, -2 * p)
        gap = ui.px(self.gap)
        panel_w = self._panel_width(ui, inner.width)
        for child in self.children():
            child.backdrop = self.backdrop
        if self.side is None or self.panel is None:
            only = self.panel or self.side
            assert only is not None   # a dock holds at least one thing
            only.place(ui, pygame.Rect(inner.centerx - panel_w // 2 if self.panel else inner.left, inner.top,
                                       panel_w if self.panel else inner.width, only.measure(ui, inner.width)))
            return
        ph = self.panel.measure(ui, panel_w)
        if self._beside(ui, inner.width):
            side_w = inner.width - panel_w - gap
            if self.fill:
                self.panel.place(ui, pygame.Rect(inner.left, inner.top, panel_w, ph))
                self.side.place(ui, pygame.Rect(inner.right - side_w, inner.top, side_w, inner.height))
            else:
                # Keys centred when the side fits in the margin, else pushed left to make room.
                needed = max(self.side.min_width(ui), ui.px(300))
                left = max(inner.left, min(inner.centerx - panel_w // 2, inner.right - needed - gap - panel_w))
                self.panel.place(ui, pygame.Rect(left, inner.top, panel_w, ph))
                sh = self.side.measure(ui, inner.right - self.panel.rect.right - gap)
                self.side.place(ui, pygame.Rect(self.panel.rect.right + gap, inner.bottom - sh,
                                                inner.right - self.panel.rect.right - gap, sh))
            return
        self.panel.place(ui, pygame.Rect(inner.centerx - panel_w // 2, inner.top, panel_w, ph))
        sh = self.side.measure(ui, inner.width)
        self.side.place(ui, pygame.Rect(inner.left, inner.top + ph + gap, inner.width, sh))

    def merge_side(self, ui: UiContext) -> bool:
        """Put a main action that would sit below the keys into their last row instead; True
        when done (the screen lays itself out again)."""
        if not isinstance(self.panel, KeyPanel) or self.side is None or self.fill \
                or self._beside(ui, self.rect.width - 2 * ui.px(self.padding)):
            return False
        self.panel.set_action(self.side)
        self.side = None
        return True

    def min_width(self, ui: UiContext) -> int:
        return max((c.min_width(ui) for c in self.children()), default=0) + 2 * ui.px(self.padding)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        surf.fill(self.backdrop, self.rect)
        pygame.draw.line(surf, ui.theme.border, self.rect.topleft, self.rect.topright, ui.px(2))
        clip = surf.get_clip()
        for child in self.children():
            child.backdrop = self.backdrop
            if child.rect.colliderect(clip):
                child.draw(surf, ui)


class Row(Container):
    """Children side by side in equal widths, wrapping onto more lines when too narrow."""

    def __init__(self, items: Sequence[Widget], *, max_per_line: int | None = None, wrap: bool = True,
                 **kw: Unpack[ContainerOptions]) -> None:
        super().__init__(items, **kw)
        self.max_per_line = max_per_line
        self.wrap = wrap  # False for keyboard rows: keys keep their order on one line
        self.weighted = False  # one line of unequal widths: each child its narrowest plus a share

    def _lines(self, ui: UiContext, width: int) -> list[Sequence[Widget]]:
        kids = self.children()
        if not kids:
            return []
        gap = ui.px(self.gap)
        widest = max(c.min_width(ui) for c in kids)
        per_line = len(kids) if self.max_per_line is None else min(len(kids), self.max_per_line)
        while self.wrap and per_line > 1 and (width - gap * (per_line - 1)) / per_line < widest:
            per_line -= 1
        # Balance the lines: 4 items that need two lines go 2 + 2, not 3 + 1.
        n_lines = -(-len(kids) // per_line)
        per_line = -(-len(kids) // n_lines)
        return [kids[i:i + per_line] for i in range(0, len(kids), per_line)]

    def _cell_width(self, ui: UiContext, width: int, per_line: int) -> int:
        gap = ui.px(self.gap)
        return (width - gap * (per_line - 1)) // per_line

    def measure(self, ui: UiContext, width: int) -> int:
        inner_w = width - 2 * ui.px(self.padding)
        lines = self._lines(ui, inner_w)
        if not lines:
            return 0
        if self.weighted and not self.wrap:
            kids = lines[0]
            return max(c.measure(ui, w) for c, w in zip(kids, self._weighted(ui, inner_w), strict=True)) \
                + 2 * ui.px(self.padding)
        per_line = len(lines[0])
        cell = self._cell_width(ui, inner_w, per_line)
        heights = [max(c.measure(ui, cell) for c in line) for line in lines]
        return sum(heights) + ui.px(self.gap) * (len(lines) - 1) + 2 * ui.px(self.padding)

    def _weighted(self, ui: UiContext, width: int) -> list[int]:
        """Widths for one line: each child its narrowest, plus an equal share of what is left."""
        kids = self.children()
        mins = [c.min_width(ui) for c in kids]
        spare = max(0, width - ui.px(self.gap) * (len(kids) - 1) - sum(mins)) // len(kids)
        return [m + spare for m in mins]

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        inner = self._inner(ui, self.rect)
        lines = self._lines(ui, inner.width)
        if not lines:
            return
        gap = ui.px(self.gap)
        if self.weighted and not self.wrap:
            x = inner.left
            for child, w in zip(lines[0], self._weighted(ui, inner.width), strict=True):
                child.backdrop = self._child_backdrop(ui)
                child.place(ui, pygame.Rect(x, inner.top, w, inner.height))
                x += w + gap
            return
        per_line = len(lines[0])
        cell = self._cell_width(ui, inner.width, per_line)
        heights = [max(c.measure(ui, cell) for c in line) for line in lines]
        # A single line stretches to the height it is given (e.g. a footer).
        if len(lines) == 1:
            heights = [max(heights[0], inner.height)]
        y = inner.top
        for line, h in zip(lines, heights, strict=True):
            x = inner.left
            for child in line:
                child.backdrop = self._child_backdrop(ui)
                child.place(ui, pygame.Rect(x, y, cell, h))
                x += cell + gap
            y += h + gap


class Grid(Container):
    """Equal tiles, ``columns`` per line (fewer when tiles would be too narrow)."""

    def __init__(self, items: Sequence[Widget], *, columns: int = 2, min_tile_height: int = 200,
                 uniform: bool = False, **kw: Unpack[ContainerOptions]) -> None:
        super().__init__(items, **kw)
        self.columns = columns
        self.min_tile_height = min_tile_height
        # uniform: the children are alike (a day's times): their layout is worked out once per
        # width, from a few of the children with the longest labels, instead of measuring every child.
        self.uniform = uniform
        self._memo: dict[tuple[int, int], tuple[int, int, int]] = {}

    def _layout(self, ui: UiContext, width: int) -> tuple[int, int, int]:
        if not self.uniform:
            return self._work_out(ui, width)
        key = (id(ui), width)
        if key not in self._memo:
            self._memo[key] = self._work_out(ui, width)
        return self._memo[key]

    def _work_out(self, ui: UiContext, width: int) -> tuple[int, int, int]:
        kids = self.children()
        if self.uniform and kids:
            # Alike children differ by their text only: the longest texts decide width and height.
            kids = sorted(kids, key=lambda c: -len(getattr(c, "label", "")))[:4]
        gap = ui.px(self.gap)
        cols = max(1, self.columns)  # a lone tile keeps its size rather than filling the width
        widest = max((c.min_width(ui) for c in kids), default=0)
        while cols > 1 and (width - gap * (cols - 1)) // cols < widest:
            cols -= 1
        cell_w = (width - gap * (cols - 1)) // cols
        cell_h = max([ui.px(self.min_tile_height)] + [c.measure(ui, cell_w) for c in kids])
        return cols, cell_w, cell_h

    def measure(self, ui: UiContext, width: int) -> int:
        kids = self.children()
        if not kids:
            return 0
        inner_w = width - 2 * ui.px(self.padding)
        cols, _, cell_h = self._layout(ui, inner_w)
        rows = -(-len(kids) // cols)
        return rows * cell_h + (rows - 1) * ui.px(self.gap) + 2 * ui.px(self.padding)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        inner = self._inner(ui, self.rect)
        cols, cell_w, cell_h = self._layout(ui, inner.width)
        gap = ui.px(self.gap)
        for i, child in enumerate(self.children()):
            r, c = divmod(i, cols)
            child.backdrop = self._child_backdrop(ui)
            child.place(ui, pygame.Rect(inner.left + c * (cell_w + gap), inner.top + r * (cell_h + gap),
                                        cell_w, cell_h))


class Spacer(Widget):
    def __init__(self, height: int = 0, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.height = height

    def measure(self, ui: UiContext, width: int) -> int:
        return ui.px(self.height)


class ScrollView(Widget):
    """Shows a taller child through a window; dragged with a finger, with inertia.

    The offset is state of the view; the pointer code (kiosk.shell.pointer) calls
    ``drag_by`` and ``fling``; the app calls ``animate`` while it moves.
    """

    clips_children = True
    FRICTION = 3.0  # 1/s: velocity decays as exp(-FRICTION t)

    def __init__(self, child: Widget, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        self.child = child
        child.parent = self
        self.offset = 0
        self.content_height = 0
        self.velocity = 0.0  # px/s, positive scrolls content up (offset grows)

    def children(self) -> Sequence[Widget]:
        return [self.child]

    @property
    def max_offset(self) -> int:
        return max(0, self.content_height - self.rect.height)

    @property
    def scrollable(self) -> bool:
        return self.max_offset > 0

    def measure(self, ui: UiContext, width: int) -> int:
        return self.child.measure(ui, width)

    def min_width(self, ui: UiContext) -> int:
        return self.child.min_width(ui)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.content_height = max(self.child.measure(ui, rect.width), rect.height)
        self.offset = min(self.offset, self.max_offset)
        self._place_child(ui)
        self._ui = ui

    def _place_child(self, ui: UiContext) -> None:
        self.child.backdrop = self.backdrop
        self.child.place(ui, pygame.Rect(self.rect.left, self.rect.top - self.offset,
                                         self.rect.width, self.content_height))

    def scroll_to(self, offset: float) -> bool:
        new = int(max(0, min(self.max_offset, offset)))
        if new == self.offset:
            return False
        self.offset = new
        self._place_child(self._ui)
        self.invalidate()
        return True

    def drag_by(self, dy: float) -> None:
        self.velocity = 0.0
        self.scroll_to(self.offset - dy)

    def fling(self, velocity_px_s: float) -> None:
        self.velocity = -velocity_px_s if abs(velocity_px_s) > 200 else 0.0

    def animate(self, dt: float) -> bool:
        """Advance inertia by ``dt`` seconds; True while still moving."""
        if not self.velocity:
            return False
        moved = self.scroll_to(self.offset + self.velocity * dt)
        self.velocity *= max(0.0, 1.0 - self.FRICTION * dt)
        if not moved or abs(self.velocity) < 30:
            self.velocity = 0.0
        return bool(self.velocity)

    def hit(self, pos: tuple[int, int]) -> Widget | None:
        if not self.visible or not self.rect.collidepoint(pos):
            return None
        return self.child.hit(pos)

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        surf.fill(self.backdrop, self.rect)
        previous = surf.get_clip()
        surf.set_clip(self.rect.clip(previous) if previous else self.rect)
        self.child.backdrop = self.backdrop
        self.child.draw(surf, ui)
        surf.set_clip(previous)
        if self.scrollable:
            self._draw_scrollbar(surf, ui)

    def _draw_scrollbar(self, surf: pygame.Surface, ui: UiContext) -> None:
        track_h = self.rect.height
        bar_h = max(ui.px(60), track_h * self.rect.height // self.content_height)
        y = self.rect.top + (track_h - bar_h) * self.offset // max(1, self.max_offset)
        bar = pygame.Rect(self.rect.right - ui.px(10), y, ui.px(8), bar_h)
        pygame.draw.rect(surf, ui.theme.border, bar, border_radius=ui.px(4))
