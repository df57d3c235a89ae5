"""The city benchmarks run and report sane figures (on a small town: timings are not asserted)."""

from __future__ import annotations

import pytest

from kiosk.devtools.bench import REGISTRY, Session, city_benchmarks


@pytest.fixture
def small_town(monkeypatch):
    monkeypatch.setattr(city_benchmarks, "PLACES", 1000)
    monkeypatch.setattr(city_benchmarks, "CATEGORY_SIZE", 50)


def test_benchmarks_are_registered():
    assert REGISTRY["city_search"].limit == 5 and REGISTRY["city_search"].judged_on == "p99_ms"
    assert REGISTRY["city_category"].limit == 20 and REGISTRY["city_category"].judged_on == "median_ms"


def test_keystrokes_include_mistyped_words():
    strokes = city_benchmarks.typed_keystrokes()
    assert strokes[:3] == ["m", "mé", "méd"] and "mediatehque" in strokes and "mediatehq" in strokes


def test_search_figures(small_town):
    figures = city_benchmarks.city_search(Session(quick=True))
    assert figures["samples"] == figures["distinct_queries"]
    assert 0 < figures["min_ms"] <= figures["median_ms"] <= figures["p99_ms"] <= figures["max_ms"] < 10_000
    assert figures["queries_with_results_percent"] > 80
    found, total = map(int, figures["mistyped_words_found"].split("/"))
    assert found == total == len(city_benchmarks.MISTYPED)


def test_category_figures(small_town):
    figures = city_benchmarks.city_category(Session(quick=True))
    assert figures["places"] == 50 and figures["samples"] == 5
    assert 0 < figures["median_ms"] <= figures["max_ms"] < 10_000
    assert figures["unparsed_median_ms"] > 0 and 1 < figures["distinct_hours"] <= 50
    assert 0 < figures["open_now"] < 50          # a Tuesday at lunch time: some open, some not
