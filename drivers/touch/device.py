"""Finding and opening the touch screen's evdev node.

Why the device is ``grab()``-bed: the same node is also read by SDL (or the
compositor's libinput); without an exclusive grab the app would get every touch
twice, once misread by SDL — the very thing this backend replaces.

Same shape as the scanner's reader (``drivers/scanner/hid.py``), kept separate so
that neither package depends on the other's internals; the touch lookup also
differs: it wants a node with absolute X/Y axes, not an Enter key, and can match
the device *name*, since I²C panels (Goodix, ILITEK, the Raspberry Pi display) have
no USB ids and no ``/dev/input/by-id`` link.
"""

from __future__ import annotations

import errno
import select
from pathlib import Path
from typing import Optional

from drivers.touch.transform import Axes

SYS_INPUT = Path("/sys/class/input")
ABS_X = 0x00


class DeviceGone(Exception):
    """The device cannot be used; ``state`` is a DEVICE_STATE state ("disconnected", "permission", "error")."""

    def __init__(self, detail: str, state: str = "disconnected") -> None:
        super().__init__(detail)
        self.state = state


def os_detail(exc: OSError, path: str) -> tuple[str, str]:
    """(sentence a technician can act on, DEVICE_STATE state) for an OS error on ``path``."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied on {path} (is the kiosk user in group input?)", "permission"
    if exc.errno == errno.EBUSY:
        return f"{path} is grabbed by another program", "error"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return f"{path} is gone (touch screen unplugged?)", "disconnected"
    return f"{path}: {exc.strerror or exc}", "error"


def _has_bit(bitmap_text: str, code: int) -> bool:
    """Whether a sysfs capability bitmap (hex longs, most significant first) has ``code``."""
    words = bitmap_text.split()
    value = int("".join(w.zfill(16) for w in words), 16) if words else 0
    return bool(value >> code & 1)


def find_touch(vendor_id: Optional[int] = None, product_id: Optional[int] = None, name: Optional[str] = None,
               sys_input: Path = SYS_INPUT) -> Optional[str]:
    """The ``/dev/input/eventN`` (lowest N) with absolute X/Y matching the ids and/or the exact name."""
    found = []
    for node in sys_input.glob("event*"):
        dev = node / "device"
        try:
            if vendor_id is not None and int((dev / "id" / "vendor").read_text(), 16) != vendor_id:
                continue
            if product_id is not None and int((dev / "id" / "product").read_text(), 16) != product_id:
                continue
            if name is not None and (dev / "name").read_text().strip() != name:
                continue
            if not _has_bit((dev / "capabilities" / "abs").read_text(), ABS_X):
                continue
        except (OSError, ValueError):
            continue
        found.append(int(node.name[5:]) if node.name[5:].isdigit() else 1 << 30)
    return f"/dev/input/event{min(found)}" if found else None


class EvdevTouchDevice:
    """python-evdev's ``InputDevice`` reduced to what the reader needs: axes, timed read, close."""

    def __init__(self, path: str) -> None:
        import evdev
        from evdev import ecodes as e

        try:
            self._dev = evdev.InputDevice(path)
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, path)) from None
        try:
            absinfo = dict(self._dev.capabilities(absinfo=True).get(e.EV_ABS, []))
            self.axes = Axes.from_absinfo(absinfo)
            # The slot later events refer to until the first ABS_MT_SLOT.
            self.current_slot = absinfo[e.ABS_MT_SLOT].value if self.axes.multitouch else 0
            self._dev.grab()
        except ValueError as exc:
            self._dev.close()
            raise DeviceGone(f"{path}: {exc}", "error") from None
        except OSError as exc:          # EBUSY: another program holds it
            self._dev.close()
            raise DeviceGone(*os_detail(exc, path)) from None
        self.name = self._dev.name

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
            raise DeviceGone(*os_detail(exc, self._dev.path)) from None

    def close(self) -> None:
        for action in (self._dev.ungrab, self._dev.close):
            try:
                action()
            except OSError:
                pass
