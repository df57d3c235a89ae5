"""Service-layer benchmarks: what a booking screen waits for.

* ``services_day_slots``: the reads a booking screen makes on the UI thread — one day's
  slots, three counters merged, 200 slots a day, read for the first time; and the month's
  free days — from a cache on disk with the production settings. Issue 5's time step must
  open in ≤ 8 ms *in all*, so the read's own share is judged against a third of that.
* ``services_book_online``: from the call to the outcome, a booking sent at once to the
  reference server in its own process (outbox commit, keyed POST on loopback, the
  acknowledgement's commit): what a person waits between « Confirmer » and the reference,
  on a network with no latency (for information).
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from kiosk.clock import PARIS
from kiosk.devtools.bench import Session, benchmark, summarize

DAYS = 30
PER_DAY = 200            # slots per day over the three counters
COUNTERS = ("ag-a", "ag-b", "ag-c")
FIRST_DAY = date(2026, 12, 1)


def _fill(path: Path) -> None:
    from offline_cache.catalog import record_success, replace_catalog, upsert_slots
    from offline_cache.db import open_cache

    conn = open_cache(path)
    try:
        replace_catalog(conn, "services", [{"id": "svc-bench", "name": "Banc d'essai", "domain": "État civil",
                                            "agenda_ids": list(COUNTERS), "duration_minutes": 10}])
        replace_catalog(conn, "agendas", [{"id": a} for a in COUNTERS])
        slots = []
        per_counter = PER_DAY // len(COUNTERS) + 1
        for day in range(DAYS):
            opening = datetime.combine(FIRST_DAY + timedelta(days=day), time(8, 0), PARIS)
            for i, agenda in enumerate(COUNTERS):
                for n in range(per_counter):
                    start = opening + timedelta(minutes=3 * n + i)   # counters mostly out of step
                    slots.append({"id": f"{agenda}-{day}-{n}", "agenda_id": agenda, "start": start,
                                  "end": start + timedelta(minutes=10), "places_left": 1 + (n % 2)})
        upsert_slots(conn, slots)
        for agenda in COUNTERS:
            record_success(conn, f"slots:{agenda}", datetime.combine(FIRST_DAY, time(7, 0), PARIS))
    finally:
        conn.close()


@benchmark("services_day_slots", "p99 ≤ 2.7 ms", title="services: a day's slots (200, 3 counters), first read",
           judged_on="p99_ms", limit=2.7)
def services_day_slots(session: Session) -> dict[str, Any]:
    """Each of the 30 days opened for the first time (time cache cleared), 10 rounds (2 in quick
    mode); beside it the month calendar's free days (``month_*``)."""
    from kiosk.booking.availability import _paris
    from kiosk.clock import ManualClock
    from kiosk.services import Availability

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-services-") as tmp:
        path = Path(tmp) / "cache.sqlite3"
        _fill(path)
        reads = Availability(path, ManualClock(datetime.combine(FIRST_DAY, time(7, 0), PARIS)))
        try:
            day_samples, month_samples, shown = [], [], 0
            for round_ in range(1 + (2 if session.quick else 10)):
                for day in range(DAYS):
                    _paris.cache_clear()
                    t0 = perf_counter()
                    slots = reads.day_slots("svc-bench", FIRST_DAY + timedelta(days=day))
                    t1 = perf_counter()
                    reads.free_days("svc-bench", FIRST_DAY, FIRST_DAY + timedelta(days=DAYS - 1))
                    t2 = perf_counter()
                    if round_:
                        day_samples.append((t1 - t0) * 1000)
                        month_samples.append((t2 - t1) * 1000)
                    shown = len(slots)
        finally:
            reads.close()
    return {**summarize(day_samples, "ms"), **summarize(month_samples, "ms", prefix="month_"), "slots_shown": shown}


@benchmark("services_book_online", "for information", title="services: booking online, call to outcome (loopback)")
def services_book_online(session: Session) -> dict[str, Any]:
    """Median of 30 bookings (10 in quick mode), each of a different free slot."""
    from kiosk.booking.service import booking
    from kiosk.clock import Clock
    from kiosk.devtools.bench.sync_benchmarks import _setup
    from kiosk.services import ActionRunner

    person = {"last_name": "Banc-d'Essai", "first_name": "Camille", "phone": "06 00 00 00 00"}
    count = 10 if session.quick else 30
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-book-") as tmp:
        api, client, worker = _setup(Path(tmp), catalog_interval_s=1e9, slots_interval_s=1e9, keys_interval_s=1e9)
        runner = ActionRunner(Path(tmp) / "cache.sqlite3", client_source=lambda: client, clock=Clock())
        conn = worker._conn
        assert conn is not None   # opened by the first sync
        try:
            free = [r[0] for r in conn.execute(
                "SELECT id FROM slots WHERE places_left > 0 AND agenda_id = 'ag-etat-civil-1' "
                "AND start > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 day') ORDER BY start LIMIT ?", (count,))]
            samples = []
            for slot_id in free:
                t0 = perf_counter()
                outcome = runner.run(booking("svc-cni", slot_id, person, Clock().now()))
                samples.append((perf_counter() - t0) * 1000)
                if outcome.status != "done":
                    raise RuntimeError(f"booking {slot_id}: {outcome.status} {outcome.code}")
        finally:
            runner.close()
            conn.close()
            client.close()
            api.stop()
    return summarize(samples, "ms")
