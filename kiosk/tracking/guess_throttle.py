"""Slow down someone trying tracking numbers at random from a public terminal.

Each unknown number counts; after ``max_unknown`` of them within ``window_s`` the
terminal refuses lookups for ``cooldown_s``. The count is the terminal's, not the
visit's: walking away and coming back does not reset it. Known numbers do not count,
so a family checking three requests is never slowed down.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable


class GuessThrottle:
    def __init__(self, max_unknown: int, window_s: float, cooldown_s: float,
                 monotonic: Callable[[], float]) -> None:
        self.max_unknown, self.window_s, self.cooldown_s = max_unknown, window_s, cooldown_s
        self._monotonic = monotonic
        self._unknown: deque[float] = deque()
        self._until = 0.0
        self._lock = threading.Lock()   # results arrive from lookup threads

    def cooldown_left(self) -> float:
        """Seconds before lookups are allowed again (0 when they are)."""
        with self._lock:
            return max(0.0, self._until - self._monotonic())

    def record_unknown(self) -> bool:
        """Count one unknown number; True if this one starts a cooldown."""
        with self._lock:
            now = self._monotonic()
            while self._unknown and now - self._unknown[0] >= self.window_s:
                self._unknown.popleft()
            self._unknown.append(now)
            if len(self._unknown) >= self.max_unknown:
                self._unknown.clear()
                self._until = now + self.cooldown_s
                return True
            return False
