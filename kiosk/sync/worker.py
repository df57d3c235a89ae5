"""The sync worker: one background thread between the offline cache and the central API.

Each round uploads before it downloads (libpretixsync's rule: the slots we download then
already count the bookings we just sent), then posts what the header badge and the admin
screen need. Between rounds it sleeps on an event that :meth:`SyncWorker.notify_new_action`
and :meth:`SyncWorker.sync_now` set, so a citizen's action leaves at once instead of at
the next tick.

Offline: a round whose requests cannot get through marks the worker offline; the next
round waits an exponential, jittered delay (``offline_backoff_base_s`` doubling up to
``offline_backoff_cap_s``). The first round that gets through again is a *reconnect*: it
sends every pending row at once, whatever its own backoff said, because the outage that
delayed them is over. A fresh start counts as a reconnect too (rows left by a power cut
or a kill -9 leave first).

Its own SQLite connection, opened in its own thread (the UI thread has another, see
:mod:`offline_cache.db`); call :meth:`run_once` directly only on a worker that was not
started (tests, benchmarks).
"""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk import events
from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, CredentialsError, InvalidResponse, Unauthorized
from kiosk.clock import Clock
from kiosk.network_state import LinkState
from kiosk.sync.heartbeat import Heartbeat
from kiosk.sync.pull import Puller, PullReport, record_failures, stamp_unchanged
from kiosk.sync.push import PushReport, Refusal, push_rows
from kiosk.usage import UsageCounters
from offline_cache import health
from offline_cache.db import generation, open_cache, storage_error, write_transaction
from offline_cache.errors import CacheCorrupt, CacheError
from offline_cache.migrations import schema_version
from offline_cache.outbox import Outbox

log = logging.getLogger("kiosk.sync")
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
REVOKED_RETRY_S = 300.0      # a revoked terminal checks now and then whether it was re-enrolled
MAX_IDLE_S = 60.0
RECENT_REFUSALS = 5          # shown on the admin screen (newest first), without personal data
TRIM_EVERY = timedelta(hours=1)   # how often delivered and refused outbox rows are bounded


@dataclass
class RoundReport:
    push: PushReport
    pull: PullReport = field(default_factory=PullReport)
    online: bool = False
    error: ApiError | None = None
    heartbeat_error: ApiError | None = None   # not the round's error: the data did get through


