"""The wake-up of held long polls (``GET /v1/calls``), one per server.

Its own module because every request carries it (:class:`~.request.Request`) and the agents'
handlers ring it: both import it, it imports nothing of theirs.
"""

from __future__ import annotations

import threading


class CallSignal:
    """Wakes the held long polls of one server: a generation number under a condition."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._generation = 0
        self.closing = False

    @property
    def generation(self) -> int:
        with self._cond:
            return self._generation

    def notify(self) -> None:
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def close(self) -> None:
        """The server stops: every held poll answers now instead of holding its thread."""
        with self._cond:
            self.closing = True
            self._cond.notify_all()

    def wait(self, seen: int, timeout_s: float) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._generation != seen or self.closing, timeout=max(0.0, timeout_s))
