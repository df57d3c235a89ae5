"""Pilot steps several test modules share: reaching the admin screen, waiting on real threads."""

from __future__ import annotations

import time


def open_admin(pilot, pin: str = "1234") -> None:
    pilot.app.open_admin()
    pilot.settle()
    pilot.type(pin)
    pilot.tap("key-enter")
    assert pilot.screen.name == "admin"


def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    """Let real time pass (worker threads, child processes) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
        pilot.settle()
