"""kiosk/bench/scanner_benchmarks.py: each benchmark runs in quick mode and returns sane figures."""

from __future__ import annotations

import pytest

import kiosk.devtools.bench.scanner_benchmarks  # noqa: F401 - registers them even before bench/__init__ lists it
from kiosk.devtools.bench import REGISTRY, Session

NAMES = ("scanner_qr_frame", "scanner_qr_empty", "scanner_hid_decode", "scanner_qr_degraded")


@pytest.fixture(scope="module")
def figures():
    session = Session(quick=True)
    return {name: REGISTRY[name].run(session) for name in NAMES}


def test_registered_with_targets():
    assert [REGISTRY[n].limit for n in NAMES] == [3, 2, 20, None]


def test_decode_figures(figures):
    for name in ("scanner_qr_frame", "scanner_qr_empty"):
        f = figures[name]
        assert f["samples"] == 30 and 0 < f["min_ms"] <= f["median_ms"] <= f["max_ms"] < 1000


def test_hid_figures(figures):
    f = figures["scanner_hid_decode"]
    assert f["events"] == 10_000 and f["scans"] > 100 and 0 < f["median_ms"] < 1000


def test_degraded_figures(figures):
    f = figures["scanner_qr_degraded"]
    assert f["frames"] == 75 and f["zxing_clean_percent"] == 100 and f["zxing_thorough_clean_percent"] == 100
    assert all(0 <= v <= 100 for k, v in f.items() if k.endswith("_percent"))
