"""What many test modules share, in one place so that the copies cannot drift: recorders of
what drivers post, fakes of evdev devices and input events, waiting on real threads, pilot
steps, and the kill -9 harness of the durability tests.

The fixtures live elsewhere: ``conftest.py`` (the app's pilot) and the scenario modules
``booking_town.py`` (the demo town a booking or tracking test runs against, registered as a
plugin by ``conftest.py``) and ``city_support.py`` (a cache seeded with the demo town's
city data). This module holds no fixture: importing it adds nothing to a test's namespace.
"""

from __future__ import annotations

import json
import os
import queue
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pygame
from evdev import InputEvent
from evdev import ecodes as e

from drivers.touch.transform import Axes
from kiosk import events

REPO = Path(__file__).resolve().parent.parent


# -- waiting on real threads ---------------------------------------------------------------
def wait_for(predicate: Callable[[], object], timeout: float = 2.0, *, every: float = 0.005,
             between: Callable[[], object] | None = None) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds passed; its last answer, as a bool.

    ``between`` runs after each nap (a pilot's ``settle``, so that the app handles what the
    threads posted meanwhile)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
        if between is not None:
            between()
    return bool(predicate())


def settle_until(pilot: Any, condition: Callable[[], object], timeout: float = 30.0, every: float = 0.05) -> None:
    """Let real time pass (worker threads, child processes), the app handling its events, until
    ``condition()`` holds; fails the test after ``timeout`` seconds."""
    assert wait_for(condition, timeout, every=every, between=pilot.settle), "timed out"


# -- pilot steps ---------------------------------------------------------------------------
def open_admin(pilot: Any, pin: str = "1234") -> None:
    pilot.app.open_admin()
    pilot.settle()
    pilot.type(pin)
    pilot.tap("key-enter")
    assert pilot.screen.name == "admin"


# -- what drivers post ---------------------------------------------------------------------
class Posted(list[tuple[Any, dict[str, Any]]]):
    """A driver's ``post`` callable that records ``(event type or name, attributes)``."""

    def __call__(self, event_type: Any, **attrs: Any) -> bool:
        self.append((event_type, attrs))
        return True

    def of(self, event_type: Any) -> list[dict[str, Any]]:
        return [a for t, a in self if t == event_type]


class PygameEvents:
    """Drains the pygame queue and keeps the app's events that drivers posted (``kiosk.events.post``)."""

    def __init__(self) -> None:
        self.seen: list[pygame.event.Event] = []

    def wait(self, event_type: int, timeout: float = 3.0, **match: Any) -> pygame.event.Event:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.seen:
                if event.type == event_type and all(getattr(event, k, None) == v for k, v in match.items()):
                    self.seen.remove(event)
                    return event
            if time.monotonic() > deadline:
                names = [(events.NAMES.get(ev.type), ev.dict) for ev in self.seen]
                raise AssertionError(f"no {events.NAMES[event_type]} {match} within {timeout}s; got {names}")
            self.seen.extend(ev for ev in pygame.event.get() if ev.type in events.NAMES)
            time.sleep(0.01)

    def states(self) -> list[str]:
        self.seen.extend(ev for ev in pygame.event.get() if ev.type in events.NAMES)
        return [ev.state for ev in self.seen if ev.type == events.DEVICE_STATE]


# -- evdev ---------------------------------------------------------------------------------
def ev(t: int, code: int, value: int) -> InputEvent:
    """An input event without a timestamp."""
    return InputEvent(0, 0, t, code, value)


def syn() -> InputEvent:
    return ev(e.EV_SYN, e.SYN_REPORT, 0)


class _FakeGrabbedDevice:
    """Stands for a grabbed evdev device at ``path``: yields queued batches of events; gone when the
    path is. Each kind keeps the devices it opened, in order, in ``opened`` (reset it per test)."""

    opened: ClassVar[list[Any]]
    what: ClassVar[str]

    def __init__(self, path: str) -> None:
        if not os.path.exists(path):
            raise self._gone(path)
        self.path, self.queue, self.closed = path, queue.Queue[list[InputEvent]](), False
        type(self).opened.append(self)

    def _gone(self, path: str) -> Exception:
        raise NotImplementedError

    def read(self, timeout: float) -> list[InputEvent]:
        if not os.path.exists(self.path):
            raise self._gone(self.path)
        try:
            return self.queue.get(timeout=min(timeout, 0.02))
        except queue.Empty:
            return []

    def close(self) -> None:
        self.closed = True


class FakeScannerDevice(_FakeGrabbedDevice):
    """A grabbed HID scanner, for ``HidScanner(open_device=...)``."""

    opened: ClassVar[list[Any]] = []

    def _gone(self, path: str) -> Exception:
        from drivers.scanner.hid import DeviceGone
        return DeviceGone(f"{path} is gone (scanner unplugged?)")


class FakeJackNode(_FakeGrabbedDevice):
    """The headset jack's input node, for ``JackReader(open_device=...)``: headset in or not at
    open as ``plugged_now`` says (reset it per test with ``opened``)."""

    opened: ClassVar[list[Any]] = []
    plugged_now = False

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.plugged_at_open = type(self).plugged_now

    def _gone(self, path: str) -> Exception:
        from drivers.evdev_input import DeviceGone
        return DeviceGone(f"{path} is gone (headset jack unplugged?)")


