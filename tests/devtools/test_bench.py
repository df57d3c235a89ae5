"""`kiosk bench`: its JSON has every figure with sane units, its statistics are right,
and it never leaves a child process behind. Timings are never asserted against targets:
they depend on the machine and are measurements, not pass/fail criteria.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from kiosk.devtools import bench
from kiosk.devtools.bench import processes

REPO = Path(__file__).resolve().parents[2]
TOKEN_VAR = "KIOSK_BENCH_TEST_TOKEN"
BENCHMARKS = ("cold_start", "transition_1080x1920", "transition_1920x1080", "idle_cpu", "rss_after_start",
              "cache_full_load", "cache_place_search", "booking_steps_1080x1920", "booking_time_200_slots",
              "booking_flow_scripted", "checkin_scan_to_ticket", "waiting_room_call_to_screen",
              "speech_first_sample", "speech_engine_start", "speech_long_streamed", "speech_long_whole_wav",
              "speech_screen", "keypad_focus")
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
# `--quick` takes about 20 s on a quiet machine, but CI runs it beside three other workers on
# two cores, where it has come near two minutes: the limits leave room for that.
QUICK_RUN_LIMIT_S = 300
pytestmark = pytest.mark.timeout(QUICK_RUN_LIMIT_S + 60)


def processes_with(token: str) -> list[int]:
    """Pids of our processes whose environment carries ``token`` (children inherit it)."""
    found = []
    needle = f"{TOKEN_VAR}={token}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # not ours, or gone
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def bench_run():
    token = uuid.uuid4().hex
    env = {**os.environ, TOKEN_VAR: token}
    done = subprocess.run([sys.executable, "-m", "kiosk", "bench", "--json", "--quick"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=QUICK_RUN_LIMIT_S)
    return done, token


def numbers(figures: dict) -> dict[str, float]:
    return {k: v for k, v in figures.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def test_bench_json_has_every_figure(bench_run):
    done, _ = bench_run
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # exactly one JSON object, nothing else on stdout
    assert set(BENCHMARKS) <= set(report)
    assert report["quick"] is True
    assert report["machine"]["cpu_count"] >= 1
    assert report["machine"]["python"].startswith("3.11")
    assert "nearest rank" in report["statistics"]

    for name in BENCHMARKS:
        figures = report[name]
        assert "error" not in figures
        assert isinstance(figures["target"], str) and figures["target"]
        assert figures["met"] in (True, False, None)
        for key, value in numbers(figures).items():
            if key in ("cpu_percent", "cpu_s"):  # a truly idle process may use no measurable CPU
                assert value >= 0, (name, key)
            else:
                assert value > 0, (name, key)

    for name in ("cold_start", "transition_1080x1920", "transition_1920x1080"):
        f = report[name]
        assert f["min_ms"] <= f["median_ms"] <= f["p99_ms"] <= f["max_ms"] < 60_000
        assert f["p99_is_max"] is True and f["p99_ms"] == f["max_ms"]
    assert report["cold_start"]["samples"] == 2  # 3 runs, the first discarded
    assert report["cold_start"]["app_ready_median_ms"] < 60_000
    for name in ("transition_1080x1920", "transition_1920x1080"):
        f = report[name]
        assert f["samples"] == 30
        assert f["render_present_median_ms"] <= f["max_ms"]
        assert report[name]["met"] is (None if name == "transition_1920x1080" else f["p99_ms"] <= 8)

    cpu = report["idle_cpu"]
    assert 1.5 < cpu["window_s"] < 10
    assert cpu["cpu_percent"] <= 100 * report["machine"]["cpu_count"]
    assert 0 < cpu["resolution_percent"] <= 5
    mem = report["rss_after_start"]
    assert 5 < mem["rss_mib"] <= mem["peak_rss_mib"] < 4096  # MiB, not KiB or bytes


def test_bench_leaves_no_process_behind(bench_run):
    done, token = bench_run
    assert done.returncode == 0, done.stderr
    assert processes_with(token) == []


# -- statistics ------------------------------------------------------------------------
def test_median():
    assert bench.median([3, 1, 2]) == 2
    assert bench.median([4, 1, 3, 2]) == 2.5
    assert bench.median([7]) == 7
    with pytest.raises(ValueError):
        bench.median([])


def test_nearest_rank_percentile():
    hundred = list(range(1, 101))
    assert bench.percentile(hundred, 99) == 99
    assert bench.percentile(hundred, 50) == 50
    assert bench.percentile(hundred, 100) == 100
    assert bench.percentile(list(range(1, 301)), 99) == 297    # ceil(0.99 * 300) = 297, despite float rounding
    assert bench.percentile(list(range(1, 1001)), 99) == 990
    assert bench.percentile([5, 1, 9, 3], 99) == 9             # fewer than 100: the maximum
    assert bench.percentile([2.5], 99) == 2.5
    with pytest.raises(ValueError):
        bench.percentile([], 99)
    with pytest.raises(ValueError):
        bench.percentile([1], 0)


def test_summarize_names_units_and_flags_small_samples():
    small = bench.summarize([10.0, 30.0, 20.0], "ms")
    assert small == {"samples": 3, "p99_is_max": True, "median_ms": 20.0, "p99_ms": 30.0,
                     "min_ms": 10.0, "max_ms": 30.0}
    large = bench.summarize([float(v) for v in range(200)], "ms")
    assert large["p99_is_max"] is False and large["p99_ms"] == 197.0
    assert bench.summarize([1.0, 2.0], "ms", prefix="app_")["app_median_ms"] == 1.5


# -- child processes and failures ----------------------------------------------------------
def test_child_is_stopped_when_the_block_fails(monkeypatch):
    token = uuid.uuid4().hex
    monkeypatch.setenv(TOKEN_VAR, token)
    with pytest.raises(RuntimeError), processes.child(SLEEPER) as (proc, _, _):
        assert processes_with(token) == [proc.pid]  # the scan sees a live child
        raise RuntimeError("boom")
    assert proc.returncode is not None
    assert processes_with(token) == []


def test_child_that_ignores_sigterm_is_killed():
    ignore = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ok', flush=True); "
              "time.sleep(60)")
    t0 = time.monotonic()
    with processes.child([sys.executable, "-c", ignore], grace_s=0.3) as (proc, lines, _):
        assert lines.wait_for("ok", 10) == "ok"
    assert proc.returncode == -9
    assert time.monotonic() - t0 < 10


def test_missed_target_exits_0_and_failure_exits_1(monkeypatch, capsys):
    def fine(session):
        return {"samples": 1, "p99_is_max": True, "median_ms": 9.0, "p99_ms": 9.0}

    def broken(session):
        raise bench.BenchmarkError("the app exited with code 2")

    monkeypatch.setattr(bench, "REGISTRY", {})
    bench.benchmark("slow", "p99 ≤ 8 ms", title="slow thing", judged_on="p99_ms", limit=8)(fine)
    assert bench.main(as_json=True, quick=True) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["slow"]["met"] is False

    bench.benchmark("broken", "≤ 1 %", title="broken thing", judged_on="cpu_percent", limit=1)(broken)
    assert bench.main(as_json=False, quick=True) == 1
    captured = capsys.readouterr()
    assert "could not run" in captured.out and "MISSED" in captured.out
    assert "kiosk bench: broken could not run: the app exited with code 2" in captured.err


def test_only_runs_the_benchmarks_named(monkeypatch, capsys):
    ran = []

    def make(name):
        def run(session):
            ran.append(name)
            return {"samples": 1, "p99_is_max": True, "median_ms": 1.0, "p99_ms": 1.0}
        return run

    monkeypatch.setattr(bench, "REGISTRY", {})
    for name in ("booking_steps", "booking_time", "cold_start"):
        bench.benchmark(name, "p99 ≤ 8 ms", title=name, judged_on="p99_ms", limit=8)(make(name))
    assert bench.main(as_json=False, quick=True, only=["booking"]) == 0
    assert ran == ["booking_steps", "booking_time"]
    assert "cold_start" not in capsys.readouterr().out


def test_booking_figures(bench_run):
    report = json.loads(bench_run[0].stdout)
    steps = report["booking_steps_1080x1920"]
    assert steps["samples"] == 5 * 8 and steps["worst_step"] in ("services", "before_you_book", "day", "time",
                                                                   "who", "confirm", "done", "cancel")
    assert steps["min_ms"] <= steps["done_median_ms"] <= steps["max_ms"]
    assert report["booking_time_200_slots"]["samples"] == 10
    flow = report["booking_flow_scripted"]
    assert flow["samples"] == 1 and 500 < flow["ticket_bytes"] < 1500


def test_demarche_pages_figures(bench_run):
    """Every page of both démarches is timed, « Continuer » to the next page drawn."""
    done, _ = bench_run
    figures = json.loads(done.stdout)["demarche_pages_1080x1920"]
    assert "error" not in figures, figures
    pages = {key[:-len("_p99_ms")] for key in figures if key.endswith("_p99_ms") and ":" in key}
    assert pages == {"acte-etat-civil:record", "acte-etat-civil:requester", "acte-etat-civil:person",
                     "acte-etat-civil:parents", "acte-etat-civil:delivery", "signalement-voirie:category",
                     "signalement-voirie:where", "signalement-voirie:description", "signalement-voirie:contact"}
    assert figures["samples"] == 5 * len(pages)
    assert 0 < figures["median_ms"] <= figures["p99_ms"] and figures["met"] is (figures["p99_ms"] <= 8)
    assert figures["worst_page"] in pages
