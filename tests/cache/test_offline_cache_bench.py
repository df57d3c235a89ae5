"""The cache benchmarks run and report sane figures (on a small town: timings are not asserted)."""

from __future__ import annotations

import pytest

from kiosk.devtools.bench import REGISTRY, Session, cache_benchmarks


@pytest.fixture
def small_town(monkeypatch):
    monkeypatch.setattr(cache_benchmarks, "PLACES", 500)
    monkeypatch.setattr(cache_benchmarks, "SLOTS", 2000)


def test_benchmarks_are_registered():
    assert REGISTRY["cache_full_load"].limit == 3 and REGISTRY["cache_full_load"].judged_on == "load_s"
    assert REGISTRY["cache_place_search"].limit == 5 and REGISTRY["cache_place_search"].judged_on == "p99_ms"


def test_typed_queries_are_every_keystroke():
    queries = cache_benchmarks.typed_queries()
    assert queries[:3] == ["m", "mé", "méd"] and "médiathèque" in queries
    assert all(not q.endswith(" ") for q in queries)


def test_full_load_figures(small_town):
    figures = cache_benchmarks.cache_full_load(Session(quick=True))
    assert figures["runs"] == 1 and figures["slots"] == 2000 and figures["places"] == 500
    assert 0 < figures["load_s"] <= figures["max_load_s"] < 60
    assert figures["file_mib"] > 0


def test_search_figures(small_town):
    figures = cache_benchmarks.cache_place_search(Session(quick=True))
    assert figures["samples"] == 2 * figures["distinct_queries"]
    assert 0 < figures["min_ms"] <= figures["median_ms"] <= figures["p99_ms"] <= figures["max_ms"] < 10_000
    assert figures["queries_with_results_percent"] > 80
