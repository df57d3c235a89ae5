"""What every scanner backend shares: a thread that only posts events, and state reporting.

Why one base: the HID reader, the camera and the simulated twin all end the same way
— a ``SCAN_READ(text, source)`` for the UI and a ``DEVICE_STATE(device="scanner", …)``
when their health changes — and, like the printer worker, they must never touch the
UI (DESIGN.md, conventions 2 and 5). ``post(name, **attrs)`` is injectable so that
tests collect events without a pygame queue.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, ClassVar, Optional

log = logging.getLogger(__name__)


def default_post(event_type_name: str, **attrs) -> bool:
    from kiosk import events
    return events.post(getattr(events, event_type_name), **attrs)


class Scanner:
    """A scanner backend. Subclasses implement ``_run`` (the thread body), checking ``_stopping``."""

    type: ClassVar[str] = ""
    device_name: ClassVar[str] = "scanner"

    @staticmethod
    def is_usable() -> bool:
        """Whether the optional packages this backend needs are installed."""
        return True

    def __init__(self, *, post: Callable[..., bool] = default_post) -> None:
        self._post = post
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.state, self.detail = "unknown", "not started"

    def describe(self) -> str:
        return self.type

    def start(self) -> "Scanner":
        """Start the thread; a backend whose packages are missing only reports "unavailable"."""
        if not self.is_usable():
            self._set_state("unavailable", f"the {self.type} scanner needs packages that are not installed")
            return self
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._guarded_run, name=f"scanner-{self.type}", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # the thread must say it died, not vanish
            log.exception("scanner thread failed")
            self._set_state("error", f"{type(exc).__name__}: {exc}")

    def _run(self) -> None:
        self._stopping.wait()

    def _set_state(self, state: str, detail: str) -> None:
        """Post DEVICE_STATE once per change (a scanner left unplugged does not flood the queue)."""
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            log.info("scanner %s: %s (%s)", self.type, state, detail)
            self._post("DEVICE_STATE", device=self.device_name, state=state, detail=detail)

    def _emit(self, text: str, source: str) -> None:
        self._post("SCAN_READ", text=text, source=source)


def problem_with(text: str, max_length: int = 512) -> str:
    """Why ``text`` is not a plausible scan ("" when it is): the rules the HID decoder applies."""
    if not text:
        return "empty"
    if len(text) > max_length:
        return f"longer than {max_length} characters"
    if not text.isprintable():
        return "control character"
    return ""
