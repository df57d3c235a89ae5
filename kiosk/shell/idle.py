"""When nobody touches the screen: warn, then end the visit; dim an idle home.

Self-service terminal guidance requires a warning with a way to continue
before a timeout throws away what someone was doing; after the warning's
countdown the visit ends and everything typed is dropped.

While speech is on for the visit, every limit is doubled (EN 301 549 asks for more
time when the screen is heard rather than seen: listening to a screen takes longer than
glancing at it) and the warning is spoken when it appears, its countdown said again
at 10 and 5 seconds left — not every second, which would leave no silence to act in.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.base import Screen, ScreenHost

log = logging.getLogger(__name__)

#: How much longer the limits are while speech is on for the visit.
SPEECH_TIME_FACTOR = 2
#: Seconds left at which the spoken countdown is said again.
SPOKEN_COUNTDOWN_AT = (10, 5)


@dataclass
class IdleTimings:
    warn_after_s: float = 45
    reset_after_s: float = 20
    dim_after_s: float = 120


class IdleMonitor:
    def __init__(self, timings: IdleTimings, now: float) -> None:
        self.t = timings
        self.last_activity = now
        self.warned_at: float | None = None
        self.dimmed = False

    def activity(self, now: float) -> None:
        self.last_activity = now

    def continue_visit(self, now: float) -> None:
        self.warned_at = None
        self.last_activity = now

    def seconds_left(self, now: float) -> int:
        """Whole seconds of the countdown still to go (shown in the dialog)."""
        if self.warned_at is None:
            return int(self.t.reset_after_s)
        left = self.t.reset_after_s - (now - self.warned_at)
        return max(0, int(left + 0.999))

    def decide(self, now: float, visit_in_progress: bool) -> str | None:
        """What to do now: "warn", "reset", "dim", "tick" (update countdown) or None."""
        idle = now - self.last_activity
        if self.warned_at is not None:
            if now - self.warned_at >= self.t.reset_after_s:
                return "reset"
            return "tick"
        if visit_in_progress:
            if idle >= self.t.warn_after_s:
                return "warn"
            return None
        if not self.dimmed and idle >= self.t.dim_after_s:
            return "dim"
        return None

    def next_deadline(self, now: float, visit_in_progress: bool) -> float | None:
        if self.warned_at is not None:
            # Wake on each whole second of the countdown to update it.
            elapsed = now - self.warned_at
            return self.warned_at + min(self.t.reset_after_s, math.floor(elapsed) + 1)
        if visit_in_progress:
            return self.last_activity + self.t.warn_after_s
        if not self.dimmed:
            return self.last_activity + self.t.dim_after_s
        return None


class IdleController(IdleMonitor):
    """Applies the monitor's decisions to the app: the warning dialog, the reset, dimming."""

    def __init__(self, app: ScreenHost, timings: IdleTimings) -> None:
        super().__init__(timings, app.clock.monotonic())
        self.app = app
        self.base = timings
        self._countdown_said: set[int] = set()   # the SPOKEN_COUNTDOWN_AT marks said for this warning

    def _timings_for(self, screen: Screen | None) -> IdleTimings:
        """A screen showing something sensitive (a request's status) may set ``wipe_after_s``,
        shorter than the general rule: the warning then comes early enough that the visit still
        ends ``wipe_after_s`` after the last touch."""
        limit = getattr(screen, "wipe_after_s", None)
        base = self.base
        if self.app.speech_active:
            factor = SPEECH_TIME_FACTOR
            base = IdleTimings(base.warn_after_s * factor, base.reset_after_s * factor, base.dim_after_s)
            limit = limit * factor if limit else limit
        if not limit or limit >= base.warn_after_s + base.reset_after_s:
            return base
        reset = min(base.reset_after_s, limit / 3)
        return IdleTimings(limit - reset, reset, base.dim_after_s)

    @property
    def visit_in_progress(self) -> bool:
        screen = self.app.nav.current
        if screen is None or getattr(screen, "ignores_idle", False):
            return False
        return not screen.is_home or self.app.visit.is_active

    def step(self, now: float) -> None:
        from screens.shell.idle_dialog import DimOverlay, IdleDialog

        app = self.app
        screen = app.nav.current
        assert screen is not None, "the app steps the idle controller only under a screen"
        if self.warned_at is None:   # keep the countdown's length once it is shown
            self.t = self._timings_for(screen)
        action = self.decide(now, self.visit_in_progress)
        if action == "dim" and getattr(screen, "stays_lit", False):
            self.last_activity = now     # a wall display stays lit for the room: never dimmed
            return
        if action == "warn":
            self.warned_at = now
            log.info("idle warning shown")
            screen.open_dialog(IdleDialog(self.keep_visit, self.seconds_left(now)), screen_owned=False)
            self._countdown_said = set()     # the dialog says its own warning as it opens
        elif action == "tick":
            dialog = screen.find("idle-dialog")
            if dialog is None:  # the screen changed under the warning: show it again
                screen.open_dialog(IdleDialog(self.keep_visit, self.seconds_left(now)), screen_owned=False)
            elif isinstance(dialog, IdleDialog):
                dialog.set_seconds(self.seconds_left(now))
            self._say_countdown(self.seconds_left(now))
        elif action == "reset":
            self.warned_at = None
            app.end_visit("idle")
        elif action == "dim":
            self.dimmed = True
            screen.add_overlay(DimOverlay())

    def _say_countdown(self, left: int) -> None:
        """At 10 and at 5 seconds left (once each per warning), say how long is left."""
        from screens.shell.idle_dialog import IdleDialog

        due = [mark for mark in SPOKEN_COUNTDOWN_AT if left <= mark and mark not in self._countdown_said]
        if not due or left <= 0:
            return
        self._countdown_said.update(due)
        if self.app.speech_active:
            self.app.say(*IdleDialog.countdown_words(left))

    def keep_visit(self) -> None:
        """« Continuer » in the warning."""
        self.continue_visit(self.app.clock.monotonic())
        if self.app.nav.current is not None:
            self.app.nav.current.close_overlay("idle-dialog")

    def wake_if_dimmed(self) -> bool:
        """True if this touch only woke the screen."""
        if not self.dimmed:
            return False
        self.dimmed = False
        if self.app.nav.current is not None:
            self.app.nav.current.close_overlay("dim")
        return True

    def deadline(self, now: float) -> float | None:
        if self.warned_at is None:
            self.t = self._timings_for(self.app.nav.current)
        return self.next_deadline(now, self.visit_in_progress)
