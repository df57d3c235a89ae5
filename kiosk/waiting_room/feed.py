"""The call feed: a thread that long-polls the central API and posts what it hears.

``GET /v1/calls?after=<seq>&wait=<s>`` answers at once when a call newer than ``after``
exists, else holds the request up to ``wait`` seconds: a call reaches the wall within a
second, and an idle display asks again only every ``poll_wait_s``. Each answer is posted
whole as :class:`kiosk.events.CallBoardReceived`; the UI thread never waits for the network.

When polls fail twice in a row (a server down refuses at once, a cut cable times out), the
feed posts :class:`kiosk.events.CallFeedDown` once, with the time of the last answer, and
keeps trying (1, 2, 4, then every 5 seconds): the first answer after that brings back every
call missed meanwhile (today's last 10), and the display recovers by itself. One failure
alone is not reported (a server restarting, one lost connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk import events
from kiosk.clock import Clock
from kiosk.waiting_room.board import board_from_api

log = logging.getLogger(__name__)

RETRY_S = (1.0, 2.0, 4.0, 5.0)
FAILURES_BEFORE_DOWN = 2
NO_CLIENT_DOWN_AFTER_S = 15.0   # the data layer could not make a client (no credentials…)
MIN_POLL_INTERVAL_S = 0.25      # a server answering at once with nothing new is not hammered


class CallFeed:
    """Start with :meth:`start`, stop with :meth:`stop`. ``client_source`` gives the data
    layer's client once it exists (None before); the feed polls through its own clone."""

    def __init__(self, client_source: Callable[[], Any], *, wait_s: float, clock: Clock,
                 service_names: Callable[[], dict[str, str]] | None = None,
                 poster: events.Poster | None = None) -> None:
        self.client_source = client_source
        self.wait_s = wait_s
        self.clock = clock
        self.service_names = service_names or dict
        self.poster = poster
        self.after = 0
        self.last_answer: datetime | None = None
        self.failures = 0
        self.down = False
        self.polls = 0
        self._client: Any = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="call-feed", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop polling. A request in flight is not waited for beyond ``timeout_s`` (the thread
        is a daemon: it ends with its answer or the process)."""
        self._stopping.set()
        client, self._client = self._client, None
        if client is not None:
            client.close()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        started = time.monotonic()
        while not self._stopping.is_set():
            client = self._poll_client()
            if client is None:
                if time.monotonic() - started > NO_CLIENT_DOWN_AFTER_S:
                    self._failed("no connection to the central API is set up yet")
                self._stopping.wait(0.5)
                continue
            began = time.monotonic()
            try:
                # the first poll, and the first after a failure, answer at once: the wall shows what
                # is current (or that calls arrive again) without waiting for the next call
                settled = self.last_answer is not None and self.failures == 0
                answer = client.calls(after=self.after, wait_s=self.wait_s if settled else 0)
                board = board_from_api(answer, self._names())
            except Exception as exc:  # noqa: BLE001 - any failure is the same to the wall: no calls arrive
                self._failed(f"{type(exc).__name__}: {exc}")
                self._stopping.wait(RETRY_S[min(self.failures, len(RETRY_S)) - 1])
                continue
            self.polls += 1
            unchanged = board.seq == self.after
            self.after = board.seq
            self.last_answer = self.clock.now()
            if self.down:
                log.info("calls arrive again from the central API")
            self.failures, self.down = 0, False
            events.CallBoardReceived(board=board, received_at=self.last_answer).post(self.poster)
            if unchanged:
                self._stopping.wait(max(0.0, MIN_POLL_INTERVAL_S - (time.monotonic() - began)))

    def _poll_client(self) -> Any:
        if self._client is None and not self._stopping.is_set():
            source = self.client_source()
            if source is not None:
                # its own connection pool and one attempt per poll: this loop decides when to retry
                self._client = source.clone(max_attempts=1)
        return self._client

    def _failed(self, reason: str) -> None:
        self.failures += 1
        if self._stopping.is_set():
            return
        if self.failures >= FAILURES_BEFORE_DOWN and not self.down:
            self.down = True
            log.warning("the waiting-room display receives no calls: %s", reason)
            events.CallFeedDown(since=self.last_answer, reason=reason[:200]).post(self.poster)

    _names_cache: tuple[float, dict[str, str]] | None = None

    def _names(self) -> dict[str, str]:
        """The services' names (the catalog in the cache), read at most every 5 minutes once known
        (at every answer until the first catalog sync brought them)."""
        now = time.monotonic()
        if self._names_cache is None or not self._names_cache[1] or now - self._names_cache[0] > 300:
            try:
                names = self.service_names()
            except Exception as exc:  # noqa: BLE001 - a name is a nicety: the letter still shows
                log.warning("service names unavailable for the waiting-room display: %s", exc)
                names = {}
            self._names_cache = (now, names)
        return self._names_cache[1]
