"""The sync worker's part of counter check-in: today's and tomorrow's number blocks and the agendas'
letters kept in the cache; a day without a block left is said and recorded, the round goes on, and
an offline check-in that day gets no invented number; a street totem asks for no block."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from counter_town import ON_TIME, START

from kiosk.api.errors import Conflict
from kiosk.checkin.counter import CounterCheckin
from kiosk.clock import PARIS, ManualClock
from kiosk.demo_api import db
from kiosk.queue import memory, numbering
from kiosk.services import Services, Status
from kiosk.sync.worker import SyncWorker
from offline_cache.catalog import sync_state
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server

TODAY = ON_TIME.astimezone(PARIS).date()


def worker_for(counter_town, cache, *, counter: bool = True) -> SyncWorker:
    return SyncWorker(cache, counter_town.client, clock=ManualClock(ON_TIME), post=lambda *a, **k: None,
                      queue_numbers=counter)


def test_blocks_and_letters_are_kept_and_asked_once_a_day(counter_town):
    counter_town.server_clock.now = ON_TIME
    cache = counter_town.run_dir / "cache.sqlite3"
    worker = worker_for(counter_town, cache)
    first = worker.run_once()
    assert first.error is None and {f"number_block:{TODAY}", f"number_block:{TODAY + timedelta(days=1)}",
                                    "queue_letters"} <= set(first.pull.changed)
    conn = open_cache(cache)
    try:
        today = numbering.block_for(conn, TODAY)
        assert today is not None and (today.first, today.last) == (960, 999)
        assert memory.letter_for(conn, "ag-etat-civil-1") == "A"          # svc-cni's first agenda
        assert memory.letter_for(conn, "ag-urbanisme") == "U"     # the board lists T (walk-ins); the catalog says U
    finally:
        conn.close()
    again = worker.run_once(force=True)
    assert not any(r.startswith("number_block") for r in again.pull.changed)   # the same blocks: not asked again


def test_no_block_left_is_recorded_and_numbers_nothing(counter_town):
    counter_town.server_clock.now = ON_TIME
    server = db.connect(counter_town.db_path)
    with server:                                   # every block of today is taken (another terminal)
        server.execute("INSERT INTO number_blocks VALUES (?, 'dev-autre', 1, 40)", (TODAY.isoformat(),))
    server.close()
    cache = counter_town.run_dir / "cache.sqlite3"
    report = worker_for(counter_town, cache).run_once()
    assert report.error is None                                         # the round went on
    assert isinstance(report.pull.failed[f"number_block:{TODAY}"], Conflict)
    conn = open_cache(cache)
    try:
        assert numbering.block_for(conn, TODAY) is None
        assert numbering.block_for(conn, TODAY + timedelta(days=1)) is not None
        assert "no_block_left" in (sync_state(conn, f"number_block:{TODAY}") or {})["failure_reason"] \
            or "Conflict" in (sync_state(conn, f"number_block:{TODAY}") or {})["failure_reason"]
    finally:
        conn.close()
    booking = counter_town.book()
    services = Services(cache, client_source=lambda: None, clock=ManualClock(ON_TIME), post=lambda *a, **k: None,
                        known_offline=lambda: True)
    try:
        counter = CounterCheckin(services, early_min=30, late_grace_min=15, town="Ville", follow_url=None)
        arrival = counter.examine(booking.checkin_token)
        assert arrival.case is None and arrival.verified
        outcome = services.actions.run(counter.action(replace(arrival)))
        assert outcome.status is Status.QUEUED and "offline_number" not in outcome.details
        result = counter.conclude(arrival, outcome)
        assert result.view is not None and result.view.number is None      # sent to the reception desk
    finally:
        services.close()


def test_a_street_totem_asks_for_no_block(counter_town):
    counter_town.server_clock.now = START
    report = worker_for(counter_town, counter_town.run_dir / "cache.sqlite3", counter=False).run_once()
    assert report.error is None and not any(r.startswith(("number_block", "queue")) for r in report.pull.changed)
    server = db.connect(counter_town.db_path)
    try:
        assert server.execute("SELECT count(*) FROM number_blocks").fetchone()[0] == 0
    finally:
        server.close()
