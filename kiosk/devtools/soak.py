"""``kiosk soak``: a long random run of the demo, to find what breaks or grows after weeks of use.

A terminal runs for weeks without a restart, and tests run for seconds. This drives the real
app headless through the pilot (real SDL finger events), on the demo town (the reference server
in a child process, following an accelerated :class:`~kiosk.clock.ManualClock`), with random
taps, typing, drags, scans from the simulated scanner (codes of the town and garbage), network
cuts (the client pointed at a dead port, then back), language and accessibility switches, admin
visits with test prints, and clock jumps long enough to end visits. It reports:

- crashes: exceptions that escaped the app's failsafe (on a terminal the process would have
  died), or the apology screen itself failing (goal 0);
- apology screens: exceptions the failsafe caught (goal 0), each kind with its first traceback;
- events per second;
- resident memory after the warm-up and at the end, and the growth per 10 000 events after the
  warm-up, as the slope of a least-squares line through samples (goal ≤ 1 MiB, printing included).

The actions are drawn from ``--seed``: the same seed replays the same sequence of actions. What
depends on worker threads (when a sync answers, when a print job ends) can still vary from run
to run, so a failure is reproduced by its seed and the traceback, not byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import string
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot

# Controls the monkey never taps: they end the run (quit), fail on purpose (the admin's error test)
# or take the terminal out of service for the rest of the run.
NEVER_TAP = frozenset({"quit", "confirm-quit", "test-failsafe", "toggle-service"})
DEAD_URL = "http://127.0.0.1:9/"      # the discard port: nothing listens there on a developer machine
SAMPLE_EVERY = 2_000                   # events between two memory samples
# The demo's reference server follows a ManualClock at every move, with a round trip to its
# process; a drag or a fling moves the clock at every frame, and on a busy machine each round
# trip waits for the server to be scheduled. The soak tells it the time every this many events.
SERVER_CLOCK_EVERY = 50
# Growth is judged only over this many events after the warm-up: over fewer, the caches still
# filling up to their bounds weigh more than any leak (a smoke run reports it, unjudged).
JUDGED_FROM = 20_000
WORDS = ("mairie", "école", "piscine", "Lefèvre", "Ève", "carte", "passeport", "0612345678",
         "jean.dupont@example.org", "ABCD-1234", "maire e", "ecole maire", "œuvre", "Zoë", "12", "rue")


@dataclass
class SoakReport:
    events: int = 0
    seconds: float = 0.0
    warmup_events: int = 0
    rss_warm_kib: int = 0
    rss_end_kib: int = 0
    samples: list[tuple[int, int]] = field(default_factory=list)   # (events, RSS KiB) after the warm-up
    crashes: list[str] = field(default_factory=list)                # tracebacks
    apologies: int = 0
    apology_kinds: Counter[str] = field(default_factory=Counter)
    first_tracebacks: dict[str, str] = field(default_factory=dict)
    actions: Counter[str] = field(default_factory=Counter)

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def growth_per_10k_mib(self) -> float:
        """Slope of resident memory against events after the warm-up (least squares), MiB per 10 000."""
        pts = self.samples
        if len(pts) < 2:
            return 0.0
        n = len(pts)
        mx = sum(e for e, _ in pts) / n
        my = sum(r for _, r in pts) / n
        sxx = sum((e - mx) ** 2 for e, _ in pts)
        if not sxx:
            return 0.0
        slope = sum((e - mx) * (r - my) for e, r in pts) / sxx     # KiB per event
        return slope * 10_000 / 1024

    def text(self, command: str = "") -> str:
        lines = [f"command: {command}"] if command else []
        lines += [
            f"events: {self.events} in {self.seconds:.0f} s ({self.events_per_s:.0f} events/s), "
            f"warm-up {self.warmup_events}",
            f"resident memory: {self.rss_warm_kib / 1024:.1f} MiB after warm-up, {self.rss_end_kib / 1024:.1f} MiB "
            f"at the end; growth {self.growth_per_10k_mib:+.2f} MiB per 10 000 events (goal <= 1"
            + ("" if self.growth_judged else f"; not judged under {JUDGED_FROM} events after the warm-up") + ")",
            f"crashes: {len(self.crashes)} (goal 0)",
            f"apology screens: {self.apologies} (goal 0)",
            "actions: " + ", ".join(f"{k} {v}" for k, v in sorted(self.actions.items())),
        ]
        for kind, count in self.apology_kinds.most_common():
            lines.append(f"  apology x{count}: {kind}\n{self.first_tracebacks.get(kind, '')}")
        for tb in self.crashes[:5]:
            lines.append(f"  crash:\n{tb}")
        return "\n".join(lines)

    @property
    def growth_judged(self) -> bool:
        return self.events - self.warmup_events >= JUDGED_FROM

    @property
    def ok(self) -> bool:
        growth_ok = self.growth_per_10k_mib <= 1.0 or not self.growth_judged
        return not self.crashes and not self.apologies and growth_ok


def rss_kib() -> int:
    """This process's resident memory (VmRSS), KiB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Monkey:
    """Random actions on a pilot; ``step()`` does one action and returns how many events it cost."""

    def __init__(self, pilot: Pilot, rng: random.Random, *, network_cuts: bool = True) -> None:
        self.pilot = pilot
        self.rng = rng
        self.network_cuts = network_cuts
        self.cut_until = 0          # event count at which a network cut ends (0: no cut)
        self.saved_url: str | None = None
        self.events = 0
        self.actions: Counter[str] = Counter()
        app = pilot.app
        self.admin_pin = "1234"
        self.scans = self._scan_texts(app)
        self.table: list[tuple[float, Callable[[], int]]] = [
            (50, self.tap_widget), (6, self.tap_anywhere), (10, self.type_word), (5, self.drag),
            (4, self.scan), (3, self.switch_language), (3, self.accessibility), (6, self.clock_jump),
            (1.5, self.admin_visit), (1, self.go_home), (1, self.network_cut if network_cuts else self.go_home),
        ]
        self.weights = [w for w, _ in self.table]

    @staticmethod
    def _scan_texts(app: Any) -> list[str]:
        codes: list[str] = []
        with contextlib.suppress(Exception):   # without the reference server's seed: garbage only
            codes += list(app.tracking.demo_codes())
        codes += [c.lower() for c in codes[:2]]
        return codes + ["RDV-7K3P-Q9", "https://example.org/suivi/ABCD-1234", "3017620422003",
                        "WIFI:S:mairie;T:WPA;P:secret;;"]

    # -- one action ---------------------------------------------------------------------------
    def step(self) -> int:
        if self.cut_until and self.events >= self.cut_until:
            self._restore_network()
        action = self.rng.choices(self.table, weights=self.weights)[0][1]
        self.actions[action.__name__] += 1
        spent = max(1, action())
        self.events += spent
        return spent

    def _ids(self) -> list[Any]:
        p = self.pilot
        return [w for w in p.widgets() if w.interactive and w.visible and getattr(w, "enabled", True)
                and w.id not in NEVER_TAP and w.rect.width > 0]

    def tap_widget(self) -> int:
        p = self.pilot
        candidates = self._ids()
        if not candidates:
            return self.tap_anywhere()
        widget = self.rng.choice(candidates)
        p.tap_at(p._reveal(widget).center)
        return 1

    def tap_anywhere(self) -> int:
        w, h = self.pilot.app.display.logical
        point = (self.rng.randrange(w), self.rng.randrange(h))
        # a random point may land on « Tester l'écran d'erreur » or « Quitter »: those are never tapped
        if any(wd.id in NEVER_TAP and wd.visible and wd.rect.collidepoint(point) for wd in self.pilot.widgets()):
            return 1
        self.pilot.tap_at(point)
        return 1

    def type_word(self) -> int:
        p = self.pilot
        keys = [w for w in self._ids() if (w.id or "").startswith("key-")]
        if not keys:
            return self.tap_widget()
        word = self.rng.choice(WORDS)
        typed = 0
        for ch in word:
            try:
                p.type(ch)
            except (LookupError, AssertionError):
                break     # a keypad of digits only, or the screen changed under the word
            typed += 1
        if self.rng.random() < 0.3 and p.has("key-enter"):
            p.tap("key-enter")
            typed += 1
        return typed or self.tap_widget()

    def drag(self) -> int:
        p = self.pilot
        from screens.widgets.containers import ScrollView

        views = [w for w in p.widgets() if isinstance(w, ScrollView) and w.visible]
        r = self.rng.choice(views).rect if views else p.app.viewport
        x = r.x + self.rng.randrange(max(1, r.width))
        y0 = r.y + self.rng.randrange(max(1, r.height))
        y1 = max(0, min(p.app.display.logical[1] - 1, y0 + self.rng.randint(-900, 900)))
        p.drag((x, y0), (x, y1), seconds=self.rng.choice((0.05, 0.2, 0.6)))
        p.settle()
        return 1

    def scan(self) -> int:
        p = self.pilot
        scanner = p.app.devices.scanner
        if scanner is None or not hasattr(scanner, "submit"):
            return self.tap_widget()
        roll = self.rng.random()
        if roll < 0.5:
            text = self.rng.choice(self.scans)
        elif roll < 0.75:
            alphabet = string.ascii_letters + string.digits + "-_.:/ "
            text = "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(1, 80)))
        elif roll < 0.9:    # shaped like a check-in token, signed by nobody
            b64 = string.ascii_letters + string.digits + "-_"
            text = "".join(self.rng.choice(b64) for _ in range(self.rng.randint(8, 60))) + "." + \
                "".join(self.rng.choice(b64) for _ in range(self.rng.randint(16, 90)))
        else:               # too long for any scanner: refused with a reason
            text = "X" * self.rng.randint(513, 2000)
        scanner.submit(text)
        p.settle()
        return 1

    def switch_language(self) -> int:
        p = self.pilot
        if p.has("language"):
            p.tap("language")
        else:
            p.app.update_settings(language="en" if p.app.visit.settings.language == "fr" else "fr")
            p.settle()
        return 1

    def accessibility(self) -> int:
        p = self.pilot
        if p.has("accessibility"):
            p.tap("accessibility")
            spent = 1
            toggles = [w for w in self._ids() if (w.id or "") not in ("go-home", "back", "help", "accessibility")
                       and p.screen is not None and p.screen.name == "accessibility"]
            if toggles:
                widget = self.rng.choice(toggles)
                p.tap_at(p._reveal(widget).center)
                spent += 1
            return spent
        s = p.app.visit.settings
        p.app.update_settings(large_text=not s.large_text)
        p.settle()
        return 1

    def clock_jump(self) -> int:
        seconds = self.rng.choice((0.5, 2, 5, 15, 45, 130, 200, 700))
        self.pilot.advance(seconds, step=max(0.25, seconds / 8))
        return 1

    def go_home(self) -> int:
        self.pilot.app.go_home()
        self.pilot.settle()
        return 1

    def admin_visit(self) -> int:
        p = self.pilot
        p.app.open_admin()
        p.settle()
        if p.screen is None or p.screen.name != "admin_pin":
            return 1
        p.type(self.admin_pin)
        p.tap("key-enter")
        spent = len(self.admin_pin) + 2
        if p.screen is None or p.screen.name != "admin":
            return spent
        for _ in range(self.rng.randint(1, 4)):
            choice = self.rng.choice(("print-test", "print-test", "last-receipt", "sync-now"))
            if p.screen is not None and p.screen.name == "receipt":
                p.app.go_back()
                p.settle()
            if p.has(choice) and getattr(p.widget(choice), "enabled", True):
                p.tap(choice)
                spent += 1
                self.actions[f"admin:{choice}"] += 1
                if choice == "print-test":
                    self._let_printer_work()
        p.app.go_home()
        p.settle()
        return spent + 1

    def _let_printer_work(self) -> None:
        """A print job runs in the printer's thread: give it a little real time, as a person would."""
        printer = self.pilot.app.devices.printer
        if printer is None:
            return
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and not printer._jobs.empty():   # taken by the printer's thread
            time.sleep(0.005)
            self.pilot.app.step()

    def network_cut(self) -> int:
        data = self.pilot.app.data
        client = getattr(data, "client", None)
        if client is None or self.saved_url is not None:
            return self.go_home()
        self.saved_url = client.base_url
        client.base_url = DEAD_URL
        self.cut_until = self.events + self.rng.randint(50, 2_000)
        return 1

    def _restore_network(self) -> None:
        client = getattr(self.pilot.app.data, "client", None)
        if client is not None and self.saved_url is not None:
            client.base_url = self.saved_url
        self.saved_url = None
        self.cut_until = 0


