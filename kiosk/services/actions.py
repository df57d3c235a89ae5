"""Citizens' actions, online first and offline as a fallback (libpretixsync's providers).

Every action takes the same road, in a worker thread (never the UI thread):

1. **the outbox row is committed** (its UUID is the Idempotency-Key) — from here on the
   action cannot be lost, whatever happens next;
2. the **online provider** sends it at once, with that key and a short timeout, on a client
   of its own that does not retry (the person is waiting);
3. its verdict is written back to the row exactly as the sync worker would write it
   (:func:`kiosk.sync.push.record_outcome`): acknowledged (personal data erased), or
   failed for good (409 with its alternatives, other final 4xx);
4. if the server could not be reached, did not answer in time, failed (5xx) or does not
   know this terminal (401), the **offline provider** gives the result instead, with the
   SAME key: the row is released to the sync worker, which is woken and sends it — if the
   first attempt did reach the server after all, the server replays its first answer and
   no second booking is made.

When the sync worker already knows the network is down, step 2 is skipped: the person gets
the queued result at once instead of waiting for a timeout, and the worker, woken, tries a
round straight away (if the network is back, the action leaves within seconds).

While the row is being tried online it is *held* (``Outbox.enqueue(hold_s=...)``), so the
sync worker's ordinary rounds do not send it at the same moment; if one does anyway (a
reconnect round sends everything), both get the same answer and whichever writes second
finds the row finished and leaves it.

The result reaches the screen as an :class:`~kiosk.events.ActionDone` event (``request_id``,
``outcome``): the screen shows « un instant… » and carries on drawing meanwhile.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kiosk import events
from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, Conflict, CredentialsError, FinalRefusal, InvalidResponse, Timeout, Unauthorized
from kiosk.api.references import namespace_of, terminal_reference
from kiosk.clock import Clock
from kiosk.services.outcomes import Action, Kind, Outcome, Status
from kiosk.sync.push import PushReport, record_outcome, send_row
from offline_cache import health
from offline_cache.db import generation, open_cache, storage_error
from offline_cache.errors import CacheCorrupt, CacheError
from offline_cache.outbox import Outbox

log = logging.getLogger("kiosk.services")
HOLD_MARGIN_S = 2.0


class ActionRunner:
    """One worker thread, its own SQLite connection and its own non-retrying API client."""

    def __init__(self, cache_path: str | Path, *, client_source: Callable[[], ApiClient | None],
                 clock: Clock | None = None, post: Callable[..., Any] | None = None,
                 wake_sync: Callable[[], None] = lambda: None,
                 known_offline: Callable[[], bool] = lambda: False, timeout_s: float = 5.0) -> None:
        self.cache_path = Path(cache_path)
        self.client_source, self.clock = client_source, clock or Clock()
        self.post = post or events.post
        self.wake_sync, self.known_offline = wake_sync, known_offline
        self.timeout_s = timeout_s
        self._ids = itertools.count(1)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-actions")
        self._conn: sqlite3.Connection | None = None
        self._outbox: Outbox | None = None
        self._client: ApiClient | None = None
        self._source_client: ApiClient | None = None
        self._owner: int | None = None   # the thread that opened the connection
        self._generation = 0

    def submit(self, action: Action) -> int:
        """Queue ``action``; returns the ``request_id`` its ActionDone event will carry."""
        request_id = next(self._ids)
        self._pool.submit(self._run, request_id, action)
        return request_id

    def run(self, action: Action) -> Outcome:
        """The same, synchronously, in the caller's thread (tests, benchmarks, the CLI).
        Never mix with :meth:`submit` on one runner (one cache connection per thread). A disk
        that cannot store it gives the same refused outcome as :meth:`submit`'s."""
        try:
            return self._perform(action)
        except (CacheError, sqlite3.Error) as exc:
            return self._not_stored(action, exc)

    def close(self) -> None:
        """Finish the actions already submitted (each is in the outbox already), then stop."""
        if self._owner == threading.get_ident():
            self._close_connection()
        else:
            with contextlib.suppress(RuntimeError):   # already shut down
                self._pool.submit(self._close_connection)
        self._pool.shutdown(wait=True)

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = self._outbox = None

    # -- in the worker thread --------------------------------------------------------------
    def _run(self, request_id: int, action: Action) -> None:
        try:
            outcome = self._perform(action)
        except (CacheError, sqlite3.Error) as exc:   # the disk: nothing is stored, and the screen says so
            outcome = self._not_stored(action, exc)
        except Exception:   # before or while storing: nothing is stored, the screen must say so
            log.exception("%s could not be stored", action.kind)
            outcome = Outcome(action.kind, Status.ERROR, code="storage_failed")
        if not events.ActionDone(request_id=request_id, outcome=outcome).post(self.post):
            # the screen will not hear of it (queue full, app stopping); the action itself is in the outbox
            log.warning("%s result %d could not be posted to the screen (%s)", action.kind, request_id, outcome.status)

    def _not_stored(self, action: Action, exc: BaseException) -> Outcome:
        """The disk refused the row: nothing is confirmed; the problem is logged once (a full
        disk at every tap would otherwise fill what little room is left with tracebacks)."""
        problem = storage_error(exc, self.cache_path)
        if isinstance(problem, CacheCorrupt):   # checked (and replaced) at the next open
            log.error("%s could not be stored: %s", action.kind, str(problem).split(". ")[0])
            self._close_connection()
        elif not health.noticed(problem, self.cache_path):
            log.info("%s could not be stored (%s, reported already)", action.kind, type(problem).__name__)
        return Outcome(action.kind, Status.ERROR, code="storage_failed")

    def _open(self) -> tuple[sqlite3.Connection, Outbox]:
        if self._conn is not None and self._generation != generation(self.cache_path):
            self._close_connection()   # a damaged file was replaced: this connection reads the old one
        if self._conn is None or self._outbox is None:
            self._conn, self._owner = open_cache(self.cache_path, recover=True), threading.get_ident()
            self._generation = generation(self.cache_path)
            self._outbox = Outbox(self._conn, self.clock)
        return self._conn, self._outbox

    def _online_client(self) -> ApiClient | None:
        source = self.client_source()
        if source is None:
            return None
        if source is not self._source_client:   # the data layer started (or restarted) its client
            connect = min(source.timeout[0], self.timeout_s)
            self._client = source.clone(max_attempts=1, connect_timeout_s=connect, read_timeout_s=self.timeout_s)
            self._source_client = source
        return self._client

    def _perform(self, action: Action) -> Outcome:
        conn, outbox = self._open()
        details = dict(action.details)
        if action.precheck is not None:
            checked = action.precheck(conn)
            if isinstance(checked, Outcome):
                return checked
            details.update(checked)
        client = None if self.known_offline() else self._online_client()
        payload = action.payload
        if client is None and action.offline_number is not None:   # numbered before it can be sent
            number = action.offline_number(conn)
            if number:
                payload, details["offline_number"] = {**payload, "offline_number": number}, number
        key = outbox.enqueue(action.kind, payload, personal=action.personal,
                             hold_s=(self.timeout_s * 2 + HOLD_MARGIN_S) if client is not None else 0.0)
        health.recovered(self.cache_path)   # a write worked: if the disk was full, it has room again
        if client is None:
            return self._offline(outbox, action.kind, key, details, "offline")
        try:
            return self._online(outbox, client, action.kind, key, details, action.offline_number)
        except (CacheError, sqlite3.Error) as exc:   # the answer could not be written (a full disk): resent later
            health.noticed(storage_error(exc, self.cache_path), self.cache_path)
            log.warning("%s stored, its answer could not be written; left to the sync worker", action.kind)
            self.wake_sync()
            return Outcome(action.kind, Status.QUEUED, key, details=details)
        except Exception:   # stored, so not lost: the worker sends it (the hold lapses by itself)
            log.exception("%s stored but its immediate sending failed; left to the sync worker", action.kind)
            self.wake_sync()
            return Outcome(action.kind, Status.QUEUED, key, details=details)

    def _online(self, outbox: Outbox, client: ApiClient, kind: Kind, key: str, details: dict[str, Any],
                offline_number: Callable[[Any], str | None] | None = None) -> Outcome:
        """The online provider: the stored row sent now; its verdict written back as the worker would."""
        row = outbox.get(key)
        if row is None:   # cannot be: it was just written; the caller leaves it to the sync worker
            raise KeyError(key)
        answer = send_row(client, row)
        if _reference_taken(answer, row.payload) and outbox.amend_payload(key, {"reference": (
                fresh := terminal_reference(str(namespace_of(row.payload["reference"]))))}):
            # Another action holds this random reference (rare: one in a billion per booking). The
            # person is still here and nothing was printed yet: the same action, another reference.
            details["reference"] = fresh
            row = outbox.get(key) or row
            answer = send_row(client, row)
        if isinstance(answer, (Unauthorized, CredentialsError)) or (isinstance(answer, ApiError)
                                                                     and answer.retryable):
            # A request that surely did not act (refused at the door, never connected, a 5xx or
            # "come back later") may still be numbered offline; after a timeout or a garbled answer
            # the server may hold the action with a number of its own: no second number is printed.
            if offline_number is not None and not isinstance(answer, (Timeout, InvalidResponse)):
                number = offline_number(self._open()[0])
                if number and outbox.amend_payload(key, {"offline_number": number}):
                    details["offline_number"] = number
            return self._offline(outbox, kind, key, details, type(answer).__name__)
        record_outcome(outbox, PushReport(), row, answer)
        if isinstance(answer, Conflict):   # ``result``: the conflict's details (a check-in's first number)
            return Outcome(kind, Status.CONFLICT, key, alternatives=answer.alternatives, code=answer.code,
                           result=dict(answer.details))
        if isinstance(answer, FinalRefusal):
            return Outcome(kind, Status.REFUSED, key, code=answer.code or str(answer.status))
        if isinstance(answer, ApiError):   # defensive: a new non-retryable kind, recorded as failed
            return Outcome(kind, Status.REFUSED, key, code=answer.code)
        return Outcome(kind, Status.DONE, key, result=answer.model_dump(mode="json"), details=details)

    def _offline(self, outbox: Outbox, kind: Kind, key: str, details: dict[str, Any], why: str) -> Outcome:
        """The offline provider: the row stays for the sync worker, which is woken now."""
        outbox.release(key)
        log.info("%s queued for the sync worker (%s)", kind, why)
        self.wake_sync()
        return Outcome(kind, Status.QUEUED, key, details=details)


def _reference_taken(answer: Any, payload: dict[str, Any]) -> bool:
    """The server refused the terminal's reference as held by another action (409
    ``reference_taken``, not remembered under the key: the same key may come back)."""
    return (isinstance(answer, Conflict) and answer.code == "reference_taken"
            and namespace_of(str(payload.get("reference") or "")) is not None)
