"""kiosk/devtools/bench/camera_benchmarks.py: each benchmark runs in quick mode, old and new side by side."""

from __future__ import annotations

import pytest

import kiosk.devtools.bench.camera_benchmarks  # noqa: F401 - registers them even before bench/__init__ lists it
from kiosk.devtools.bench import MODULES, REGISTRY, Session

COSTS = ("camera_decode_empty", "camera_decode_blank_phone", "camera_decode_easy", "camera_decode_hard",
         "camera_decode_unreadable")


@pytest.fixture(scope="module")
def figures():
    session = Session(quick=True)
    return {name: REGISTRY[name].run(session) for name in (*COSTS, "camera_phone_set")}


def test_registered_in_the_bench_with_targets():
    assert "camera_benchmarks" in MODULES
    assert [(REGISTRY[n].judged_on, REGISTRY[n].limit) for n in COSTS] == [
        ("median_ms", 3), ("p99_ms", 60), ("median_ms", 3), ("p99_ms", 60), ("p99_ms", 60)]
    assert REGISTRY["camera_phone_set"].limit is None


def test_each_frame_is_timed_with_the_old_and_the_new_pass_list(figures):
    read_by = {name: figures[name]["read_by"] for name in COSTS}
    assert read_by == {"camera_decode_empty": "nothing", "camera_decode_blank_phone": "nothing",
                       "camera_decode_easy": "plain", "camera_decode_hard": "soften-global",
                       "camera_decode_unreadable": "nothing"}
    for name in COSTS:
        f = figures[name]
        assert f["samples"] == 10 and 0 < f["min_ms"] <= f["median_ms"] <= f["p99_ms"] <= f["max_ms"] < 5000
        assert 0 < f["old_min_ms"] <= f["old_median_ms"] <= f["old_p99_ms"] <= f["old_max_ms"] < 5000


def test_the_set_figures_say_what_each_degradation_gains(figures):
    f = figures["camera_phone_set"]
    assert f["frames"] == 11 and f["old_read"] < f["new_read"] <= 11
    kinds = [k[:-len("_old_percent")] for k in f if k.endswith("_old_percent")]
    assert len(kinds) == 11 and "moire" in kinds and "dim_screen" in kinds
    assert all(f[f"{k}_old_percent"] <= f[f"{k}_new_percent"] <= 100 for k in kinds)