def _now_arg(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(f"{text!r}: give the offset, e.g. 2026-12-01T09:30:00+01:00")
    return when


def run_soak(*, events: int | None = None, duration_s: float | None = None, seed: int = 1,
             warmup: int = 20_000, size: tuple[int, int] = (1080, 1920), now: datetime | None = None,
             network_cuts: bool = True, with_data: bool = True,
             progress: Callable[[str], None] | None = None) -> SoakReport:
    """Run the monkey until ``events`` events or ``duration_s`` seconds, whichever comes first."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from kiosk.clock import ManualClock
    from kiosk.config import load_config, resolve_config_path
    from kiosk.data_layer import DataLayer
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

    if events is None and duration_s is None:
        raise ValueError("give a number of events or a duration")
    config = load_config(resolve_config_path(None), {})
    clock = ManualClock(now)
    app = App(config, clock=clock, demo=True, size=size, fullscreen=False,
              data=DataLayer.demo(config) if with_data else None)
    report = SoakReport(warmup_events=warmup)
    say = progress or (lambda _line: None)
    app.start()
    pilot = Pilot(app)
    try:
        pilot.settle()
        if with_data:
            _wait_for_first_sync(pilot)
        server = _follow_clock_now_and_then(app)
        monkey = Monkey(pilot, random.Random(seed), network_cuts=network_cuts and with_data)
        t0 = time.monotonic()
        next_sample = warmup
        server_told = 0
        while True:
            if events is not None and monkey.events >= events:
                break
            if duration_s is not None and time.monotonic() - t0 >= duration_s:
                break
            try:
                monkey.step()
            except Exception:  # noqa: BLE001 - escaped the app's failsafe: the process would have died
                report.crashes.append(traceback.format_exc())
                say(f"crash after {monkey.events} events:\n{report.crashes[-1]}")
                break
            if app.failsafe.down:
                report.crashes.append("the apology screen itself failed (plain message shown)")
            _take_apologies(pilot, report, say, monkey.events)
            if server is not None and monkey.events // SERVER_CLOCK_EVERY != server_told:
                server_told = monkey.events // SERVER_CLOCK_EVERY
                server.set_now(clock.now)
            if monkey.events >= next_sample:
                rss = rss_kib()
                if not report.samples:
                    report.rss_warm_kib = rss
                report.samples.append((monkey.events, rss))
                next_sample += SAMPLE_EVERY
                if len(report.samples) % 5 == 1:
                    say(f"{monkey.events} events, {time.monotonic() - t0:.0f} s, RSS {rss / 1024:.1f} MiB, "
                        f"{report.apologies} apologies, {len(report.crashes)} crashes")
        monkey._restore_network()
        report.events = monkey.events
        report.seconds = time.monotonic() - t0
        report.rss_end_kib = rss_kib()
        if report.events > warmup:
            report.samples.append((report.events, report.rss_end_kib))
        if not report.rss_warm_kib:
            report.rss_warm_kib = report.rss_end_kib
        report.actions = monkey.actions
    finally:
        app.stop()
    return report


def _follow_clock_now_and_then(app: Any) -> Any:
    """The demo server's process, no longer told of every move of the clock (None without it)."""
    data = app.data
    api = getattr(data, "api", None)
    if api is None:
        return None
    app.clock.remove_listener(data._follow_clock)
    return api


def _take_apologies(pilot: Pilot, report: SoakReport, say: Callable[[str], None], at: int) -> None:
    for exc in pilot.take_errors():
        report.apologies += 1
        kind = f"{type(exc).__name__}: {str(exc)[:160]}"
        if kind not in report.first_tracebacks:
            report.first_tracebacks[kind] = "".join(traceback.format_exception(exc))
            say(f"apology screen after {at} events: {kind}")
        report.apology_kinds[kind] += 1


def _wait_for_first_sync(pilot: Pilot, timeout_s: float = 120.0) -> None:
    """The demo town seeded and synchronised once, as on a terminal that has been running."""
    deadline = time.monotonic() + timeout_s
    app = pilot.app
    while not app.sync_status.get("last_success"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo data layer did not synchronise in {timeout_s:.0f} s "
                               f"({getattr(app.data, 'error', None) or 'no error reported'})")
        app.step()
        time.sleep(0.01)
    pilot.settle()


def main(*, events: int | None, duration_s: float | None, seed: int, warmup: int, size: tuple[int, int],
         now: str | None, network_cuts: bool, command: str) -> int:
    import logging

    logging.disable(logging.ERROR)   # the failsafe logs each apology with its traceback: the report has them
    report = run_soak(events=events, duration_s=duration_s, seed=seed, warmup=warmup, size=size,
                      now=_now_arg(now), network_cuts=network_cuts, progress=lambda line: print(line, flush=True))
    print(report.text(command), flush=True)
    return 0 if report.ok else 1