class SyncWorker:
    def __init__(self, cache_path: str | Path, client: ApiClient, *, clock: Clock | None = None,
                 post: Callable[..., Any] | None = None, catalog_interval_s: float = 300.0,
                 slots_interval_s: float = 120.0, keys_interval_s: float = 3600.0, slot_days: int = 30,
                 offline_backoff_base_s: float = 5.0, offline_backoff_cap_s: float = 300.0,
                 clock_skew_limit_s: float = 60.0, push_batch: int = 50, push_parallel: int = 4,
                 heartbeat_interval_s: float = 300.0, device_states: Callable[[], dict[str, str]] | None = None,
                 usage: UsageCounters | None = None, rng: random.Random | None = None,
                 link: LinkState | None = None, queue_numbers: bool = False,
                 queue_interval_s: float = 600.0) -> None:
        self.cache_path, self.client = Path(cache_path), client
        self.clock = clock or Clock()
        self.post = post or events.post
        # the header's state, shared with every other request of the terminal (kiosk.network_state)
        self.link = link or LinkState(self.post)
        self.intervals = {"catalog": catalog_interval_s, "slots": slots_interval_s, "keys": keys_interval_s}
        if queue_numbers:   # a counter terminal: blocks of offline queue numbers (kiosk.queue)
            self.intervals["queue"] = queue_interval_s
        self.backoff = (offline_backoff_base_s, offline_backoff_cap_s)
        self.clock_skew_limit_s, self.push_batch = clock_skew_limit_s, push_batch
        # one client per concurrent POST (a requests.Session is not thread-safe); pulls use ``client``
        self._push_clients = [client] + [client.clone() for _ in range(max(1, push_parallel) - 1)]
        self.rng = rng or random.Random()
        self.puller = Puller(slot_days)
        self.online: bool | None = None        # None: not known yet (start-up)
        self.revoked = False
        self.last_success: datetime | None = None
        self.clock_skew_s: float | None = None
        self._refusals: list[Refusal] = []
        self._next_due = {name: float("-inf") for name in self.intervals}
        self.heartbeat = Heartbeat(heartbeat_interval_s, device_states, usage, self.clock.monotonic())
        self._offline_rounds = 0
        self._retry_after: float | None = None
        self._conn: sqlite3.Connection | None = None
        self._outbox: Outbox | None = None
        self._trimmed_at: datetime | None = None
        self._generation = 0
        self._check_next_open = False  # set when a round met a damaged file: the next open reads it whole
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._force = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- what the UI thread calls ----------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the current request (bounded by the client's timeouts), then stop."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def notify_new_action(self) -> None:
        """An outbox row was just committed: send it now, not at the next tick."""
        self._wake.set()

    def sync_now(self) -> None:
        """The admin's "synchroniser maintenant": everything, now, whatever the schedule."""
        self._force = True
        self._wake.set()

    def refusals(self) -> list[Refusal]:
        """Final refusals seen since start, newest last (409 alternatives included)."""
        with self._lock:
            return list(self._refusals)

    # -- one round -------------------------------------------------------------------------
    def run_once(self, force: bool = False) -> RoundReport:
        conn, outbox = self._open()
        force, self._force = force or self._force, False
        reconnect = self.online is not True or force
        report = RoundReport(self._push(outbox, reconnect))
        if report.push.stopped_by is None or not report.push.stopped_by.retryable:
            report.error = report.push.stopped_by
            if report.error is None:
                report.error = self._pull(conn, report.pull, force)
                if report.error is None:
                    self._merge(report.push, self._push(outbox, False))   # rows queued during the downloads
        else:
            report.error = report.push.stopped_by
        if report.error is None and self.heartbeat.next_due <= self.clock.monotonic():
            report.heartbeat_error = self._send_heartbeat(outbox)
        self._after_round(conn, outbox, report)
        return report

    def _send_heartbeat(self, outbox: Outbox) -> ApiError | None:
        try:
            self.heartbeat.send(self.client, now=self.clock.now(), mono=self.clock.monotonic(),
                                outbox_depth=outbox.depth(), last_sync=self.last_success or None,
                                apply=self.apply_override, storage=health.storage_state(self.cache_path))
        except ApiError as exc:   # not retried: the next one, an interval later, is fresher anyway
            log.warning("heartbeat not sent: %s", exc)
            return exc
        return None

    def apply_override(self, name: str, value: Any) -> None:
        """A ``[sync]`` setting changed by the central API (see :mod:`kiosk.sync.heartbeat`)."""
        if name.endswith("_interval_s") and name[:-len("_interval_s")] in self.intervals:
            resource = name[:-len("_interval_s")]
            self._next_due[resource] += value - self.intervals[resource]
            self.intervals[resource] = float(value)
        elif name == "heartbeat_interval_s":
            self.heartbeat.next_due += value - self.heartbeat.interval_s
            self.heartbeat.interval_s = float(value)
        elif name == "offline_backoff_cap_s":
            self.backoff = (self.backoff[0], float(value))
        else:
            raise ValueError(f"sync.{name} cannot be changed while running")

    def _push(self, outbox: Outbox, everything: bool) -> PushReport:
        rows = outbox.due(FAR_FUTURE if everything else self.clock.now(), limit=self.push_batch)
        report = PushReport()
        while rows:
            part = push_rows(outbox, self._push_clients, rows)
            self._merge(report, part)
            # a retried row stays pending: fetching "everything" again would resend it at once
            if part.stopped_by is not None or part.retried or len(rows) < self.push_batch:
                break
            rows = outbox.due(FAR_FUTURE if everything else self.clock.now(), limit=self.push_batch)
        if report.refused:
            with self._lock:
                self._refusals = (self._refusals + report.refused)[-100:]
        return report

    @staticmethod
    def _merge(into: PushReport, part: PushReport) -> None:
        into.acknowledged += part.acknowledged
        into.refused += part.refused
        into.retried += part.retried
        into.stopped_by = into.stopped_by or part.stopped_by

    def _pull(self, conn: sqlite3.Connection, report: PullReport, force: bool) -> ApiError | None:
        """Due resources in order (catalog first: it may add agendas); the first failure that
        is not about one resource ends the round's downloads and is returned."""
        now, mono = self.clock.now(), self.clock.monotonic()
        steps = (("catalog", self.puller.catalog), ("slots", self.puller.slots), ("keys", self.puller.keys),
                 ("queue", self.puller.queue))
        error = None
        for name, step in steps:
            if name not in self.intervals or (not force and self._next_due[name] > mono):
                continue
            try:
                step(conn, self.client, now, report)
            except InvalidResponse as exc:   # a bad answer, not a bad network: keep the old data, go on
                report.failed[name] = exc
            except ApiError as exc:
                report.failed[name] = error = exc
                break
            self._next_due[name] = mono + self.intervals[name]
        stamp_unchanged(conn, report.unchanged, now)
        record_failures(conn, report.failed, now)
        return error

    def _after_round(self, conn: sqlite3.Connection, outbox: Outbox, report: RoundReport) -> None:
        error = report.error
        self.revoked = isinstance(error, (Unauthorized, CredentialsError))
        if self.revoked:
            for client in self._push_clients:   # re-read the file next time: it may be re-enrolled
                client.forget_credentials()
        # a terminal the server does not accept is offline for the person in front of it; so is
        # one whose heartbeat, the round's last request, found the server gone
        beat = report.heartbeat_error
        online = ((error is None or not error.retryable) and not self.revoked
                  and not (beat is not None and beat.retryable and not isinstance(beat, InvalidResponse)))
        report.online = online
        if error is not None:
            log.warning("sync round stopped: %s", error)
        self._offline_rounds = 0 if online else self._offline_rounds + 1
        self._retry_after = getattr(error, "retry_after", None)
        if error is None and not any(isinstance(e, InvalidResponse) for e in report.pull.failed.values()):
            self.last_success = self.clock.now()
        if self.client.clock_skew_s is not None:
            flagged_before = self.clock_skew_flagged
            self.clock_skew_s = self.client.clock_skew_s
            if self.clock_skew_flagged and not flagged_before:
                log.warning("terminal clock differs from the server's by %.0f s: check NTP", self.clock_skew_s)
        if online != self.online:   # news to this worker: the link hears it (its requests told it already
            self.online = online    # when the client shares the link's observer)
            self.link.observe(online)
        self._trim(outbox)
        events.SyncStatus(**self.status(conn, outbox)).post(self.post)

    def _trim(self, outbox: Outbox) -> None:
        """Bound the outbox once an hour (delivered and refused rows; never a pending one)."""
        now = self.clock.now()
        if self._trimmed_at is not None and now - self._trimmed_at < TRIM_EVERY:
            return
        self._trimmed_at = now
        gone = outbox.trim(now)
        if gone:
            log.info("outbox: %d delivered or refused actions forgotten", gone)

    @property
    def clock_skew_flagged(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > self.clock_skew_limit_s

    def status(self, conn: sqlite3.Connection | None = None, outbox: Outbox | None = None) -> dict[str, Any]:
        """What :class:`~kiosk.events.SyncStatus` carries (header badge, admin screen, heartbeat)."""
        if conn is None or outbox is None:
            conn, outbox = self._open()
        failed = conn.execute("SELECT count(*) FROM outbox WHERE state = 'failed'").fetchone()[0]
        refusals = [{"kind": r.kind, "at": r.created_at, "status": r.server_status,
                     "error": (r.server_summary or {}).get("error"), "message": (r.server_summary or {}).get("message")}
                    for r in outbox.failed(limit=RECENT_REFUSALS)]
        return {"last_success": self.last_success, "outbox_depth": outbox.depth(), "failed": failed,
                "refusals": refusals,
                "clock_skew_s": self.clock_skew_s, "clock_skew_flagged": self.clock_skew_flagged,
                "online": bool(self.online), "revoked": self.revoked,
                "storage": health.storage_state(self.cache_path)}

    # -- the thread ------------------------------------------------------------------------
    def _open(self) -> tuple[sqlite3.Connection, Outbox]:
        if self._conn is not None and self._generation != generation(self.cache_path):
            self._close()   # another thread replaced a damaged file: this connection reads the old one
        if self._conn is None or self._outbox is None:
            check, self._check_next_open = self._check_next_open, False
            self._conn = conn = open_cache(self.cache_path, check=check, recover=True)
            self._generation = generation(self.cache_path)
            self._outbox = Outbox(conn, self.clock)
            row = conn.execute("SELECT max(last_success_at) FROM sync_state").fetchone()
            if row[0]:
                self.last_success = datetime.fromisoformat(row[0].replace("Z", "+00:00"))
        return self._conn, self._outbox

    def next_wait_s(self) -> float:
        """Seconds until the next round is worth running."""
        if self.revoked:
            return REVOKED_RETRY_S
        if self.online is False:
            base, cap = self.backoff
            ceiling = min(cap, base * 2 ** min(self._offline_rounds - 1, 20))
            return float(max(ceiling / 2 + self.rng.uniform(0, ceiling / 2), self._retry_after or 0.0))
        mono = self.clock.monotonic()
        wait = min([MAX_IDLE_S, self.heartbeat.next_due - mono] + [due - mono for due in self._next_due.values()])
        conn, _outbox = self._open()
        row = conn.execute("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'").fetchone()
        if row[0]:
            wait = min(wait, (datetime.fromisoformat(row[0].replace("Z", "+00:00")) - self.clock.now()).total_seconds())
        return max(0.05, wait)

    def _probe_room(self) -> None:
        """After a full disk, one tiny write per round says whether there is room again (a round
        may write nothing: all answers « not modified », nothing to send)."""
        if self._conn is None or not health.is_full(self.cache_path):
            return
        with write_transaction(self._conn):
            self._conn.execute(f"PRAGMA main.user_version = {int(schema_version(self._conn))}")
        health.recovered(self.cache_path)

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = self._outbox = None

    def storage_failed(self, exc: BaseException) -> CacheError:
        """A round met the disk, not the network: one line when it is news (a full disk is said
        once, not at every round); a damaged file is checked — and replaced — at the next open."""
        problem = storage_error(exc, self.cache_path)
        if isinstance(problem, CacheCorrupt):   # the one error line is the replacement's (offline_cache.db)
            log.info("sync round stopped: %s; it is read in full at the next round", problem.reason)
            self._check_next_open = True
            self._close()
        else:
            health.noticed(problem, self.cache_path)
        with contextlib.suppress(CacheError, sqlite3.Error):   # if the cache can still be read:
            _conn, outbox = self._open()
            if self.heartbeat.next_due <= self.clock.monotonic():
                self._send_heartbeat(outbox)    # the town hall hears of the disk too
            events.SyncStatus(**self.status()).post(self.post)   # and the admin screen
        return problem

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.clear()   # before the round: a notify during it triggers the next one at once
                try:
                    self.run_once()
                    self._probe_room()
                    wait = self.next_wait_s()
                except (CacheError, sqlite3.Error) as exc:   # the disk: said once, tried again later
                    self.storage_failed(exc)
                    wait = self.backoff[1]
                except Exception:   # never die: a bug in one round must not stop the next
                    log.exception("sync round failed")
                    self.online, wait = False, self.backoff[1]
                self._wake.wait(wait)
        finally:
            self._close()

