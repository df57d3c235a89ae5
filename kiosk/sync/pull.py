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

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, FinalRefusal, InvalidResponse, NotFound
from kiosk.clock import PARIS
from kiosk.demarches.form import form_problem
from kiosk.queue import memory as queue_memory
from kiosk.queue import numbering
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
            apply_catalog(conn, fetched.data.model_dump(mode="json", by_alias=True), now, etag=fetched.etag,
                          check_form=form_problem)
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


    def queue(self, conn: sqlite3.Connection, client: ApiClient, now: datetime, report: PullReport) -> None:
        """A counter terminal's offline numbering (issue 12): today's and tomorrow's blocks of
        numbers — asked once per day (the server gives the same block on every call), so a round
        costs no request once both are here — and, at most hourly, the letters of the services'
        check-in numbers, read from the queue board (the catalog carries each agenda's letter too,
        stored at catalog sync; the board covers a server from before that). Past days
        are forgotten. A refusal (no block left today, a server without queues) is about that
        part only: it is recorded and the round goes on."""
        today = now.astimezone(PARIS).date()
        numbering.purge_before(conn, today)
        queue_memory.purge_before(conn, today)
        for day in (today, today + timedelta(days=1)):
            if numbering.block_for(conn, day) is not None:
                continue
            resource = f"number_block:{day.isoformat()}"
            try:
                block = client.number_block(day)
            except FinalRefusal as exc:
                report.failed[resource] = exc
                continue
            with _storable(resource):
                if block.day != day:
                    raise ValueError("a block for another day")
                numbering.store_block(conn, numbering.Block(day, block.first, block.last), now)
                cache_catalog.record_success(conn, resource, now)
            report.changed.append(resource)
        state = cache_catalog.sync_state(conn, "queue_letters") or {}
        if str(state.get("last_success_at") or "") > str(cache_catalog.utc_text(now - LETTERS_EVERY)):
            return
        try:
            board = client.queues()
        except FinalRefusal as exc:
            report.failed["queue_letters"] = exc
            return
        first_agendas = _first_agendas(conn)
        with _storable("queue_letters"), write_transaction(conn):
            for queue in board.queues:
                # a service without walk-ins is listed with its first agenda's letter; one with
                # walk-ins, with its walk-in letter (not a check-in's)
                agenda_id = first_agendas.get(queue.service_id)
                if not queue.accepts_walk_ins and agenda_id:
                    queue_memory.learn_letter(conn, agenda_id, queue.letter, now)
            cache_catalog.record_success(conn, "queue_letters", now)
        report.changed.append("queue_letters")


#: How often the letters of check-in numbers are read again (they change with the town's agendas).
LETTERS_EVERY = timedelta(hours=1)


def _first_agendas(conn: sqlite3.Connection) -> dict[str, str]:
    """service id → its first agenda (from the cached catalog)."""
    out: dict[str, str] = {}
    for service_id, agenda_ids in conn.execute("SELECT id, agenda_ids FROM services"):
        agendas: Any = json.loads(agenda_ids or "[]")
        if isinstance(agendas, list) and agendas:
            out[str(service_id)] = str(agendas[0])
    return out


def stamp_unchanged(conn: sqlite3.Connection, resources: list[str], now: datetime) -> None:
    """Record "checked, nothing new" for every 304 of a round, in one transaction."""
    if resources:
        with write_transaction(conn):
            for resource in resources:
                cache_catalog.record_success(conn, resource, now)


def record_failures(conn: sqlite3.Connection, failures: dict[str, ApiError], now: datetime) -> None:
    for resource, exc in failures.items():
        cache_catalog.record_failure(conn, resource, now, f"{type(exc).__name__}: {exc}")
