"""The evdev touch backend: one thread reads the panel and posts SDL finger events.

Why: SDL's own touch events are the default (``[touch] type = "sdl"``), but some
panels are misread by SDL — resistive single-touch panels that send no motion
between down and up, touch overlays mounted rotated or mirrored relative to the LCD,
edges that need calibrating. This backend reads the device itself
(:mod:`drivers.touch.decode`), maps it to the panel (:mod:`drivers.touch.transform`)
and posts ``FINGERDOWN`` / ``FINGERMOTION`` / ``FINGERUP`` with ``x``, ``y`` (0..1 of
the panel), ``dx``, ``dy``, ``touch_id``, ``finger_id`` and ``pressure`` — exactly the
events :mod:`kiosk.shell.pointer` already turns into taps and drags, so the UI does not
know which backend is in use.

Like the scanner's reader, the thread only posts events: ``DEVICE_STATE(device="touch",
state="ready" | "disconnected" | "permission" | "error" | "unavailable", detail=…)``
once per change, and it reopens the device every ``retry_interval`` seconds after it
disappears. A finger down when the device goes away is released, so the app is never
left waiting for a lift that will not come.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from drivers.driver_thread import DriverThread, default_post
from drivers.evdev_input import GrabbedReaderLoop
from drivers.touch.decode import Finger, TouchDecoder
from drivers.touch.device import SYS_INPUT, DeviceGone, EvdevTouchDevice, find_touch
from drivers.touch.transform import Calibration

# The app's pointer tracker tells pointers apart by (touch_id, finger_id). SDL's own touch
# ids are small integers on evdev and X11; ours is unlikely to be one of them, so a finger
# seen by both (should the grab fail) is not mistaken for the same pointer.
TOUCH_ID = 0x7E0C


def _types() -> dict[str, int]:
    import pygame
    return {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}


def _device_state() -> int:
    from kiosk import events
    return events.DEVICE_STATE


class EvdevTouch(GrabbedReaderLoop, DriverThread):
    """Reads one touch screen through evdev in a daemon thread; posts finger events and DEVICE_STATE."""

    type = "evdev"
    device_name = "touch"

    def __init__(self, device: str | None = None, vendor_id: int | None = None,
                 product_id: int | None = None, name: str | None = None, rotation: int = 0,
                 calibration: Sequence[float] | None = None, swap_xy: bool = False, invert_x: bool = False,
                 invert_y: bool = False, *, retry_interval: float = 0.5, read_timeout: float = 0.2,
                 touch_id: int = TOUCH_ID, post: Callable[..., bool] = default_post,
                 open_device: Callable[[str], object] = EvdevTouchDevice, sys_input: Path = SYS_INPUT) -> None:
        if not device and vendor_id is None and product_id is None and not name:
            raise ValueError("an evdev touch screen needs device, or vendor_id/product_id, or name")
        self.device, self.vendor_id, self.product_id, self.name = device, vendor_id, product_id, name
        self.calibration = Calibration.of(rotation, calibration, swap_xy, invert_x, invert_y)
        super().__init__(post=post)
        self.retry_interval, self.read_timeout, self.touch_id = retry_interval, read_timeout, touch_id
        self._open_device, self._sys_input = open_device, sys_input
        self.decoder: TouchDecoder | None = None

    def describe(self) -> str:
        if self.device:
            return self.device
        parts = []
        if self.vendor_id is not None or self.product_id is not None:
            parts.append(f"USB {self.vendor_id or 0:04x}:{self.product_id or 0:04x}")
        if self.name:
            parts.append(repr(self.name))
        return " ".join(parts)

    def _thread_name(self) -> str:
        return "touch-evdev"

    def _path(self) -> str:
        if self.device:
            return self.device
        path = find_touch(self.vendor_id, self.product_id, self.name, self._sys_input)
        if path is None:
            raise DeviceGone(f"no touch input device {self.describe()} (unplugged?)")
        return path

    def _read_timeout(self) -> float:
        return self.read_timeout

    def _opened(self, dev) -> None:
        self.decoder = TouchDecoder(dev.axes, self.calibration, current_slot=getattr(dev, "current_slot", 0))

    def _received(self, events: list) -> None:
        if events:
            self.post_fingers(self.decoder.feed_all(events))

    def _lost(self, stopping: bool) -> None:
        self.post_fingers(self.decoder.release_all())   # never leave a finger down

    # -- posting -------------------------------------------------------------------------
    def post_fingers(self, fingers: list[Finger]) -> None:
        """Post each finger event as the pygame event SDL itself would have posted."""
        types = _types() if fingers else {}
        for f in fingers:
            self._post(types[f.kind], touch_id=self.touch_id, finger_id=f.finger_id, x=f.x, y=f.y,
                       dx=f.dx, dy=f.dy, pressure=f.pressure)

    def _post_state(self, state: str, detail: str) -> None:
        self._post(_device_state(), device=self.device_name, state=state, detail=detail)
