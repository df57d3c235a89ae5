"""`kiosk bench`: start-up time, screen transition frame time, idle CPU and memory.

These are measurements, not tests: a missed target is reported and the exit
code stays 0; only a benchmark that could not run at all gives exit code 1.

Adding a benchmark (later issues do): write a function taking a
:class:`Session` and returning a dict of figures, named with their unit
(``median_ms``, ``cpu_percent``, ``rss_mib``, ``window_s``; a bare count such as
``samples`` has none), and register it with :func:`benchmark`. Raise
:class:`BenchmarkError` with a sentence a technician understands when it cannot
run. :func:`summarize` turns raw samples into the usual figures.

Statistics: the median is the middle value (the mean of the two middle ones for
an even count); p99 is the nearest rank, the ⌈0.99·n⌉-th smallest sample, which
for fewer than 100 samples is the maximum (the output says so).

The app runs with SDL's dummy video and audio drivers, so what is measured is
our Python work plus SDL's software surfaces, not a GPU or a panel's refresh.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import select
import signal
import subprocess
import sys
import time
import traceback
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
RUN_ARGS = ("run", "--demo", "--windowed", "--size", "1080x1920")
HEADLESS_ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
SYSTEMD_ENV = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")  # the app must not talk to our service manager
READY = "ready in"
START_TIMEOUT_S = 30.0
EXIT_TIMEOUT_S = 10.0
SETTLE_S = 1.0
STOP_GRACE_S = 3.0
P99_METHOD = ("median: middle value (mean of the two middle ones for an even count); "
              "p99: nearest rank, the ceil(0.99*n)-th smallest sample (the maximum when n < 100)")


class BenchmarkError(Exception):
    """A benchmark could not run; the message says why, for the person at the terminal."""


# -- registry -------------------------------------------------------------------------
@dataclass(frozen=True)
class Benchmark:
    name: str
    target: str                         # as shown, e.g. "p99 ≤ 8 ms"
    title: str
    run: Callable[["Session"], dict[str, Any]]
    judged_on: str | None               # figure compared with ``limit``; None: for information only
    limit: float | None

    def met(self, figures: dict[str, Any]) -> bool | None:
        if self.judged_on is None or self.limit is None:
            return None
        return figures[self.judged_on] <= self.limit


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, target_text: str, *, title: str, judged_on: str | None = None,
              limit: float | None = None):
    """Register ``fn(session) -> figures``; benchmarks run in registration order."""
    def register(fn):
        REGISTRY[name] = Benchmark(name, target_text, title, fn, judged_on, limit)
        return fn
    return register


@dataclass
class Session:
    """One `kiosk bench` run: the mode, and results that several benchmarks share."""
    quick: bool = False
    _shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, fn: Callable[[], Any]) -> Any:
        """``fn()`` the first time, its result (or its exception) afterwards."""
        if key not in self._shared:
            try:
                self._shared[key] = fn()
            except Exception as exc:
                self._shared[key] = exc
        value = self._shared[key]
        if isinstance(value, Exception):
            raise value
        return value


# -- statistics -----------------------------------------------------------------------
def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("no samples")
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the ⌈p/100·n⌉-th smallest value (p99 of < 100 values is the max)."""
    if not values:
        raise ValueError("no samples")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered) - 1e-9)  # guard against 0.99*100 = 99.00000000000001
    return ordered[max(rank, 1) - 1]


def summarize(values: list[float], unit: str, prefix: str = "") -> dict[str, Any]:
    """samples, median, p99, min and max of ``values``, keys named with ``unit``."""
    out: dict[str, Any] = {} if prefix else {"samples": len(values), "p99_is_max": len(values) < 100}
    for stat, value in (("median", median(values)), ("p99", percentile(values, 99)),
                        ("min", min(values)), ("max", max(values))):
        out[f"{prefix}{stat}_{unit}"] = round(value, 3)
    return out


# -- child processes --------------------------------------------------------------------
def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SYSTEMD_ENV}
    env.update(HEADLESS_ENV)
    return env


class OutputLines:
    """A child's output, line by line, with a deadline; no thread, so no added delay."""

    def __init__(self, pipe) -> None:
        self._fd = pipe.fileno()
        self._buf = b""
        self.eof = False
        self.tail: deque[str] = deque(maxlen=15)

    def _line(self, deadline: float) -> str | None:
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if self.eof or remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self.eof = True
                return None
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\n", 1)
        line = raw.decode("utf-8", "replace").rstrip("\r")
        self.tail.append(line)
        return line

    def wait_for(self, text: str, timeout: float) -> str | None:
        """The first line containing ``text``, or None at end of output or after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (line := self._line(deadline)) is not None:
            if text in line:
                return line
        return None

    def drain(self, seconds: float, *, until_eof: bool = False) -> None:
        """Read and forget output for ``seconds``, so the child never blocks on a full pipe.

        With ``until_eof``, return as soon as the output ends (the child exited).
        """
        deadline = time.monotonic() + seconds
        while self._line(deadline) is not None:
            pass
        remaining = deadline - time.monotonic()
        if remaining > 0 and not until_eof:
            time.sleep(remaining)

    def last(self) -> str:
        return "\n".join(f"    {line}" for line in self.tail) or "    (nothing)"


def stop(proc: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``; always reaps the child."""
    try:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def child(argv: list[str], grace_s: float = STOP_GRACE_S) -> Iterator[tuple[subprocess.Popen, OutputLines, float]]:
    """Start ``argv`` (stdout and stderr on one pipe); yields (process, its lines, perf_counter just before start).

    The child is stopped and reaped when the block ends, however it ends.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=child_env(), cwd=REPO, bufsize=0)
    try:
        yield proc, OutputLines(proc.stdout), t0
    finally:
        stop(proc, grace_s)


def kiosk_run(*extra: str):
    return child([sys.executable, "-m", "kiosk", *RUN_ARGS, *extra])


def wait_ready(proc: subprocess.Popen, lines: OutputLines) -> str:
    line = lines.wait_for(READY, START_TIMEOUT_S)
    if line is not None:
        return line
    if proc.poll() is not None:
        why = f"`kiosk run` exited with code {proc.returncode} before its first frame"
    else:
        why = f"`kiosk run` printed no {READY!r} line within {START_TIMEOUT_S:.0f} s"
    raise BenchmarkError(f"{why}; its last output:\n{lines.last()}")


def proc_cpu_s(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_mib(pid: int, key: str) -> float:
    """A memory line of /proc/<pid>/status (in KiB there) in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    raise BenchmarkError(f"/proc/{pid}/status has no {key} line")


