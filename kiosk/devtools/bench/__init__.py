"""`kiosk bench`: start-up time, screen transition frame time, idle CPU and memory.

These are measurements, not tests: a missed target is reported and the exit
code stays 0; only a benchmark that could not run at all gives exit code 1.

This package holds what every benchmark shares: the registry, the statistics,
the report and :func:`main`. The benchmarks themselves live in modules beside
it (:mod:`kiosk.devtools.bench.app_benchmarks`, ...), and :mod:`kiosk.devtools.bench.processes`
has the tools to start `kiosk run`, read its output, stop it and read /proc.

Adding a benchmark (later issues do): in a module ``kiosk/bench/<topic>.py``,
write a function taking a :class:`Session` and returning a dict of figures,
named with their unit (``median_ms``, ``cpu_percent``, ``rss_mib``,
``window_s``; a bare count such as ``samples`` has none), and register it with
:func:`benchmark`. Raise :class:`BenchmarkError` with a sentence a technician
understands when it cannot run. :func:`summarize` turns raw samples into the
usual figures. Then add the module to MODULES at the end of this file:
nothing is discovered by scanning, and benchmarks run in the order of that
list, then in registration order within a module.

Statistics: the median is the middle value (the mean of the two middle ones for
an even count); p99 is the nearest rank, the ⌈0.99·n⌉-th smallest sample, which
for fewer than 100 samples is the maximum (the output says so).

The app runs with SDL's dummy video and audio drivers, so what is measured is
our Python work plus SDL's software surfaces, not a GPU or a panel's refresh.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import platform
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import cache_from_source
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypeVar, cast

REPO = Path(__file__).resolve().parents[3]
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
    run: Callable[[Session], dict[str, Any]]
    judged_on: str | None               # figure compared with ``limit``; None: for information only
    limit: float | None

    def met(self, figures: dict[str, Any]) -> bool | None:
        if self.judged_on is None or self.limit is None:
            return None
        return bool(figures[self.judged_on] <= self.limit)


REGISTRY: dict[str, Benchmark] = {}
T = TypeVar("T")
BenchmarkFunction = Callable[["Session"], dict[str, Any]]


def benchmark(name: str, target_text: str, *, title: str, judged_on: str | None = None,
              limit: float | None = None) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
    """Register ``fn(session) -> figures``; benchmarks run in registration order."""
    def register(fn: BenchmarkFunction) -> BenchmarkFunction:
        REGISTRY[name] = Benchmark(name, target_text, title, fn, judged_on, limit)
        return fn
    return register


@dataclass
class Session:
    """One `kiosk bench` run: the mode, and results that several benchmarks share."""
    quick: bool = False
    _shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, fn: Callable[[], T]) -> T:
        """``fn()`` the first time, its result (or its exception) afterwards."""
        if key not in self._shared:
            try:
                self._shared[key] = fn()
            except Exception as exc:  # noqa: BLE001 - kept, raised again to every bench that shares it
                self._shared[key] = exc
        value = self._shared[key]
        if isinstance(value, Exception):
            raise value
        return cast(T, value)   # what ``fn`` returned: each key has its one ``fn``


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


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "load_1min": round(os.getloadavg()[0], 2),
                            # Without .pyc files every start compiles our sources (≈ 70 ms here): say so.
                            "project_bytecode_cached": Path(cache_from_source(str(REPO / "kiosk" / "app.py"))).exists()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu_model"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
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
    def leave(signum: int, _frame: FrameType | None) -> NoReturn:
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
                 f"{'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'}), "
                 "so each start compiles its sources.")
    rows = [("benchmark", "median", "p99", "target", "result")]
    details, starred = [], False
    for bench in REGISTRY.values():
        if bench.name not in report:     # not asked for (--only)
            continue
        if bench.name in errors:
            rows.append((bench.title, "—", "—", bench.target, "could not run"))
            continue
        f = report[bench.name]
        if "median_ms" in f:
            star = "*" if f["p99_is_max"] else ""
            starred = starred or bool(star)
            cells = (f"{bench.title} (n={f['samples']})", _fmt("median_ms", f["median_ms"]),
                     _fmt("p99_ms", f["p99_ms"]) + star)
        elif bench.judged_on is not None:
            cells = (bench.title, _fmt(bench.judged_on, f[bench.judged_on]), "—")
        else:  # for information only: its figures go to the details below
            cells = (bench.title, "—", "—")
        met = {True: "met", False: "MISSED", None: "—"}[f["met"]]
        rows.append((*cells, bench.target, met))
        shown = {"samples", "p99_is_max", "median_ms", "p99_ms", "target", "met", bench.judged_on}
        extra = ", ".join(f"{k} {_fmt(k, v)}" for k, v in f.items() if k not in shown)
        if extra:
            details.append(f"  {bench.name}: {extra}")
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [head, ""] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows] + [""]
    if starred:
        lines.append("* fewer than 100 samples: p99 is the maximum.")
    lines += [f"Statistics: {P99_METHOD}.", "", "Details:", *details]
    return "\n".join(lines)


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        print(text, file=sys.stderr, flush=True)


def main(as_json: bool = False, quick: bool = False, only: list[str] | None = None) -> int:
    """Run every registered benchmark (or those whose name starts with one of ``only``);
    0 even if a target is missed, 1 if one could not run."""
    session = Session(quick=quick)
    report: dict[str, Any] = {}
    errors: dict[str, str] = {}
    with _signals_unwind():
        for bench in REGISTRY.values():
            if only and not any(bench.name.startswith(prefix) for prefix in only):
                continue
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
    report = {name: report[name] for name in REGISTRY if name in report}  # registry order, failed ones included
    report["machine"] = machine()
    report["quick"] = quick
    report["statistics"] = P99_METHOD
    print(json.dumps(report, ensure_ascii=False, indent=2) if as_json else table(report, errors))
    for name, message in errors.items():
        print(f"kiosk bench: {name} could not run: {message}", file=sys.stderr)
    return 1 if errors else 0


# -- the benchmark modules -------------------------------------------------------------------
# Every benchmark module, in run order: importing one registers its benchmarks. A new module
# is added to this list; nothing is found by scanning the folder. They are imported last, by
# name, because they use the names above (REPO, BenchmarkError, benchmark, ...). The child-process
# tools they share are in kiosk.devtools.bench.processes.
MODULES = (
    "app_benchmarks",        # cold start, transitions, idle CPU, memory
    "cache_benchmarks",      # offline cache: full load, place search
    "sync_benchmarks",       # sync worker: no-change round, flush 1 000 actions
    "scanner_benchmarks",    # scanners: QR decode per frame, HID decoding, degraded set
    "camera_benchmarks",     # camera: phone screens at the counter, cost per frame and share read
    "services_benchmarks",   # services: a day's slots, booking online
    "city_benchmarks",       # city information: search as you type, a 500-place category
    "booking_benchmarks",    # booking: each step, a 200-slot day, the whole flow
    "demarches_benchmarks",  # démarches: each form page's « Continuer » to the next page drawn
    "waiting_room_benchmarks",   # waiting room: an agent's call to the wall's frame
    "checkin_benchmarks",    # check-in: the scan's last key event to the queue ticket's bytes
    "speech_benchmarks",     # speech: say() to the first sample, streamed or whole
    "keypad_benchmarks",     # keypad: a key press to the focus ring drawn
)
for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
