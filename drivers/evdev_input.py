"""An evdev input node held exclusively: what the scanner and touch readers share.

Both grab their device (otherwise the same keys or touches also reach SDL and
count twice), read it with a timeout so their thread can notice ``stop()``, and
turn every OS error into ``DeviceGone`` with a sentence a technician can act on
and the DEVICE_STATE state to report.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import select
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from drivers.driver_thread import DriverThread

log = logging.getLogger(__name__)


class InputEvent(Protocol):
    """What the decoders read of python-evdev's ``InputEvent`` (which has no type information)."""

    @property
    def type(self) -> int: ...
    @property
    def code(self) -> int: ...
    @property
    def value(self) -> int: ...
    @property
    def sec(self) -> int: ...
    @property
    def usec(self) -> int: ...


class DeviceGone(Exception):
    """The device cannot be used; ``state`` is a DEVICE_STATE state and the message says what to check.

    States, shared with the printer's words in :mod:`kiosk.devices.hardware`: "disconnected"
    (missing, unplugged), "permission" (the kiosk user is not in group input), "error"
    (anything else, e.g. grabbed by another program).
    """

    def __init__(self, detail: str, state: str = "disconnected") -> None:
        super().__init__(detail)
        self.state = state


def os_detail(exc: OSError, path: str, what: str) -> tuple[str, str]:
    """(sentence a technician can act on, DEVICE_STATE state) for an OS error on ``path``."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied on {path} (is the kiosk user in group input?)", "permission"
    if exc.errno == errno.EBUSY:
        return f"{path} is grabbed by another program", "error"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return f"{path} is gone ({what} unplugged?)", "disconnected"
    return f"{path}: {exc.strerror or exc}", "error"


def has_bit(bitmap_text: str, code: int) -> bool:
    """Whether a sysfs capability bitmap (hex longs, most significant first) has ``code``."""
    words = bitmap_text.split()
    value = int("".join(w.zfill(16) for w in words), 16) if words else 0
    return bool(value >> code & 1)


class GrabbedInput:
    """python-evdev's ``InputDevice`` reduced to what a reader needs: grab, timed read, close."""

    what = "input device"   # in messages: "… is gone (scanner unplugged?)"
    #: Grab the device (the scanner's keys, the touches must reach no one else). A reader that
    #: only watches (the headset jack, which the sound server reads too) sets it False.
    exclusive = True

    def __init__(self, path: str) -> None:
        import evdev

        try:
            self._dev = evdev.InputDevice(path)
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, path, self.what)) from None
        try:
            self._prepare(self._dev)
            if self.exclusive:
                self._dev.grab()
        except ValueError as exc:       # a device without what _prepare needs
            self._dev.close()
            raise DeviceGone(f"{path}: {exc}", "error") from None
        except OSError as exc:          # EBUSY: another program (a desktop session?) holds it
            self._dev.close()
            raise DeviceGone(*os_detail(exc, path, self.what)) from None
        self.name = self._dev.name

    def _prepare(self, dev: Any) -> None:
        """Read what the reader needs from the open ``evdev.InputDevice`` (before the grab)."""

    def read(self, timeout: float) -> list[InputEvent]:
        """Events available within ``timeout`` seconds (``[]`` when none)."""
        try:
            ready, _, _ = select.select([self._dev.fd], [], [], timeout)
            if not ready:
                return []
            return list(self._dev.read())
        except BlockingIOError:
            return []
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, str(self._dev.path), self.what)) from None

    def close(self) -> None:
        for action in (self._dev.ungrab, self._dev.close) if self.exclusive else (self._dev.close,):
            with contextlib.suppress(OSError):
                action()


Device = TypeVar("Device", bound="GrabbedInput")


class GrabbedReaderLoop(DriverThread, Generic[Device]):
    """The thread body of a :class:`~drivers.driver_thread.DriverThread` that owns one grabbed
    input device (the HID scanner, the evdev touch screen): open it when it is there, read it
    with a timeout, drop it when it goes (or the hotplug monitor says so) and reopen it every
    ``retry_interval`` seconds, posting the state once per change.

    Subclasses give ``_path()``, ``_read_timeout()``, ``_received(events)`` (called after each
    read, ``[]`` when the timeout passed) and may react in ``_opened(dev)`` and
    ``_lost(stopping)`` (a scan half-typed, fingers still down).
    """

    retry_interval: float
    _open_device: Callable[[str], Device]

    def _path(self) -> str:
        raise NotImplementedError

    def _read_timeout(self) -> float:
        raise NotImplementedError

    def _received(self, events: list[InputEvent]) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        dev: Device | None = None
        while not self._stopping.is_set():
            if self._take_removal():
                if dev is not None:
                    self._drop(dev)
                    dev = None
                self._set_state("disconnected", f"{self.describe()} unplugged")
                self._nap(self.retry_interval)
                continue
            if dev is None:
                try:
                    dev = self._open_device(self._path())
                except DeviceGone as exc:
                    self._set_state(exc.state, str(exc))
                    self._nap(self.retry_interval)
                    continue
                self._opened(dev)
                self._set_state("ready", self.describe())
            try:
                events = dev.read(self._read_timeout())
            except DeviceGone as exc:
                self._drop(dev)
                dev = None
                self._set_state(exc.state, str(exc))
                continue
            self._received(events)
        if dev is not None:
            self._drop(dev, stopping=True)

    def _drop(self, dev: Device, stopping: bool = False) -> None:
        self._lost(stopping)
        try:
            dev.close()
        except Exception:  # a vanished device must never kill the thread
            log.debug("closing the %s failed", self.device_name, exc_info=True)

    def _opened(self, dev: Device) -> None:
        """The device is open and grabbed."""

    def _lost(self, stopping: bool) -> None:
        """The device is going away (or the thread stops)."""
