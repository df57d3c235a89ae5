"""The real loop: step the app, then sleep until an event or a timer needs it.

SDL's own ``SDL_WaitEventTimeout`` polls every millisecond on several video
drivers (about 2 % of a core here). Polling ourselves at 10 ms just after a
touch and 25 ms otherwise keeps a still screen near 0 % CPU while a finger
still sees its pressed state within about a frame.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from kiosk.shell.host import ShellHost

log = logging.getLogger(__name__)

FRAME_S = 1 / 60
BUSY_POLL_S = 0.010
IDLE_POLL_S = 0.025
BUSY_FOR_S = 3.0          # after a touch, poll faster for this long
LIVE_SCREENSHOT_EVERY_S = 0.5


class LiveScreenshot:
    """Keeps a PNG of the screen up to date for headless runs, at most twice a second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = -1e9
        self.pending = False

    def frame_shown(self, app: ShellHost, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= LIVE_SCREENSHOT_EVERY_S:
            app.display.save(self.path)
            self.last = now
            self.pending = False
        else:
            self.pending = True


def run(app: ShellHost, live_screenshot: Path | None = None) -> int:
    shot = LiveScreenshot(live_screenshot) if live_screenshot else None
    app.start()
    app.running = True
    try:
        while app.running:
            if app.step() and shot is not None:
                shot.frame_shown(app)
            if shot is not None and shot.pending:
                shot.frame_shown(app, force=True)
            _wait(app)
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        app.stop()
    return app.exit_code


def _wait(app: ShellHost) -> None:
    if app.animating:
        time.sleep(FRAME_S)
        return
    deadline = app.next_deadline()
    busy_until = app.idle.last_activity + BUSY_FOR_S
    while app.running:
        pygame.event.pump()
        if pygame.event.peek():
            return
        now = app.clock.monotonic()
        if deadline is not None and now >= deadline:
            return
        period = BUSY_POLL_S if now < busy_until else IDLE_POLL_S
        if deadline is not None:
            period = min(period, max(0.0, deadline - now))
        time.sleep(period)
