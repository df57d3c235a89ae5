"""The keyboard-wedge scanner reader: one thread owns the evdev device and posts scans.

Why a grabbed evdev device rather than SDL key events: SDL decodes keys with the
*system* layout and mixes them with any keyboard plugged in for maintenance; an
exclusive ``grab()`` keeps the scanner's keystrokes out of the UI (and out of the
on-screen text fields a citizen is filling), and :mod:`drivers.scanner.hid_decode`
decodes them with the *scanner's* layout.

The device is found by ``device`` (a ``/dev/input/event*`` path or, better, its
stable ``/dev/input/by-id/…-event-kbd`` link) or by ``vendor_id``/``product_id``
(looked up in ``/sys/class/input``, no pyudev needed). Cheap scanners get unplugged:
when reads fail, the thread posts ``DEVICE_STATE(device="scanner", state="disconnected")``
and tries to reopen every ``retry_interval`` seconds; it posts ``state="ready"`` once the
device is back and grabbed. Like the printer worker, the thread only posts events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from drivers.driver_thread import Post
from drivers.evdev_input import DeviceGone, GrabbedInput, GrabbedReaderLoop, InputEvent, has_bit, os_detail
from drivers.optional import importable
from drivers.scanner.base import MAX_SCAN_LENGTH, Scanner, default_post
from drivers.scanner.hid_decode import HidDecoder
from drivers.scanner.keymap import keymap_table

SYS_INPUT = Path("/sys/class/input")
KEY_ENTER = 28


_has_key = has_bit  # a sysfs ``capabilities/key`` bitmap has the key ``code``


def find_by_usb_id(vendor_id: int, product_id: int, sys_input: Path = SYS_INPUT) -> str | None:
    """The ``/dev/input/eventN`` of the first matching device that has an Enter key.

    A scanner often shows several input nodes (keyboard, consumer keys, a vendor
    channel); the keyboard one is the one that can type Enter.
    """
    found: list[int] = []
    for node in sys_input.glob("event*"):
        ids = node / "device" / "id"
        try:
            vendor = int((ids / "vendor").read_text(), 16)
            product = int((ids / "product").read_text(), 16)
            keys = (node / "device" / "capabilities" / "key").read_text()
        except (OSError, ValueError):
            continue
        if (vendor, product) == (vendor_id, product_id) and _has_key(keys, KEY_ENTER):
            found.append(int(node.name[5:]) if node.name[5:].isdigit() else 1 << 30)
    return f"/dev/input/event{min(found)}" if found else None


class EvdevDevice(GrabbedInput):
    what = "scanner"


def _os_detail(exc: OSError, path: str) -> tuple[str, str]:
    return os_detail(exc, path, "scanner")


class HidScanner(GrabbedReaderLoop[GrabbedInput], Scanner):
    """Reads one keyboard-wedge scanner in a daemon thread; posts SCAN_READ and DEVICE_STATE."""

    type = "hid"

    @staticmethod
    def is_usable() -> bool:
        return importable("evdev", "xkbcommon")

    def __init__(self, device: str | None = None, vendor_id: int | None = None,
                 product_id: int | None = None, layout: str = "fr", variant: str = "",
                 suffix: str = "enter", inter_key_timeout_s: float = 0.1, max_length: int = MAX_SCAN_LENGTH, *,
                 retry_interval: float = 0.5, post: Post = default_post,
                 open_device: Callable[[str], GrabbedInput] = EvdevDevice, sys_input: Path = SYS_INPUT) -> None:
        super().__init__(post=post)
        if not device and not (vendor_id is not None and product_id is not None):
            raise ValueError("a hid scanner needs device, or vendor_id and product_id")
        self.device, self.vendor_id, self.product_id = device, vendor_id, product_id
        self.decoder = HidDecoder(keymap_table(layout, variant), suffix=suffix,
                                  inter_key_timeout_s=inter_key_timeout_s, max_length=max_length)
        self.retry_interval = retry_interval
        self._open_device, self._sys_input = open_device, sys_input
        self._rejections_seen = 0
        self._last_key_at = time.monotonic()

    def describe(self) -> str:
        if self.device:
            return self.device
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"

    def _path(self) -> str:
        if self.device:
            return self.device
        assert self.vendor_id is not None and self.product_id is not None   # checked in __init__
        path = find_by_usb_id(self.vendor_id, self.product_id, self._sys_input)
        if path is None:
            raise DeviceGone(f"no input device {self.describe()} (scanner unplugged?)")
        return path

    def _read_timeout(self) -> float:
        return self.decoder.timeout

    def _received(self, events: list[InputEvent]) -> None:
        if events:
            self._last_key_at = time.monotonic()
            scans = self.decoder.feed_all(events)
        elif time.monotonic() - self._last_key_at >= self.decoder.timeout:
            scans = self.decoder.end_of_input()
        else:
            return
        for text in scans:
            self._emit(text, "hid")
        self._report_rejections()

    def _lost(self, stopping: bool) -> None:
        if not stopping:
            self.decoder.abandon("device disconnected during the scan")

    def _report_rejections(self) -> None:
        new = self.decoder.rejected - self._rejections_seen
        for rejection in self.decoder.rejections[-new:] if new > 0 else ():
            if rejection.reason != "device disconnected during the scan":   # not the person's doing
                self._reject(rejection.reason, "hid")
        self._rejections_seen = self.decoder.rejected

