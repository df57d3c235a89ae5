"""The headset jack: an evdev switch that says whether a personal headset is plugged in.

Why read it: EN 301 549 lets a terminal speak personal data (names, references, PIN digits)
only into a personal headset. On a terminal with both a loudspeaker and a jack
(``[speech] output = "both"``) the kiosk must therefore know, at each moment, whether a
headset is in; plugging one in is also how many blind people expect a terminal to start
talking (``[speech] start_on_headset``).

The sound card's driver reports the jack as a switch, ``EV_SW`` / ``SW_HEADPHONE_INSERT``
(value 1 plugged, 0 pulled out), on an input node of its own. The node is read, not grabbed:
the sound server reads the same switch to move the sound to the headphones. The state at
open comes from the kernel's switch bitmap (``EVIOCGSW``), so a headset already plugged in
when the kiosk starts is known without waiting for a change. The thread posts
``HeadsetJack(plugged)`` at open and on each change, and nothing else: without a jack (or
with the node gone) it logs one line and looks again every ``retry_interval`` seconds.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.driver_thread import DriverThread, Post, default_post
from drivers.evdev_input import DeviceGone, GrabbedInput, GrabbedReaderLoop, InputEvent, has_bit

SYS_INPUT = Path("/sys/class/input")
EV_SW = 0x05
SW_HEADPHONE_INSERT = 0x02
_SW_BYTES = 8                     # room for every switch (SW_MAX is 0x10)


def _eviocgsw(length: int) -> int:
    """The ioctl request EVIOCGSW(len) of linux/input.h: _IOC(_IOC_READ, 'E', 0x1b, len)."""
    return (2 << 30) | (length << 16) | (ord("E") << 8) | 0x1B


def switch_on(bitmap: bytes, code: int) -> bool:
    """Whether switch ``code`` is set in the kernel's switch bitmap (bytes, least significant first)."""
    index, bit = divmod(code, 8)
    return index < len(bitmap) and bool(bitmap[index] >> bit & 1)


def find_jack(sys_input: Path = SYS_INPUT) -> str | None:
    """The ``/dev/input/eventN`` of the first input node that has a headphone switch."""
    found: list[int] = []
    for node in sys_input.glob("event*"):
        try:
            switches = (node / "device" / "capabilities" / "sw").read_text()
        except OSError:
            continue
        if has_bit(switches, SW_HEADPHONE_INSERT) and node.name[5:].isdigit():
            found.append(int(node.name[5:]))
    return f"/dev/input/event{min(found)}" if found else None


class JackDevice(GrabbedInput):
    """The jack's input node, open for reading (not grabbed), with its switch state at open."""

    what = "headset jack"
    exclusive = False

    def _prepare(self, dev: Any) -> None:
        if SW_HEADPHONE_INSERT not in dev.capabilities().get(EV_SW, []):
            raise ValueError("has no headphone switch (SW_HEADPHONE_INSERT)")
        bitmap = fcntl.ioctl(dev.fd, _eviocgsw(_SW_BYTES), bytes(_SW_BYTES))
        self.plugged_at_open = switch_on(bitmap, SW_HEADPHONE_INSERT)


class JackReader(GrabbedReaderLoop[JackDevice], DriverThread):
    """Watches the jack in a daemon thread; posts ``HeadsetJack(plugged)`` at open and on change."""

    type = "evdev"
    device_name = "headset"

    def __init__(self, device: str = "auto", *, retry_interval: float = 10.0, read_timeout: float = 1.0,
                 post: Post = default_post, open_device: Callable[[str], JackDevice] = JackDevice,
                 sys_input: Path = SYS_INPUT) -> None:
        super().__init__(post=post)
        self.device = device
        self.retry_interval, self.read_timeout = retry_interval, read_timeout
        self._open_device, self._sys_input = open_device, sys_input
        self.plugged: bool | None = None     # the last state posted

    def describe(self) -> str:
        return "headset jack" if self.device == "auto" else self.device

    def _thread_name(self) -> str:
        return "headset-jack"

    def _path(self) -> str:
        if self.device != "auto":
            return self.device
        path = find_jack(self._sys_input)
        if path is None:
            raise DeviceGone("no input device has a headphone switch (SW_HEADPHONE_INSERT): "
                             "personal data stay masked on the loudspeaker")
        return path

    def _read_timeout(self) -> float:
        return self.read_timeout

    def _opened(self, dev: JackDevice) -> None:
        self._tell(dev.plugged_at_open)

    def _received(self, events: list[InputEvent]) -> None:
        for event in events:
            if event.type == EV_SW and event.code == SW_HEADPHONE_INSERT:
                self._tell(bool(event.value))

    def _tell(self, plugged: bool) -> None:
        if plugged != self.plugged:
            self.plugged = plugged
            from kiosk.events import HeadsetJack  # late: drivers load without pygame
            HeadsetJack(plugged=plugged).post(self._post)

    def _post_state(self, state: str, detail: str) -> None:
        """No DEVICE_STATE: the jack is not a device a visit needs; ``_set_state`` logs each change once."""
