"""The sync benchmarks register and run on a small load (timings are not asserted: the
machine running the tests may be busy)."""

from __future__ import annotations

from kiosk.devtools.bench import REGISTRY, Session, sync_benchmarks


def test_benchmarks_are_registered():
    assert REGISTRY["sync_no_change"].limit == 50 and REGISTRY["sync_no_change"].judged_on == "median_ms"
    assert REGISTRY["sync_flush_1000"].limit == 5 and REGISTRY["sync_flush_1000"].judged_on == "flush_s"


def test_no_change_round_is_all_304(monkeypatch):
    figures = sync_benchmarks.sync_no_change(Session(quick=True))
    assert figures["samples"] == 5 and figures["requests_per_round"] >= 8   # catalog + every agenda
    assert 0 < figures["min_ms"] <= figures["median_ms"] <= figures["max_ms"] < 10_000


def test_flush_sends_everything(monkeypatch):
    monkeypatch.setattr(sync_benchmarks, "QUICK_FLUSH", 40)
    figures = sync_benchmarks.sync_flush_1000(Session(quick=True))
    assert figures["actions"] == 40 and figures["measured_s"] > 0 and figures["flush_s"] >= figures["measured_s"]
