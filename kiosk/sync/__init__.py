"""Keeping the offline cache and the central API in step, off the UI thread.

A **thread**, not a separate process, because:

* the work is waiting — on the network (``requests`` releases the GIL while it waits) and
  on SQLite commits (``sqlite3`` releases it too) — so a thread costs the UI almost
  nothing, and the few CPU-bound moments (parsing a full catalog after enrolment) are
  rare and short;
* results reach the UI as pygame events, and ``pygame.event.post`` is thread-safe inside
  one process; a process would need a pipe or socket protocol of its own, plus a second
  systemd unit to supervise and watchdog;
* durability does not come from isolation but from SQLite: every outbox row is committed
  (synchronous=FULL) before the screen confirms, the worker only marks rows, and each row
  is sent with its UUID as Idempotency-Key — a kill -9 of the whole process at any moment
  loses nothing and duplicates nothing (the kill -9 test checks it). A crashed thread
  would not either: the round is wrapped and restarted.

The worker has its own SQLite connection (the UI thread has another; WAL lets both work).

* :mod:`kiosk.sync.worker` — :class:`SyncWorker`: the schedule, online/offline, events;
* :mod:`kiosk.sync.push` — sending outbox rows and writing each verdict back;
* :mod:`kiosk.sync.pull` — catalog, slots and keys into the cache (ETag, cursors, windows).
"""

from kiosk.sync.push import Refusal
from kiosk.sync.worker import RoundReport, SyncWorker

__all__ = ["SyncWorker", "RoundReport", "Refusal"]
