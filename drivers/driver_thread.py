"""The life of a driver thread, shared by the printer worker, the scanners and the touch reader.

Why one base: each of them owns one device in a daemon thread, must say it died rather
than vanish, posts ``DEVICE_STATE`` once per change (a device left unplugged must not
flood the queue) and, after losing its device, naps between attempts to reopen it.
The hotplug monitor (:mod:`drivers.hotplug`) shortens that nap: ``device_added()`` wakes
the thread at once, ``device_removed()`` makes it drop the device and report it gone,
so recovery does not wait for the next retry tick and the UI hears of an unplug even
from a driver that was idle.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import ClassVar

log = logging.getLogger(__name__)


def default_post(event_type: int | str, **attrs: object) -> bool:
    """Post to the app's queue: an event type, or the name of one of ``kiosk.events``' types
    (the drivers' own events are posted by name, the touch reader posts pygame's finger types)."""
    from kiosk import events
    return events.post(getattr(events, event_type) if isinstance(event_type, str) else event_type, **attrs)


class DriverThread:
    """Subclasses implement ``_run`` (checking ``_stopping``) and nap with ``_nap``."""

    type: ClassVar[str] = ""
    device_name: ClassVar[str] = ""

    def __init__(self, *, post: Callable[..., bool] = default_post) -> None:
        self._post = post
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._removed = threading.Event()
        self._thread: threading.Thread | None = None
        self.state, self.detail = "unknown", "not started"

    def describe(self) -> str:
        return self.type

    # --- called from the UI thread (and the hotplug thread) ----------------------------
    def start(self) -> DriverThread:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._guarded_run, name=self._thread_name(), daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stopping.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def device_added(self) -> None:
        """The hotplug monitor saw our device appear: try to open it now."""
        self._interrupt()

    def device_removed(self) -> None:
        """The hotplug monitor saw our device go: drop it and report it gone."""
        self._removed.set()
        self._interrupt()

    # --- in the thread -------------------------------------------------------------------
    def _thread_name(self) -> str:
        return f"{self.device_name}-{self.type}"

    def _interrupt(self) -> None:
        """Wake the thread from ``_nap`` (subclasses that block elsewhere wake it there too)."""
        self._wake.set()

    def _nap(self, seconds: float) -> bool:
        """Sleep until ``seconds`` pass, ``stop()`` or a hotplug event; True when stopping."""
        self._wake.wait(seconds)
        self._wake.clear()
        return self._stopping.is_set()

    def _take_removal(self) -> bool:
        """Whether the hotplug monitor reported the device gone since the last call."""
        if self._removed.is_set():
            self._removed.clear()
            self._wake.clear()   # the nap that follows waits for the device to come back
            return True
        return False

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # the thread must say it died, not vanish
            log.exception("%s thread failed", self.device_name)
            self._set_state("error", f"{type(exc).__name__}: {exc}")

    def _run(self) -> None:
        self._stopping.wait()

    def _set_state(self, state: str, detail: str) -> None:
        """Post DEVICE_STATE once per change of (state, detail)."""
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            log.info("%s %s: %s (%s)", self.device_name, self.type, state, detail)
            self._post_state(state, detail)

    def _post_state(self, state: str, detail: str) -> None:
        self._post("DEVICE_STATE", device=self.device_name, state=state, detail=detail)
