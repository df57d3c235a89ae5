"""The widget protocol: measure, place, draw, hit-test, and say what text it shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict, cast

import pygame

from kiosk.shell.theme import RGB, Theme
from kiosk.shell.ui import UiContext

if TYPE_CHECKING:
    from kiosk.speech.keys import KeyAction
    from kiosk.speech.utterance import Part


class WidgetOptions(TypedDict, total=False):
    """The keyword arguments every widget passes on to ``Widget.__init__``."""

    id: str | None
    on_tap: Callable[[], object] | None   # what it returns is ignored
    flex: float


class WidgetOwner(Protocol):
    """What a widget asks of the screen or overlay that redraws it."""

    def mark_dirty(self, widget: Widget) -> None: ...

    def request_layout(self) -> None: ...

    def announce(self, *parts: Part | str) -> None:
        """Something a widget shows changed in a way speech says at once (an error appeared)."""


def theme_colour(theme: Theme, name: str) -> RGB:
    """The theme's colour called ``name`` (widgets name their colours by theme attribute)."""
    return cast(RGB, getattr(theme, name))


@dataclass
class TextItem:
    """A piece of text a widget shows, for layout and contrast checks in tests."""

    text: str
    fg: RGB
    bg: RGB
    rect: pygame.Rect        # where the text is drawn
    box: pygame.Rect         # the widget area it must stay inside
    truncated: bool = False  # an ellipsis or line limit hid part of it


class Widget:
    """Base of every widget. Containers override ``children``, ``place`` and ``measure``."""

    interactive = False   # takes taps
    clips_children = False
    #: Reading a whole screen, speech says this widget's ``spoken()`` and not its children one by
    #: one (a keyboard is « clavier », not forty keys); the keypad's focus still visits them.
    summarised = False

    def __init__(self, *, id: str | None = None, on_tap: Callable[[], object] | None = None,
                 flex: float = 0) -> None:
        self.id = id
        self.on_tap = on_tap
        self.flex = flex            # share of leftover height in a Column
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.enabled = True
        self.visible = True
        self.pressed = False
        self.parent: Widget | None = None
        self.owner: WidgetOwner | None = None  # the screen or overlay that redraws us
        self.backdrop: RGB = (0, 0, 0)  # colour behind us, set by our parent

    # -- tree -----------------------------------------------------------------
    def children(self) -> Sequence[Widget]:
        return ()

    def walk(self) -> Iterator[Widget]:
        yield self
        for child in self.children():
            yield from child.walk()

    def find(self, widget_id: str) -> Widget | None:
        return next((w for w in self.walk() if w.id == widget_id), None)

    # -- layout ---------------------------------------------------------------
    def measure(self, ui: UiContext, width: int) -> int:
        """Preferred height at this width."""
        return 0

    def min_width(self, ui: UiContext) -> int:
        """Narrowest width at which this widget still shows its content whole."""
        return 0

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)

    # -- drawing --------------------------------------------------------------
    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        pass

    def invalidate(self) -> None:
        """Ask for this widget to be redrawn on the next frame."""
        if self.owner is not None:
            self.owner.mark_dirty(self)

    def request_layout(self) -> None:
        """Our size may have changed: lay the screen out again before the next frame."""
        if self.owner is not None:
            self.owner.request_layout()

    # -- input ----------------------------------------------------------------
    def visible_area(self) -> pygame.Rect:
        """The part of our rectangle not hidden by the scrolling views we are in."""
        area = self.rect
        parent = self.parent
        while parent is not None:
            if parent.clips_children:
                area = area.clip(parent.rect)
            parent = parent.parent
        return area

    def hit(self, pos: tuple[int, int]) -> Widget | None:
        """The deepest visible, interactive widget under ``pos``."""
        if not self.visible or not self.rect.collidepoint(pos):
            return None
        for child in reversed(self.children()):
            found = child.hit(pos)
            if found is not None:
                return found
        return self if self.interactive else None

    def set_pressed(self, pressed: bool) -> None:
        if self.pressed != pressed:
            self.pressed = pressed
            self.invalidate()

    def tap(self) -> None:
        if self.enabled and self.on_tap is not None:
            self.on_tap()

    def set_enabled(self, enabled: bool) -> None:
        if self.enabled != enabled:
            self.enabled = enabled
            self.invalidate()

    # -- without sight: the keypad's focus and speech (issue 15) --------------
    @property
    def focusable(self) -> bool:
        """The keypad's focus can stop here: a control a person can activate now."""
        return self.interactive and self.enabled and self.visible

    def handle_key(self, action: KeyAction) -> bool:
        """A key while this widget has the focus; True if the widget used it (a calendar moves
        between its days with the arrows). By default the focus navigator moves on instead."""
        return False

    def spoken(self) -> list[Part]:
        """What speech says of this widget itself when it gets the focus or the screen is read:
        its label, then what it is (« bouton »), then its state (« sélectionné », « désactivé »),
        in the visit's language, from the same strings the widget shows. A personal value (a
        typed name, a phone number, a reference) is a personal ``Part``, masked on a loudspeaker.
        Containers say nothing themselves: the reader walks their children."""
        return []

    def spoken_children(self) -> Sequence[Widget]:
        """The children speech reads after this widget, in reading order: all of them by default;
        a widget whose own ``spoken()`` already says what they show returns fewer (a calendar
        leaves out its column heads, a field its parts)."""
        return self.children()

    def spoken_walk(self) -> Iterator[Widget]:
        """This widget and, unless hidden, what speech reads under it, in reading order."""
        if not self.visible:
            return
        yield self
        for child in self.spoken_children():
            yield from child.spoken_walk()

    # -- introspection for tests ----------------------------------------------
    def text_items(self, ui: UiContext) -> list[TextItem]:
        return []

    def visible_text(self) -> str:
        """All the text this widget and its children show (for tests and the pilot)."""
        return " ".join(t for t in (c.visible_text() for c in self.children()) if t)

