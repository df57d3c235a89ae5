"""What the wall shows, as a state machine fed by the call feed's events and the clock.

States: ``starting`` (no answer yet since the display started), ``live`` (the last poll
answered), ``interrupted`` (the central API cannot be reached: the wall says since when
calls are not received, and the calls it still knows are no longer shown as current).
A recall is a new call of the same number: it comes back on top. Yesterday's calls go at
the town's midnight, whether or not the server is reachable. Everything is bounded: at most
the contract's last 10 calls and one line per service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.clock import PARIS
from kiosk.waiting_room.board import MAX_CALLS, Board, Call, Waiting


@dataclass
class DisplayState:
    status: str = "starting"                 # starting | live | interrupted
    day: date | None = None                  # the town's day the calls belong to
    seq: int = 0                             # the newest call seen (the next poll's ``after``)
    calls: list[Call] = field(default_factory=list)     # newest first, one per number
    waiting: list[Waiting] = field(default_factory=list)
    last_received: datetime | None = None    # when the last answer came (the display's clock)
    interrupted_since: datetime | None = None
    newest_at: float | None = None           # clock.monotonic() when the newest call arrived

    @property
    def current(self) -> Call | None:
        """The call shown large: the newest, only while calls are arriving."""
        return self.calls[0] if self.calls and self.status == "live" else None

    def earlier(self, count: int) -> list[Call]:
        """The calls listed under the newest one."""
        return self.calls[1:1 + count] if self.status == "live" else self.calls[:count]

    def receive(self, board: Board, now: datetime, mono: float) -> list[Call]:
        """Take one answer of the feed; returns the calls not seen before, oldest first (a
        display back from an interruption gets every call it missed, newest on top)."""
        today = now.astimezone(PARIS).date()
        self.status = "live"
        self.last_received = now
        self.interrupted_since = None
        if board.day < today:             # the server has not turned the day yet: nothing of it is current
            self._clear(today)
            return []
        if self.day is None or (board.day == self.day and board.seq < self.seq):
            fresh = []                    # the first answer, or a server that started over: a baseline
        elif board.day != self.day:
            fresh = list(board.calls)     # a new day: every call of it is new here
        else:
            fresh = [c for c in board.calls if c.seq > self.seq]
        self.day, self.seq = board.day, board.seq
        self.calls = _one_per_number(list(board.calls))
        self.waiting = list(board.waiting)
        fresh.sort(key=lambda c: c.seq)
        if fresh:
            self.newest_at = mono
        return fresh

    def lost(self, since: datetime | None, now: datetime) -> None:
        """The feed cannot reach the central API; ``since``: its last answer (None: never had one)."""
        if self.status != "interrupted":
            self.status = "interrupted"
            self.interrupted_since = since or self.last_received or now

    def new_day(self, now: datetime) -> bool:
        """At the town's midnight, yesterday's calls go (also while interrupted). True if cleared."""
        today = now.astimezone(PARIS).date()
        if self.day is not None and today > self.day:
            self._clear(today)
            return True
        return False

    def _clear(self, today: date) -> None:
        self.day, self.seq = today, 0      # today's first call, whatever its number, is new
        self.calls, self.waiting = [], []
        self.newest_at = None


def _one_per_number(calls: list[Call]) -> list[Call]:
    """Newest first, each number once (its latest call or recall), at most :data:`MAX_CALLS`."""
    seen: set[str] = set()
    out: list[Call] = []
    for call in sorted(calls, key=lambda c: -c.seq):
        if call.number not in seen:
            seen.add(call.number)
            out.append(call)
    return out[:MAX_CALLS]
