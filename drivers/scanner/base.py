"""What every scanner backend shares: a thread that only posts events, and state reporting.

Why one base: the HID reader, the camera and the simulated twin all end the same way
— a ``SCAN_READ(text, source)`` for the UI and a ``DEVICE_STATE(device="scanner", …)``
when their health changes — and, like the printer worker, they must never touch the
UI (DESIGN.md, conventions 2 and 5). ``post(event_type, **attrs)`` is injectable so that
tests collect events without a pygame queue.
"""

from __future__ import annotations

import logging
from typing import Self

from drivers.driver_thread import DriverThread, default_post
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH

log = logging.getLogger(__name__)
__all__ = ["MAX_SCAN_LENGTH", "Scanner", "default_post", "problem_with"]


class Scanner(DriverThread):
    """A scanner backend. Subclasses implement ``_run`` (the thread body), checking ``_stopping``."""

    device_name = "scanner"

    @staticmethod
    def is_usable() -> bool:
        """Whether the optional packages this backend needs are installed."""
        return True

    def start(self) -> Self:
        """Start the thread; a backend whose packages are missing only reports "unavailable"."""
        if not self.is_usable():
            self._set_state("unavailable", f"the {self.type} scanner needs packages that are not installed")
            return self
        return super().start()

    def _thread_name(self) -> str:
        return f"scanner-{self.type}"

    def _emit(self, text: str, source: str) -> None:
        from kiosk.events import ScanRead
        ScanRead(text=text, source=source).post(self._post)

    def _reject(self, problem: str, source: str) -> None:
        """Tell the UI a scan was dropped (the person sees a message); only a reason code, never the text."""
        reason = "too_long" if problem.startswith("longer than") else "unreadable"
        from kiosk.events import ScanRejected
        ScanRejected(reason=reason, source=source).post(self._post)


def problem_with(text: str, max_length: int = MAX_SCAN_LENGTH) -> str:
    """Why ``text`` is not a plausible scan ("" when it is): the rules the HID decoder applies,
    which the camera and the simulated scanner apply to what they read."""
    if not text:
        return "empty"
    if len(text) > max_length:
        return f"longer than {max_length} characters"
    if not text.isprintable():
        return "control character"
    return ""
