"""Checks that a laid-out screen is usable: nothing overlaps, nothing is cut off,
every control is big enough and reachable, every text readable — and what a person
sees of it: the main action and the whole keyboard on screen without scrolling, the
field being typed into above the keyboard, no key moving when an error appears or
goes, no list row that looks tappable but leads nowhere, no line ending inside a date, a
time, a phone number, a hyphenated word or an e-mail address.

The tests run these on every screen state in both orientations, both
languages and large text; ``kiosk screenshots`` prints them too, so a
reviewer sees a problem before a citizen does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pygame

from kiosk.line_breaks import unbreakable_run
from kiosk.shell.theme import contrast_ratio
from kiosk.shell.ui import UiContext
from screens.base import Screen
from screens.widgets.base import TextItem, Widget
from screens.widgets.button import Button
from screens.widgets.containers import ScrollView
from screens.widgets.list_row import ListRow
from screens.widgets.text_field import TextField

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


_BETWEEN_LINES = "[ \u00a0\u202f]*"   # what a wrapped line drops at its end (spaces, no-break spaces)


def _blocks(widget: Widget, ui: UiContext) -> list[list[TextItem]]:
    """The widget's wrapped texts, each as its lines: a line right under the previous one
    continues it (a gap means another text: a button's subtitle, a row's details; a line
    beside it, another column)."""
    blocks: list[list[TextItem]] = []
    for item in widget.text_items(ui):
        if not item.text.strip():
            continue
        last = blocks[-1][-1] if blocks else None
        if last is not None and not last.truncated and abs(item.rect.top - last.rect.bottom) <= TOLERANCE:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return [b for b in blocks if len(b) > 1]


#: Face size in which a run and the lines of its text are compared: both in the same face, so
#: the ratio of their widths is that on screen, whatever size the widget draws them at.
_PROBE_PX = 32


def _broken_run(text: str, a: TextItem, b: TextItem, widest: int, ui: UiContext) -> str | None:
    """The run that lines ``a`` then ``b`` of ``text`` break against the rule, if any. A line
    found at several places of the text counts as well broken if one of them is."""
    runs = []
    for m in re.finditer(re.escape(a.text) + _BETWEEN_LINES + re.escape(b.text), text):
        bounds = unbreakable_run(text, m.start() + len(a.text), m.end() - len(b.text))
        if bounds is None:
            return None
        run = text[bounds[0]:bounds[1]]
        if ui.fonts.width(run, _PROBE_PX) * 0.98 > widest:
            return None      # wider than any line of its text: it may have had to break
        runs.append(run)
    return runs[0] if runs else None


def break_problems(screen: Screen, ui: UiContext) -> list[str]:
    """A line that ends inside a date, a time, a phone number, a number and its unit, a
    hyphenated word or an e-mail address (« jeudi 3 / décembre », « rendez- / vous »): a person
    reads two things. Every wrapped text on screen is looked at as laid out: each line end is
    found in the widget's text and asked of :func:`kiosk.line_breaks.unbreakable_run`, the rule
    the wrapper follows.

    A run wider than the line has to break somewhere (a long e-mail address in a narrow column,
    « Rechercher » on a key in large text), and the wrapper then picks the least harmful place.
    The checker does not know the width a widget wraps its text to, only that it is at least
    that of the text's widest line: so a broken run is accepted when it is wider than every
    line of its text, and flagged when it would have fitted on one of them. The shared wrapper
    is thus never flagged, and a wrapping that ignores the rule is, unless its text is hardly
    more than the run itself."""
    out: list[str] = []
    for layer in _layers(screen):
        for w in layer:
            if not w.visible or w.rect.width <= 0 or w.rect.height <= 0:
                continue
            blocks = _blocks(w, ui)
            if not blocks:
                continue
            text = w.visible_text()
            for lines in blocks:
                widest = max(ui.fonts.width(line.text, _PROBE_PX) for line in lines)
                for a, b in zip(lines, lines[1:], strict=False):
                    bad = _broken_run(text, a, b, widest, ui)
                    if bad is not None:
                        out.append(f"{w.id or type(w).__name__}: line broken inside {bad!r}: "
                                   f"{a.text!r} / {b.text!r}")
    return out


def _inside(widget: Widget, layer_root: Widget | None, kind: str) -> bool:
    """``widget`` is part of a typing panel (``kind="typing_panel"``) below ``layer_root``."""
    parent = widget.parent
    while parent is not None and parent is not layer_root:
        if getattr(parent, kind, False):
            return True
        parent = parent.parent
    return False


def _top_layer(screen: Screen) -> list[Widget]:
    """Every widget of what a person can act on: the topmost modal overlay, else the screen."""
    from screens.widgets.toast import Toast

    modal = [o for o in screen.overlays if not isinstance(o, Toast)]
    if modal:
        return list(modal[-1].walk())
    assert screen.root is not None   # a screen is built before it is shown
    return list(screen.root.walk())


def _whole_on_screen(widget: Widget, viewport: pygame.Rect) -> bool:
    """All of ``widget`` is seen now: not scrolled away, even in part, nor off the screen."""
    seen = _seen(widget)
    return (seen is not None and seen.inflate(TOLERANCE * 2, TOLERANCE * 2).contains(widget.rect)
            and viewport.inflate(TOLERANCE * 2, TOLERANCE * 2).contains(widget.rect))


def _unscrolled_on_screen(widget: Widget, viewport: pygame.Rect) -> bool:
    """All of ``widget`` would be seen with every scrolling view at its start (the person
    scrolled nothing): where the screen first shows it."""
    rect, parent, views = pygame.Rect(widget.rect), widget.parent, []
    while parent is not None:
        if isinstance(parent, ScrollView):
            rect = rect.move(0, parent.offset)
            views.append(parent)
        parent = parent.parent
    window = viewport
    for view in views:
        window = window.clip(view.rect)
    return window.inflate(TOLERANCE * 2, TOLERANCE * 2).contains(rect)


def seen_problems(screen: Screen, viewport: pygame.Rect) -> list[str]:
    """What a person misses although it is laid out without overlap: the screen's main action
    (its primary button) or part of a keyboard scrolled out of view, the field being typed into
    hidden or below the keyboard. Checked as the screen stands now, after any scrolling."""
    out: list[str] = []
    shown = [w for w in _top_layer(screen) if w.visible and w.rect.width > 0 and w.rect.height > 0]
    panels = [w for w in shown if getattr(w, "typing_panel", False)]
    for w in shown:
        if isinstance(w, Button) and w.kind == "primary" and not _inside(w, None, "typing_panel") \
                and not _unscrolled_on_screen(w, viewport):
            out.append(f"main action {w.id or w.label!r} is not on screen without scrolling: {tuple(w.rect)}")
    for panel in panels:
        if not _whole_on_screen(panel, viewport):
            seen = _seen(panel)
            out.append(f"keyboard {panel.id} is not entirely on screen: {tuple(panel.rect)} seen "
                       f"{tuple(seen) if seen else 'not at all'}")
        for field in (w for w in shown if isinstance(w, TextField) and w.focused):
            if not _whole_on_screen(field, viewport):
                out.append(f"focused field {field.id} is not visible while typing: {tuple(field.rect)}")
            side_by_side = field.rect.right <= panel.rect.left or field.rect.left >= panel.rect.right
            if not side_by_side and field.rect.bottom > panel.rect.top + TOLERANCE:
                out.append(f"focused field {field.id} is not above keyboard {panel.id}: "
                           f"field bottom {field.rect.bottom} > keyboard top {panel.rect.top}")
    return out


def row_problems(screen: Screen) -> list[str]:
    """A row of a list that looks like its tappable neighbours but takes no tap."""
    out = []
    for w in _top_layer(screen):
        rows = [c for c in w.children() if isinstance(c, ListRow)]
        if any(r.interactive for r in rows):
            out += [f"list row {r.id or r.title!r} looks tappable like its neighbours but leads nowhere"
                    for r in rows if not r.interactive]
    return out


#: What the error probe writes under a field: one of the fields' own short messages. (A message
#: longer than the line kept for it moves what is below once, when it first shows; never back.)
PROBE_ERROR = "Ce texte est trop long."


def error_shifts(screen: Screen, ui: UiContext, viewport: pygame.Rect) -> list[str]:
    """Two frames that differ only by an error text under one field must have every widget in
    the same place: a key that moves when the error comes or goes is pressed by mistake (the
    finger is already on its way). Each field's error is toggled, the screen laid out again,
    and the rectangles compared; the screen is left as it was."""
    out: list[str] = []
    fields = [w for w in _top_layer(screen) if isinstance(w, TextField) and w.visible]
    for field in fields:
        before = {id(w): (w, pygame.Rect(w.rect)) for w in screen.widgets()}
        offsets = {id(w): w.offset for w in screen.widgets() if isinstance(w, ScrollView)}
        was = field.error
        field.error = "" if was else PROBE_ERROR
        screen.layout(ui, viewport)
        moved = {id(w): pygame.Rect(w.rect) for _key, (w, r) in before.items()
                 if w.visible and w.rect != r and any(x.interactive for x in w.walk())}
        field.error = was
        screen.layout(ui, viewport)
        for w in screen.widgets():
            if isinstance(w, ScrollView) and id(w) in offsets:
                w.scroll_to(offsets[id(w)])
        leaves = [before[k][0] for k in moved if not any(id(c) in moved for c in before[k][0].children())]
        for w in leaves[:3]:
            out.append(f"{w.id or type(w).__name__} moves when the error under {field.id} "
                       f"{'goes' if was else 'appears'}: {tuple(before[id(w)][1])} -> {tuple(moved[id(w)])}")
    return out


def dead_rows(app: App) -> list[str]:
    """Tap each tappable list row of the current screen: something must happen (another screen,
    a window, a message, a change of the screen). The screen is put back after each tap."""
    screen = app.nav.current
    assert screen is not None   # the app shows a screen once started
    out = []
    rows = [w for w in _top_layer(screen) if isinstance(w, ListRow) and w.interactive and w.visible]
    for row in rows:
        stack, overlays = list(app.nav.stack), list(screen.overlays)
        screen._needs_layout = False   # the probe watches for the tap's own request
        row.tap()
        changed = (list(app.nav.stack) != stack or screen.overlays != overlays or screen._needs_layout)
        for top in [s for s in app.nav.stack if s not in stack]:
            app.nav.pop(top)
        screen.overlays = overlays
        if not changed:
            out.append(f"list row {row.id or row.title!r} leads nowhere when tapped")
    return out


def check_app(app: App) -> list[str]:
    """Problems of the app's current screen as shown now."""
    screen = app.nav.current
    assert screen is not None   # the app shows a screen once started
    low = app.viewport.top if app.viewport.top > 0 else None
    return (problems(screen, app.ui, app.viewport, low_reach_top=low) + seen_problems(screen, app.viewport)
            + row_problems(screen) + break_problems(screen, app.ui) + error_shifts(screen, app.ui, app.viewport))
