"""The hidden admin entry: five taps in the top-left corner within three seconds."""

from __future__ import annotations

TAPS = 5
WINDOW_S = 3.0


class CornerTaps:
    def __init__(self) -> None:
        self._times: list[float] = []

    def tap(self, now: float) -> bool:
        """Record a tap in the corner; True when it completes the sequence."""
        self._times = [t for t in self._times if now - t < WINDOW_S] + [now]
        if len(self._times) >= TAPS:
            self._times.clear()
            return True
        return False