class FakeKeypadDevice(_FakeGrabbedDevice):
    """A grabbed numeric keypad, for ``EvdevKeypad(open_device=...)``."""

    opened: ClassVar[list[Any]] = []

    def _gone(self, path: str) -> Exception:
        from drivers.evdev_input import DeviceGone
        return DeviceGone(f"{path} is gone (keypad unplugged?)")


TOUCH_AXES = Axes((0, 4095), (0, 4095), None, multitouch=True)


class FakeTouchDevice(_FakeGrabbedDevice):
    """A grabbed multitouch screen, for ``EvdevTouch(open_device=...)``."""

    opened: ClassVar[list[Any]] = []
    axes = TOUCH_AXES
    current_slot = 0

    def _gone(self, path: str) -> Exception:
        from drivers.touch.device import DeviceGone
        return DeviceGone(f"{path} is gone (touch screen unplugged?)")


# -- kill -9 -------------------------------------------------------------------------------
def _lines(child: subprocess.Popen[bytes], until: float, buf: bytes = b"") -> list[str]:
    """Whatever the child printed before ``until`` (non-blocking reads on its stdout), after ``buf``."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
    return buf.decode().splitlines()


#: The start of a kill -9 child (``python -c``): a terminal's API client and sync worker on the cache,
#: on the test's time. The test's script goes on from there (its argv: base URL, credentials, cache,
#: a JSON file of slot ids, the instant, the round number as seed).
KILL_CHILD_TERMINAL = r"""
import json, random, sys, time
from datetime import datetime
from kiosk.api.client import ApiClient
from kiosk.clock import StartedClock
from kiosk.sync import SyncWorker

base, creds, cache, slots_file, now, seed = sys.argv[1:7]
clock = StartedClock(datetime.fromisoformat(now))      # the test's instant, not the wall clock
slots = json.load(open(slots_file))
rng = random.Random(int(seed))
client = ApiClient(base, credentials_path=creds, max_attempts=1, connect_timeout_s=1, read_timeout_s=5,
                   now=clock.now)
worker = SyncWorker(cache, client, clock=clock, post=lambda *a, **k: None, catalog_interval_s=3600,
                    slots_interval_s=3600, keys_interval_s=3600)
worker.start()
"""


#: How long a kill -9 child may take to print « ready » (imports, opening the cache): generous, so
#: that a busy machine slows the test down instead of leaving it too little time to act.
CHILD_START_TIMEOUT_S = 60.0


def _until_ready(child: subprocess.Popen[bytes]) -> bytes:
    """The bytes the child printed up to its « ready » line and perhaps a little after."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    deadline = time.monotonic() + CHILD_START_TIMEOUT_S
    buf = b""
    while b"ready\n" not in buf and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            break
        buf += chunk
    if b"ready\n" not in buf:
        raise AssertionError(f"the kill -9 child never said ready: {buf[-300:]!r}")
    return buf


def kill_rounds(script: str, args: list[str], rounds: int, rng: random.Random,
                window: tuple[float, float]) -> list[str]:
    """Start ``script`` (args + the round number) on the same cache ``rounds`` times, SIGKILL it
    at a random moment within ``window`` seconds after it printed « ready », and return every line
    it printed. The window counts from « ready », not from the start: on a loaded machine the
    start alone can outlast the window, and the rounds would then kill children that never acted."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    printed: list[str] = []
    for round_no in range(rounds):
        child = subprocess.Popen([sys.executable, "-c", script, *args, str(round_no)], cwd=REPO, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            started = _until_ready(child)
        except AssertionError as never_ready:
            child.kill()
            _out, err = child.communicate(timeout=10)
            raise AssertionError(f"{never_ready}; its errors: {err.decode()[-2000:]}") from None
        lines = _lines(child, time.monotonic() + rng.uniform(*window), started)
        child.send_signal(signal.SIGKILL)
        rest, err = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL, err.decode()[-2000:]
        printed += lines + rest.decode().splitlines()
    return printed


def drain_and_collect(base: str, creds: Path, cache: Path, db_path: Path, device_id: str, now: datetime
                      ) -> tuple[dict[str, tuple[int, Any]], list[str], list[str]]:
    """The last restart (a worker sends whatever is left, on the test's time ``now``), then what the
    server and the outbox hold: ({idempotency key: (status, body)}, [booking ids], [outbox uuids])."""
    from kiosk.api.client import ApiClient
    from kiosk.clock import StartedClock
    from kiosk.demo_api import db
    from kiosk.sync import SyncWorker
    from offline_cache.db import open_cache

    clock = StartedClock(now)
    worker = SyncWorker(cache, ApiClient(base, credentials_path=creds, now=clock.now), clock=clock,
                        post=lambda *a, **k: None)
    for _ in range(5):
        worker.run_once()
        if worker.status()["outbox_depth"] == 0:
            break
    assert worker.status()["outbox_depth"] == 0
    conn = db.connect(db_path)
    try:
        verdicts = {r["key"]: (r["status"], json.loads(r["body"])) for r in conn.execute(
            "SELECT key, status, body FROM idempotency WHERE device_id = ?", (device_id,))}
        bookings = [r[0] for r in conn.execute("SELECT id FROM bookings WHERE device_id = ?", (device_id,))]
    finally:
        conn.close()
    cache_conn = open_cache(cache)
    try:
        queued = [r[0] for r in cache_conn.execute("SELECT uuid FROM outbox")]
    finally:
        cache_conn.close()
    return verdicts, bookings, queued
