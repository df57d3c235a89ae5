"""An evdev input node held exclusively: what the scanner and touch readers share.

Both grab their device (otherwise the same keys or touches also reach SDL and
count twice), read it with a timeout so their thread can notice ``stop()``, and
turn every OS error into ``DeviceGone`` with a sentence a technician can act on
and the DEVICE_STATE state to report.
"""

from __future__ import annotations

import errno
import select


class DeviceGone(Exception):
    """The device cannot be used; ``state`` is a DEVICE_STATE state and the message says what to check.

    States, shared with the printer's words in :mod:`kiosk.devices`: "disconnected"
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

    def __init__(self, path: str) -> None:
        import evdev

        try:
            self._dev = evdev.InputDevice(path)
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, path, self.what)) from None
        try:
            self._prepare(self._dev)
            self._dev.grab()
        except ValueError as exc:       # a device without what _prepare needs
            self._dev.close()
            raise DeviceGone(f"{path}: {exc}", "error") from None
        except OSError as exc:          # EBUSY: another program (a desktop session?) holds it
            self._dev.close()
            raise DeviceGone(*os_detail(exc, path, self.what)) from None
        self.name = self._dev.name

    def _prepare(self, dev) -> None:
        """Read what the reader needs from the open device (before the grab)."""

    def read(self, timeout: float) -> list:
        """Events available within ``timeout`` seconds (``[]`` when none)."""
        try:
            ready, _, _ = select.select([self._dev.fd], [], [], timeout)
            if not ready:
                return []
            return list(self._dev.read())
        except BlockingIOError:
            return []
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, self._dev.path, self.what)) from None

    def close(self) -> None:
        for action in (self._dev.ungrab, self._dev.close):
            try:
                action()
            except OSError:
                pass
