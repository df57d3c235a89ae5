"""The wall of the waiting room: the newest call large, the last calls, the people waiting.

Nobody touches it: there is no footer, no idle warning and no dimming, and it is the home
screen of a display terminal. It is read from across a room, so the number is the largest
thing on any screen of the app; the newest call pulses until the next one comes, so a
person who looks up late still sees which one is new. When calls stop arriving it says so,
with the time of the last answer, and lists what it knew as « before the interruption »,
never as current. Portrait: one column; landscape: the call on the left, the lists on the right.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pygame

from kiosk.clock import PARIS
from kiosk.formatting import format_time
from kiosk.i18n import _, current_language, ngettext
from kiosk.shell.theme import RGB
from kiosk.shell.ui import TEXT_BODY, TEXT_TITLE, UiContext
from kiosk.waiting_room.announce import counter_is_number
from screens.base import Screen, ScreenHost
from screens.widgets import Column, Label, Row
from screens.widgets.base import Widget, theme_colour
from screens.widgets.containers import Container
from screens.widgets.queue_number import QueueNumber

if TYPE_CHECKING:
    from kiosk.waiting_room.board import Call
    from kiosk.waiting_room.room import WaitingRoom
    from kiosk.waiting_room.state import DisplayState

PULSE_S = 0.7          # half a period of the newest call's pulse
TEXT_NUMBER = 240      # the called number, at 1080 px (about 6 cm tall on a 43" screen)
TEXT_COUNTER = 96
TEXT_ROW = 56


def _counter(counter: str) -> str:
    """« Guichet 3 » for a counter given by its number; a named one (« Bureau 4 ») as it is named."""
    return _("Counter {counter}").format(counter=counter) if counter_is_number(counter) else counter.strip()


def _nowrap(text: str) -> str:
    """« → Guichet 12 » on one line: a counter is never split from its number."""
    return text.replace(" ", "\u00a0")


class CallRow(Container):
    """« B009   → Guichet 4 » on one line: the number takes what it needs, the counter the rest
    (equal halves would break « Guichet 12 » in large text while the number leaves room)."""

    def __init__(self, number: Label, counter: Label, *, id: str) -> None:
        super().__init__([number, counter], gap=32, padding=8, bg="surface", id=id)
        self.number, self.counter = number, counter

    def _split(self, ui: UiContext, width: int) -> tuple[int, int]:
        inner = width - 2 * ui.px(self.padding)
        first = min(inner, self.number.min_width(ui) + ui.px(8))
        return first, max(1, inner - first - ui.px(self.gap))

    def measure(self, ui: UiContext, width: int) -> int:
        first, rest = self._split(ui, width)
        return max(self.number.measure(ui, first), self.counter.measure(ui, rest)) + 2 * ui.px(self.padding)

    def min_width(self, ui: UiContext) -> int:
        return self.number.min_width(ui) + self.counter.min_width(ui) + ui.px(self.gap) + 2 * ui.px(self.padding)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        inner = self._inner(ui, self.rect)
        first, rest = self._split(ui, rect.width)
        for child in (self.number, self.counter):
            child.backdrop = self._child_backdrop(ui)
        self.number.place(ui, pygame.Rect(inner.left, inner.top, first, inner.height))
        self.counter.place(ui, pygame.Rect(inner.right - rest, inner.top, rest, inner.height))


class PulseCard(Column):
    """The newest call's card: its background swaps between two strong colours while
    ``pulsing``, so the eye catches which call is new. Its labels follow the colour."""

    PHASES = (("primary", "on_primary"), ("ok", "on_ok"))

    def __init__(self, items: list[Widget]) -> None:
        super().__init__(items, gap=12, padding=36, id="current-call")
        self.phase = 0
        self._labels = [w for w in self.walk() if isinstance(w, Label)]
        self._apply()

    def _apply(self) -> None:
        bg, fg = self.PHASES[self.phase]
        self.bg = bg
        for label in self._labels:
            label.colour = fg

    def set_phase(self, phase: int) -> None:
        if phase != self.phase:
            self.phase = phase
            self._apply()
            self.invalidate()

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        surf.fill(self.backdrop, self.rect)
        super().draw(surf, ui)

    def _child_backdrop(self, ui: UiContext) -> RGB:
        return theme_colour(ui.theme, self.PHASES[self.phase][0])


class WaitingRoomScreen(Screen):
    name = "waiting_room"
    is_home = True
    show_footer = False
    ignores_idle = True
    stays_lit = True

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.card: PulseCard | None = None
        self.rows: int | None = None        # earlier calls that fit (None: as configured)
        self.show_waiting = True            # the people waiting fit too
        self.show_words = True              # the call's words under it fit too
        self.number_size = TEXT_NUMBER
        self._next_pulse: float | None = None
        self._shown_key: tuple[object, ...] | None = None

    @property
    def room(self) -> WaitingRoom | None:
        return self.app.waiting_room

    # -- building -----------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        if self.header is not None:
            self.header.language = None    # nobody touches a wall: the calls are said in each language instead

    def compose(self) -> Widget:
        room = self.room
        if room is None:     # only a display terminal opens this screen
            return Label(_("This terminal is not a waiting-room display."), id="not-display")
        state = room.state
        self._shown_key = self._key(state)
        self.card = None
        main: list[Widget] = []
        if state.status == "interrupted":
            main.append(self._interrupted(state))
        elif state.status == "starting":
            main.append(Label(_("Connecting to the calls…"), size=TEXT_TITLE, bold=True, align="center",
                              id="starting"))
        elif state.current is None:
            main.append(Label(_("No number has been called yet today."), size=TEXT_TITLE, bold=True,
                              align="center", id="no-call"))
        else:
            main.append(self._current(state.current, room))
        rows = room.config.calls_shown if self.rows is None else self.rows
        side = self._earlier(state, rows) + (self._waiting(state) if self.show_waiting else [])
        landscape = self.app.display.logical[0] > self.app.display.logical[1]
        if landscape and side:
            return Row([Column(main, gap=24), Column(side, gap=20)], gap=48, max_per_line=2, id="columns")
        return Column(main + side, gap=28)

    def layout(self, ui: UiContext, viewport: pygame.Rect) -> None:
        """Nobody scrolls a wall: what does not fit is left out, least useful first (earlier calls
        down to two, the people waiting, the call's words, a slightly smaller number, the last
        earlier calls, a smaller number still); the newest call itself is never left out."""
        if self.rows is not None or not (self.show_waiting and self.show_words) or self.number_size != TEXT_NUMBER:
            self.rows, self.show_waiting, self.show_words, self.number_size = None, True, True, TEXT_NUMBER
            self.build()
        super().layout(ui, viewport)
        while self.content is not None and self.content.scrollable and self._leave_out_one():
            self.build()
            super().layout(ui, viewport)

    def _leave_out_one(self) -> bool:
        room = self.room
        if room is None:
            return False
        shown = min(len(room.state.earlier(room.config.calls_shown)), room.config.calls_shown)
        rows = shown if self.rows is None else self.rows
        if rows > 2:
            self.rows = rows - 1
        elif self.show_waiting and room.state.waiting:
            self.show_waiting = False
        elif self.show_words and room.words:
            self.show_words = False
        elif self.number_size > TEXT_NUMBER * 0.7:
            self.number_size = int(self.number_size * 0.9)
        elif rows > 0:
            self.rows = rows - 1
        elif self.number_size > TEXT_NUMBER // 2:
            self.number_size = int(self.number_size * 0.9)
        else:
            return False
        return True

    def _current(self, call: Call, room: WaitingRoom) -> Widget:
        words = [Label(f"«\u00a0{w.text}\u00a0»", size=TEXT_BODY, align="center", id=f"say-{w.language}")
                 for w in room.words] if self.show_words else []
        self.card = PulseCard([
            Label(_("Now called"), size=TEXT_BODY, bold=True, align="center", id="current-caption"),
            QueueNumber(call.number, size=self.number_size, id="current-number"),
            Label(_counter(call.counter), size=TEXT_COUNTER, bold=True, align="center", id="current-counter"),
            *words,
        ])
        self._next_pulse = self.app.clock.monotonic() + PULSE_S
        return self.card

    def _interrupted(self, state: DisplayState) -> Widget:
        since = state.interrupted_since
        if since is None or state.last_received is None:
            first = _("Display interrupted: no call received yet")
        else:
            first = _("Display interrupted: calls not received since {time}").format(
                time=format_time(since.astimezone(PARIS), current_language()))
        return Column([
            Label(first, size=TEXT_TITLE, bold=True, colour="on_warn", align="center", id="interrupted"),
            Label(_("Numbers are still being called at the counters. This screen will come back by itself."),
                  size=TEXT_BODY, colour="on_warn", align="center", id="interrupted-help"),
        ], gap=16, padding=32, bg="warn", id="interrupted-box")

    def _earlier(self, state: DisplayState, count: int) -> list[Widget]:
        calls = state.earlier(count)
        if not calls:
            return []
        heading = _("Earlier calls") if state.status == "live" else _("Last calls received before the interruption")
        rows: list[Widget] = [Label(heading, size=TEXT_TITLE, bold=True, id="earlier-title")]
        colour = "text" if state.status == "live" else "muted"
        for i, call in enumerate(calls):
            rows.append(CallRow(
                QueueNumber(call.number, size=TEXT_ROW, colour=colour, align="left", id=f"call-{i}-number"),
                Label(_nowrap("→ " + _counter(call.counter)), size=TEXT_ROW, colour=colour, id=f"call-{i}-counter"),
                id=f"call-{i}"))
        return [Column(rows, gap=10, id="earlier")]

    def _waiting(self, state: DisplayState) -> list[Widget]:
        if not state.waiting or state.status != "live":
            return []
        lines: list[Widget] = [Label(_("Waiting now"), size=TEXT_TITLE, bold=True, id="waiting-title")]
        for w in state.waiting:
            people = _nowrap(ngettext("{count} person", "{count} people", w.waiting).format(count=w.waiting))
            name = f"{w.letter} · {w.service}" if w.service else w.letter
            lines.append(Label(_("{service}: {people}").format(service=name, people=people), size=TEXT_BODY + 4,
                               id=f"waiting-{w.letter}"))
        return [Column(lines, gap=8, id="waiting")]

    # -- reacting -----------------------------------------------------------------------
    @staticmethod
    def _key(state: DisplayState) -> tuple[object, ...]:
        """What the layout depends on: rebuilt when it changes, not for every answer."""
        return (state.status, state.day, tuple(c.seq for c in state.calls),
                tuple((w.letter, w.waiting, w.service) for w in state.waiting), state.interrupted_since)

    def refresh(self) -> None:
        room = self.room
        if room is not None and self._key(room.state) != self._shown_key:
            self.rebuild()

    def on_show(self) -> None:
        self.refresh()

    def handle_event(self, event: pygame.event.Event) -> None:
        self.refresh()

    def tick(self, now: float) -> None:
        room = self.room
        if room is not None and room.tick():
            self.rebuild()
            return
        if self.card is not None and self._next_pulse is not None and now >= self._next_pulse:
            self.card.set_phase(1 - self.card.phase)
            self._next_pulse = now + PULSE_S

    def next_deadline(self) -> float | None:
        clock = self.app.clock
        wall = clock.now().astimezone(PARIS)
        midnight = datetime.combine(wall.date() + timedelta(days=1), datetime.min.time(), PARIS)
        at_midnight = clock.monotonic() + (midnight - wall).total_seconds() + 0.5
        return min(at_midnight, self._next_pulse) if self._next_pulse is not None and self.card else at_midnight
