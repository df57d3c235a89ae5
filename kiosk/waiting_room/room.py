"""The waiting room as the UI thread holds it: the display's state, the chime and the voice.

The app keeps one :class:`WaitingRoom` for a display terminal and hands it the feed's events;
the screen reads :attr:`WaitingRoom.state` and redraws. Kept outside the screen so that a
rebuilt screen (language, failsafe) shows the same calls at once, not after the next poll.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.waiting_room.announce import Announcement, Announcer, TextOnly, announcements
from kiosk.waiting_room.board import Board, Call
from kiosk.waiting_room.chime import Chime
from kiosk.waiting_room.state import DisplayState

if TYPE_CHECKING:
    from kiosk.config import WaitingRoomConfig
    from kiosk.waiting_room.feed import CallFeed

log = logging.getLogger(__name__)


class WaitingRoom:
    def __init__(self, config: WaitingRoomConfig, clock: Clock, *, chime: Chime | None = None,
                 announcer: Announcer | None = None) -> None:
        self.config = config
        self.clock = clock
        self.state = DisplayState()
        self.chime = chime or Chime(config.chime)
        self.announcer: Announcer = announcer or TextOnly()
        self.words: tuple[Announcement, ...] = ()   # what is said for the newest call (shown under it)
        self.feed: CallFeed | None = None
        self.received = 0                           # answers taken (benchmarks, tests)
        self.on_change: Callable[[], None] | None = None

    @property
    def languages(self) -> Sequence[str]:
        return self.config.languages

    def receive(self, board: Board, received_at: datetime) -> list[Call]:
        """An answer of the feed: update the state; ring and announce once for what is new."""
        self.received += 1
        fresh = self.state.receive(board, received_at, self.clock.monotonic())
        current = self.state.current
        self.words = tuple(announcements(current, self.languages)) if current is not None else ()
        if fresh and current is not None:
            log.info("call shown: %s to counter %s (%d new)", current.number, current.counter, len(fresh))
            self.chime.ring()
            self.announcer.announce(self.words)
        return fresh

    def lost(self, since: datetime | None) -> None:
        self.state.lost(since, self.clock.now())
        self.words = ()

    def tick(self) -> bool:
        """The town's midnight: clear yesterday's calls. True when something changed."""
        if self.state.new_day(self.clock.now()):
            self.words = ()
            log.info("a new day: yesterday's calls are cleared from the waiting-room display")
            return True
        return False

    def start_feed(self, client_source: Callable[[], object],
                   service_names: Callable[[], dict[str, str]] | None = None) -> None:
        from kiosk.waiting_room.feed import CallFeed

        if self.feed is None:
            self.feed = CallFeed(client_source, wait_s=self.config.poll_wait_s, clock=self.clock,
                                 service_names=service_names)
            self.feed.start()

    def stop(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        self.announcer.close()
