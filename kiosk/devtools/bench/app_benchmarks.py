"""The app's own benchmarks: cold start, screen transitions, idle CPU and memory.

These are what a visitor feels and what a small terminal can afford: the wait from
starting `kiosk run` to its first frame, the time from a tap to the next screen (judged
in portrait, the totems' orientation, and shown for landscape), and what the app costs
while nobody touches it. The two idle figures share one `kiosk run`, started once.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.devtools.bench import BenchmarkError, Session, benchmark, median, summarize
from kiosk.devtools.bench.processes import (
    HEADLESS_ENV,
    SYSTEMD_ENV,
    kiosk_run,
    proc_cpu_s,
    proc_status_mib,
    wait_ready,
)

EXIT_TIMEOUT_S = 10.0
SETTLE_S = 1.0


def _one_cold_start() -> tuple[float, float]:
    with kiosk_run("--exit-after-first-frame") as (proc, lines, t0):
        line = wait_ready(proc, lines)
        wall_ms = (time.perf_counter() - t0) * 1000
        lines.drain(EXIT_TIMEOUT_S, until_eof=True)
        try:
            code = proc.wait(EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise BenchmarkError("`kiosk run --exit-after-first-frame` did not exit after its first frame") from None
        if code != 0:
            raise BenchmarkError(f"`kiosk run` exited with code {code} after its first frame:\n{lines.last()}")
    found = re.search(r"ready in (\d+(?:\.\d+)?) ms", line)
    if not found:
        raise BenchmarkError(f"cannot read the start-up time in {line!r}")
    return wall_ms, float(found.group(1))


@benchmark("cold_start", "median ≤ 400 ms", title="cold start to first frame", judged_on="median_ms", limit=400)
def cold_start(session: Session) -> dict[str, Any]:
    """Wall time from starting `kiosk run` to its "ready in" line; the first run only warms the page cache."""
    runs = [_one_cold_start() for _ in range(3 if session.quick else 10)]
    measured = runs[1:]
    figures = summarize([wall for wall, _ in measured], "ms")
    figures["warmup_ms"] = round(runs[0][0], 3)
    figures.update(summarize([own for _, own in measured], "ms", prefix="app_ready_"))
    return figures


@contextmanager
def _headless_in_process() -> Iterator[None]:
    """Dummy SDL drivers, no systemd, app logs formatted as in production but written nowhere."""
    import logging

    from kiosk.logs import setup_logging

    saved = {k: os.environ.get(k) for k in (*HEADLESS_ENV, *SYSTEMD_ENV)}
    root = logging.getLogger()
    level = root.level
    os.environ.update(HEADLESS_ENV)
    for key in SYSTEMD_ENV:
        os.environ.pop(key, None)
    with open(os.devnull, "w") as sink:
        handler = setup_logging(stream=sink, journal=False)
        try:
            yield
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _transitions(session: Session, size: tuple[int, int]) -> dict[str, Any]:
    """Home → toolkit demo → home …: the time from the tap's action to the new screen presented.

    A tap runs the button's callback (``nav.push``/``nav.pop``, which build and
    lay out the screen) and then draws and presents, all in one loop turn; both
    parts are timed. The first pair warms caches (fonts, glyphs) and is reported apart.
    """
    count = 30 if session.quick else 300
    with _headless_in_process():

        from kiosk import i18n
        from kiosk.clock import ManualClock
        from kiosk.config import REPO_CONFIG_PATH, load_config
        from kiosk.devtools.pilot import Pilot
        from kiosk.shell.app import App
        from screens.shell.toolkit_demo import ToolkitDemoScreen

        app = App(load_config(REPO_CONFIG_PATH, {}), clock=ManualClock(), demo=True, size=size, rotation=0,
                  fullscreen=False)
        total: list[float] = []
        forward: list[float] = []
        back: list[float] = []
        render: list[float] = []
        try:
            app.start()
            pilot = Pilot(app)
            pilot.settle()
            for i in range(count + 2):
                going = i % 2 == 0
                t0 = time.perf_counter_ns()
                if going:
                    app.nav.push(ToolkitDemoScreen(app))
                else:
                    app.nav.pop()
                t1 = time.perf_counter_ns()
                drawn = app.step()
                t2 = time.perf_counter_ns()
                if app.errors:
                    raise BenchmarkError(f"the app failed during a transition: {app.errors[0]!r}")
                if not drawn:
                    raise BenchmarkError("a screen transition presented no frame")
                pilot.settle()
                ms = (t2 - t0) / 1e6
                if i == 0:
                    first_ms = ms
                if i < 2:
                    continue
                total.append(ms)
                (forward if going else back).append(ms)
                render.append((t2 - t1) / 1e6)
        finally:
            app.stop()
            i18n.set_language("fr")
    figures = summarize(total, "ms")
    figures["first_forward_ms"] = round(first_ms, 3)
    figures["forward_median_ms"] = round(median(forward), 3)
    figures["back_median_ms"] = round(median(back), 3)
    figures["render_present_median_ms"] = round(median(render), 3)
    return figures


@benchmark("transition_1080x1920", "p99 ≤ 8 ms", title="screen transition, 1080×1920", judged_on="p99_ms", limit=8)
def transition_portrait(session: Session) -> dict[str, Any]:
    return _transitions(session, (1080, 1920))


@benchmark("transition_1920x1080", "for information", title="screen transition, 1920×1080")
def transition_landscape(session: Session) -> dict[str, Any]:
    return _transitions(session, (1920, 1080))


def _idle_home(quick: bool) -> dict[str, Any]:
    """One `kiosk run` left on its home screen: memory after settling, then CPU over a window."""
    window = 2.0 if quick else 10.0
    with kiosk_run() as (proc, lines, _):
        wait_ready(proc, lines)
        lines.drain(SETTLE_S)
        if proc.poll() is not None:
            raise BenchmarkError(f"`kiosk run` exited with code {proc.returncode} on its home screen:\n{lines.last()}")
        rss = proc_status_mib(proc.pid, "VmRSS")
        peak = proc_status_mib(proc.pid, "VmHWM")
        cpu0, wall0 = proc_cpu_s(proc.pid), time.monotonic()
        lines.drain(window)
        cpu1, wall1 = proc_cpu_s(proc.pid), time.monotonic()
        if proc.poll() is not None:
            raise BenchmarkError(f"`kiosk run` exited with code {proc.returncode} while idle:\n{lines.last()}")
    wall = wall1 - wall0
    return {"cpu_percent": round((cpu1 - cpu0) / wall * 100, 3), "cpu_s": round(cpu1 - cpu0, 3),
            "window_s": round(wall, 3), "resolution_percent": round(100 / os.sysconf("SC_CLK_TCK") / wall, 3),
            "rss_mib": round(rss, 2), "peak_rss_mib": round(peak, 2)}


@benchmark("idle_cpu", "≤ 1 %", title="CPU, home screen static", judged_on="cpu_percent", limit=1)
def idle_cpu(session: Session) -> dict[str, Any]:
    """Share of one core while nothing moves; /proc counts in clock ticks, hence ``resolution_percent``."""
    f = session.once("idle_home", lambda: _idle_home(session.quick))
    return {k: f[k] for k in ("cpu_percent", "cpu_s", "window_s", "resolution_percent")}


@benchmark("rss_after_start", "≤ 80 MiB", title="resident memory after start", judged_on="rss_mib", limit=80)
def rss_after_start(session: Session) -> dict[str, Any]:
    """VmRSS one second after the first frame (1 MiB = 1024 KiB, as /proc counts); VmHWM is the peak so far."""
    f = session.once("idle_home", lambda: _idle_home(session.quick))
    return {k: f[k] for k in ("rss_mib", "peak_rss_mib")}
