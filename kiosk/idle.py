"""When nobody touches the screen: warn, then end the visit; dim an idle home.

Self-service terminal guidance requires a warning with a way to continue
before a timeout throws away what someone was doing; after the warning's
countdown the visit ends and everything typed is dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


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
