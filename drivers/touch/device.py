"""Finding and opening the touch screen's evdev node.

Why the device is ``grab()``-bed: the same node is also read by SDL (or the
compositor's libinput); without an exclusive grab the app would get every touch
twice, once misread by SDL — the very thing this backend replaces.

Opening, grabbing and reading are shared with the scanner (``drivers/evdev_input.py``);
the lookup differs: it wants a node with absolute X/Y axes, not an Enter key, and can match
the device *name*, since I²C panels (Goodix, ILITEK, the Raspberry Pi display) have
no USB ids and no ``/dev/input/by-id`` link.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drivers.evdev_input import DeviceGone, GrabbedInput, has_bit
from drivers.evdev_input import os_detail as _os_detail
from drivers.touch.transform import Axes

# DeviceGone: the tests import it from here.
__all__ = ["ABS_X", "SYS_INPUT", "DeviceGone", "EvdevTouchDevice", "find_touch", "os_detail"]
SYS_INPUT = Path("/sys/class/input")
ABS_X = 0x00


def os_detail(exc: OSError, path: str) -> tuple[str, str]:
    return _os_detail(exc, path, "touch screen")


_has_bit = has_bit


def find_touch(vendor_id: int | None = None, product_id: int | None = None, name: str | None = None,
               sys_input: Path = SYS_INPUT) -> str | None:
    """The ``/dev/input/eventN`` (lowest N) with absolute X/Y matching the ids and/or the exact name."""
    found: list[int] = []
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


class EvdevTouchDevice(GrabbedInput):
    """The touch node, with the axis ranges and current slot the decoder starts from."""

    what = "touch screen"

    def _prepare(self, dev: Any) -> None:   # an evdev.InputDevice (evdev has no type information)
        from evdev import ecodes as e

        absinfo = dict(dev.capabilities(absinfo=True).get(e.EV_ABS, []))
        self.axes = Axes.from_absinfo(absinfo)
        # The slot later events refer to until the first ABS_MT_SLOT.
        self.current_slot = absinfo[e.ABS_MT_SLOT].value if self.axes.multitouch else 0