# -- the benchmarks -----------------------------------------------------------------------
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
        import pygame

        from kiosk import i18n
        from kiosk.app import App
        from kiosk.clock import ManualClock
        from kiosk.config import REPO_CONFIG_PATH, load_config
        from kiosk.pilot import Pilot
        from screens.toolkit_demo import ToolkitDemoScreen

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
            pygame.display.quit()
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


# -- running and reporting ------------------------------------------------------------------
def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "load_1min": round(os.getloadavg()[0], 2),
                            # Without .pyc files every start compiles our sources (≈ 70 ms here): say so.
                            "project_bytecode_cached": Path(cache_from_source(str(REPO / "kiosk" / "app.py"))).exists()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu_model"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    try:
        import pygame

        info["pygame"] = pygame.version.ver
        info["sdl"] = ".".join(map(str, pygame.get_sdl_version()))
    except ImportError:
        pass
    return info


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGTERM/SIGHUP end the run through ``finally`` blocks, so no child is left behind."""
    def leave(signum, _frame):
        raise SystemExit(128 + signum)

    saved = {s: signal.signal(s, leave) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def _fmt(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    for suffix, unit, digits in (("_ms", " ms", 2), ("_percent", " %", 2), ("_mib", " MiB", 1), ("_s", " s", 2)):
        if key.endswith(suffix):
            return f"{value:.{digits}f}{unit}"
    return f"{value:g}"


def table(report: dict[str, Any], errors: dict[str, str]) -> str:
    m = report["machine"]
    head = (f"Kiosk bench ({'quick' if report['quick'] else 'full'} mode) · {m['cpu_count']} CPUs "
            f"{m.get('cpu_model', '')} · Python {m['python']} · pygame-ce {m.get('pygame', '?')} "
            f"(SDL {m.get('sdl', '?')}, dummy video driver) · load {m['load_1min']}")
    if not m["project_bytecode_cached"]:
        head += ("\nNote: the project has no cached bytecode (.pyc; PYTHONDONTWRITEBYTECODE is "
                 f"{'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'}), so each start compiles its sources.")
    rows = [("benchmark", "median", "p99", "target", "result")]
    details, starred = [], False
    for bench in REGISTRY.values():
        if bench.name in errors:
            rows.append((bench.title, "—", "—", bench.target, "could not run"))
            continue
        f = report[bench.name]
        if "median_ms" in f:
            star = "*" if f["p99_is_max"] else ""
            starred = starred or bool(star)
            cells = (f"{bench.title} (n={f['samples']})", _fmt("median_ms", f["median_ms"]),
                     _fmt("p99_ms", f["p99_ms"]) + star)
        else:
            cells = (bench.title, _fmt(bench.judged_on, f[bench.judged_on]), "—")
        met = {True: "met", False: "MISSED", None: "—"}[f["met"]]
        rows.append((*cells, bench.target, met))
        shown = {"samples", "p99_is_max", "median_ms", "p99_ms", "target", "met", bench.judged_on}
        extra = ", ".join(f"{k} {_fmt(k, v)}" for k, v in f.items() if k not in shown)
        if extra:
            details.append(f"  {bench.name}: {extra}")
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [head, ""] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows] + [""]
    if starred:
        lines.append("* fewer than 100 samples: p99 is the maximum.")
    lines += [f"Statistics: {P99_METHOD}.", "", "Details:", *details]
    return "\n".join(lines)


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        print(text, file=sys.stderr, flush=True)


def main(as_json: bool = False, quick: bool = False) -> int:
    """Run every registered benchmark; 0 even if a target is missed, 1 if one could not run."""
    session = Session(quick=quick)
    report: dict[str, Any] = {}
    errors: dict[str, str] = {}
    with _signals_unwind():
        for bench in REGISTRY.values():
            _progress(f"kiosk bench: {bench.title}…")
            try:
                figures = bench.run(session)
            except BenchmarkError as exc:
                errors[bench.name] = str(exc)
            except Exception as exc:  # noqa: BLE001 - report it and go on with the others
                errors[bench.name] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
            else:
                report[bench.name] = {**figures, "target": bench.target, "met": bench.met(figures)}
    for name, message in errors.items():
        report[name] = {"error": message.splitlines()[0], "target": REGISTRY[name].target, "met": None}
    report = {name: report[name] for name in REGISTRY}  # registry order, failed ones included
    report["machine"] = machine()
    report["quick"] = quick
    report["statistics"] = P99_METHOD
    print(json.dumps(report, ensure_ascii=False, indent=2) if as_json else table(report, errors))
    for name, message in errors.items():
        print(f"kiosk bench: {name} could not run: {message}", file=sys.stderr)
    return 1 if errors else 0
