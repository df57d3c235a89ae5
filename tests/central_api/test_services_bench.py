"""The service benchmarks register and run on a small load (timings are not asserted: the
machine running the tests may be busy)."""

from __future__ import annotations

from kiosk.devtools.bench import REGISTRY, Session, services_benchmarks


def test_benchmarks_are_registered():
    assert REGISTRY["services_day_slots"].limit == 2.7 and REGISTRY["services_day_slots"].judged_on == "p99_ms"
    assert REGISTRY["services_book_online"].limit is None


def test_day_slots_reads_a_full_day_and_the_month():
    figures = services_benchmarks.services_day_slots(Session(quick=True))
    assert figures["samples"] == 2 * services_benchmarks.DAYS
    assert figures["slots_shown"] >= services_benchmarks.PER_DAY    # out-of-step counters: one entry per time
    assert 0 < figures["min_ms"] <= figures["median_ms"] <= figures["max_ms"]
    assert 0 < figures["month_min_ms"] <= figures["month_median_ms"]


def test_online_booking_round_trip():
    figures = services_benchmarks.services_book_online(Session(quick=True))
    assert figures["samples"] == 10 and 0 < figures["min_ms"] <= figures["median_ms"] <= figures["max_ms"]
