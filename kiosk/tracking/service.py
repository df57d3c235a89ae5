"""Where does my request stand? Online first, the hashed offline memory when the network fails.

Like libpretixsync's online/offline providers: the online answer is asked with a short
timeout and no retries (a person is waiting at the screen); a timeout, an unreachable or
failing server, or an answer that breaks the contract falls back to what this terminal
remembers. It remembers only the requests it has answered for, keyed by an HMAC of the
number (see :mod:`offline_cache.tracked`); a number the central API says is unknown is
forgotten at once. Lookups run in a thread and come back as ``TRACKING_RESULT`` events,
so the UI thread never waits on the network or the disk.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from kiosk import events
from kiosk.api import models
from kiosk.api.errors import ApiError, NotFound
from kiosk.clock import Clock
from kiosk.config import TrackingConfig
from kiosk.tracking.answer import TrackingAnswer
from kiosk.tracking.guess_throttle import GuessThrottle

log = logging.getLogger(__name__)

SECRET_BYTES = 32


def load_or_create_secret(path: Path) -> bytes:
    """The terminal's HMAC key: created once (0600, never logged), read afterwards."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
        if len(secret) < 16:
            raise ValueError(f"{path}: the tracking secret is too short; delete the file to make a new one") from None
        return secret
    secret = secrets.token_bytes(SECRET_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secret.hex() + "\n")
        f.flush()
        os.fsync(f.fileno())
    return secret


class TrackingClient(Protocol):
    """What a lookup needs of the central API's client (kiosk.api.client.ApiClient)."""

    def tracked_request(self, tracking_code: str) -> models.TrackedRequest: ...
    def close(self) -> None: ...


class TrackingService:
    def __init__(self, config: TrackingConfig, clock: Clock, *, cache_path: Path | None, secret_path: Path | None,
                 client_factory: Callable[[], TrackingClient | None]) -> None:
        self.config = config                 # kiosk.config.models.TrackingConfig
        self.clock = clock
        self.cache_path = cache_path
        self.secret_path = secret_path
        self.client_factory = client_factory
        self.throttle = GuessThrottle(config.max_unknown, config.window_s, config.cooldown_s, clock.monotonic)
        self._secret: bytes | None = None
        self._lookups = 0
        self._threads: list[threading.Thread] = []

    # -- called from the UI thread ------------------------------------------------------------
    def lookup(self, code: str) -> int:
        """Start looking ``code`` up (already normalised: ``ABCD-1234``); returns the lookup
        number carried by its ``TRACKING_RESULT`` event."""
        code = code.strip().upper()
        self._lookups += 1
        number = self._lookups
        left = self.throttle.cooldown_left()
        if left > 0:
            events.TrackingResult(answer=TrackingAnswer(number, "cooldown", cooldown_s=_ceil(left))).post()
            return number
        thread = threading.Thread(target=self._run, args=(number, code), name=f"tracking-{number}", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return number

    @staticmethod
    def demo_codes() -> list[str]:
        """Numbers of the demo town's requests, shown on a demo terminal so that someone trying
        it has receipts to type. The reference server's seed always makes them (a test keeps
        them true); imported only in demo mode."""
        from kiosk.demo_api.seed_data import DEMO_TRACKING_CODES

        return list(DEMO_TRACKING_CODES)

    def join(self, timeout: float = 10.0) -> None:
        """Wait for lookups in flight (tests, stop)."""
        for thread in list(self._threads):
            thread.join(timeout)

    # -- lookup thread --------------------------------------------------------------------------
    def _run(self, number: int, code: str) -> None:
        try:
            answer = self._answer(number, code)
        except Exception:  # a bug here must not leave the person waiting forever
            log.exception("tracking lookup %d failed", number)
            answer = TrackingAnswer(number, "error")
        if answer.outcome in ("unknown", "offline_unknown") and self.throttle.record_unknown():
            log.warning("tracking: %d unknown numbers within %d s, lookups paused for %d s",
                        self.config.max_unknown, self.config.window_s, self.config.cooldown_s)
        log.info("tracking lookup %d: %s%s", number, answer.outcome,
                 "" if answer.outcome != "found" else (" (online)" if answer.online else " (offline)"))
        events.TrackingResult(answer=answer).post()

    def _answer(self, number: int, code: str) -> TrackingAnswer:
        client = self.client_factory()
        if client is not None:
            try:
                request = client.tracked_request(code)
            except NotFound:
                self._memory("forget", code)
                return TrackingAnswer(number, "unknown", online=True)
            except ApiError as exc:
                log.info("tracking lookup %d: central API unavailable (%s), answering offline",
                         number, type(exc).__name__)
            else:
                self._memory("remember", code, request)
                return TrackingAnswer(number, "found", request, online=True, info_at=request.updated_at)
            finally:
                client.close()
        return self._offline(number, code)

    def _offline(self, number: int, code: str) -> TrackingAnswer:
        found = self._memory("recall", code)
        if not isinstance(found, tuple):
            return TrackingAnswer(number, "offline_unknown")
        status, info_at = found
        try:
            request = models.TrackedRequest.model_validate({**status, "tracking_code": code})
        except ValidationError:
            log.warning("tracking: a remembered status no longer matches the contract; ignored")
            return TrackingAnswer(number, "offline_unknown")
        return TrackingAnswer(number, "found", request, online=False,
                              info_at=datetime.fromisoformat(info_at.replace("Z", "+00:00")))

    def _memory(self, action: str, code: str, request: models.TrackedRequest | None = None
                ) -> tuple[dict[str, Any], str] | bool | None:
        """Remember, recall or forget ``code`` in the cache; None when there is no cache."""
        if self.cache_path is None or self.secret_path is None:
            return None
        from offline_cache import tracked
        from offline_cache.db import open_cache
        from offline_cache.errors import CacheError

        try:
            if self._secret is None:
                self._secret = load_or_create_secret(self.secret_path)
            conn = open_cache(self.cache_path)
        except (OSError, ValueError, CacheError) as exc:
            log.warning("tracking: offline memory unavailable (%s)", type(exc).__name__)
            return None
        try:
            now = datetime.now(UTC) if self.clock is None else self.clock.now()
            if action == "remember":
                assert request is not None
                tracked.remember(conn, self._secret, code, request.model_dump(mode="json"), request.updated_at, now)
                tracked.prune(conn, now - timedelta(days=self.config.offline_keep_days))
                return None
            if action == "forget":
                return tracked.forget(conn, self._secret, code)
            return tracked.recall(conn, self._secret, code)
        finally:
            conn.close()


def _ceil(seconds: float) -> int:
    return int(seconds) + (seconds % 1 > 0)
