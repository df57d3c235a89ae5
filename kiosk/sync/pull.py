"""Downloading: catalog, slots of every cached agenda, keys — each into the cache atomically.

Conditional requests first: the cache's ETag goes out as ``If-None-Match`` and its cursor
as ``?since=``, so a terminal with nothing new costs one 304 per resource and no write
but the "last success" stamp (all stamps of a round in one transaction: one fsync, not
ten — that is what keeps a no-change sync within its 50 ms).

A slot window moves every day; the server's slot deltas only cover the window asked for,
so when the window is not the one the cursor was taken for (a new day, or a restart:
this is remembered in memory only) the agenda is fetched in full for the new window.

An answer that fails validation raises before anything is written: the cache keeps the
previous data, whole. One that passes the contract's models but still cannot be stored (a
time UTC cannot express, a key that is not 32 bytes, slots of another agenda) is the same
:class:`~kiosk.api.errors.InvalidResponse`, for that part only: one agenda's bad slots do not
stop the other agendas, a bad catalog does not stop the keys and revocation lists.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, InvalidResponse, NotFound
from kiosk.clock import PARIS
from offline_cache import catalog as cache_catalog
from offline_cache.db import write_transaction
from offline_cache.from_api import apply_catalog, apply_key_set, apply_slot_list

log = logging.getLogger("kiosk.sync")


@contextmanager
def _storable(resource: str) -> Iterator[None]:
    """An answer the cache cannot take becomes the client's typed error, said once without its
    values (they may be personal), and the transaction it was in is rolled back whole."""
    try:
        yield
    except (ValueError, OverflowError, TypeError, KeyError, sqlite3.IntegrityError) as exc:
        log.warning("%s: the answer cannot be stored (%s); previous data kept", resource, type(exc).__name__)
        raise InvalidResponse(f"{resource}: the answer cannot be stored ({type(exc).__name__})") from None


@dataclass
class PullReport:
    changed: list[str] = field(default_factory=list)       # resources written
    unchanged: list[str] = field(default_factory=list)     # 304
    failed: dict[str, ApiError] = field(default_factory=dict)


class Puller:
    """Remembers each agenda's slot window between rounds (see the module docstring)."""

    def __init__(self, slot_days: int = 30) -> None:
        self.slot_days = slot_days
        self._windows: dict[str, tuple[date, date]] = {}

    def catalog(self, conn: sqlite3.Connection, client: ApiClient, now: datetime, report: PullReport) -> None:
        state = cache_catalog.sync_state(conn, "catalog") or {}
        fetched = client.catalog(etag=state.get("etag"), since=state.get("cursor"))
        if fetched.data is None:   # not modified
            report.unchanged.append("catalog")
            return
        with _storable("catalog"):
            apply_catalog(conn, fetched.data.model_dump(mode="json"), now, etag=fetched.etag)
        report.changed.append("catalog")

    def slots(self, conn: sqlite3.Connection, client: ApiClient, now: datetime, report: PullReport) -> None:
        """Every agenda in the cache, for [today, today + slot_days] (Paris days)."""
        first = now.astimezone(PARIS).date()
        last = first + timedelta(days=self.slot_days)
        agendas = [r[0] for r in conn.execute("SELECT id FROM agendas ORDER BY id")]
        for agenda_id in agendas:
            resource = f"slots:{agenda_id}"
            state = cache_catalog.sync_state(conn, resource) or {}
            same_window = self._windows.get(agenda_id) == (first, last)
            try:
                fetched = client.slots(agenda_id, first, last, etag=state.get("etag") if same_window else None,
                                       since=state.get("cursor") if same_window else None)
                if fetched.data is None:   # not modified
                    report.unchanged.append(resource)
                    continue
                start_from = datetime.combine(first, datetime.min.time(), PARIS)
                start_to = datetime.combine(last + timedelta(days=1), datetime.min.time(), PARIS)
                with _storable(resource):
                    apply_slot_list(conn, fetched.data.model_dump(mode="json"), now, start_from=start_from,
                                    start_to=start_to, etag=fetched.etag)
            except (NotFound, InvalidResponse) as exc:   # about this agenda only (withdrawn, a bad answer)
                report.failed[resource] = exc
                continue
            self._windows[agenda_id] = (first, last)
            report.changed.append(resource)

    def keys(self, conn: sqlite3.Connection, client: ApiClient, now: datetime, report: PullReport) -> None:
        """No ETag on keys: the set is small and replaced whole (unchanged rows are not rewritten)."""
        key_set = client.keys().model_dump(mode="json")
        with _storable("keys"):
            apply_key_set(conn, key_set, now)
        report.changed.append("keys")


def stamp_unchanged(conn: sqlite3.Connection, resources: list[str], now: datetime) -> None:
    """Record "checked, nothing new" for every 304 of a round, in one transaction."""
    if resources:
        with write_transaction(conn):
            for resource in resources:
                cache_catalog.record_success(conn, resource, now)


def record_failures(conn: sqlite3.Connection, failures: dict[str, ApiError], now: datetime) -> None:
    for resource, exc in failures.items():
        cache_catalog.record_failure(conn, resource, now, f"{type(exc).__name__}: {exc}")
