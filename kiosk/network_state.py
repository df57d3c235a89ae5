"""The one view of the link to the central API, behind the header's « En ligne / Hors ligne ».

It used to follow the sync worker's rounds only: after the central API died, the header
said « En ligne » until the next round (up to a minute), while the person in front of the
screen had just seen a lookup or an action fail. Now every request any client makes (an
action, a lookup, a sync, a heartbeat) reports what it showed, through the client's
``link_observer`` (:class:`kiosk.api.client.ApiClient`): the first request that cannot get
through turns the state offline, the first that gets an answer turns it online again.
A change is posted once as :class:`~kiosk.events.NetworkStatus`; the way back also wakes
the sync worker, so that what waited in the outbox leaves at once.

Thread-safe: the sync worker, the action runner and the lookups report from their threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk import events


class LinkState:
    def __init__(self, post: Callable[..., Any] | None = None,
                 on_back: Callable[[], None] | None = None) -> None:
        self.post = post or events.post
        self.on_back = on_back          # called (outside the lock) when the link comes back
        self.online: bool | None = None   # None: nothing known yet (start-up)
        self._lock = threading.Lock()

    def observe(self, online: bool) -> None:
        """What one request (or one whole sync round) showed; posted only when it is news.
        Posted under the lock, so that two threads reporting at once cannot leave the header
        on the older of their two words."""
        with self._lock:
            if online == self.online:
                return
            back = online and self.online is False
            self.online = online
            events.NetworkStatus(online=online).post(self.post)
        if back and self.on_back is not None:
            self.on_back()
