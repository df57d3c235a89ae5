"""Hotplug cases that need real udev events: run only under ``umockdev-wrapper`` (see test_hotplug_umockdev.py).

umockdev's preload library (LD_PRELOAD, set by ``umockdev-wrapper`` at process start)
redirects /sys and /dev to a testbed directory and turns libudev's netlink monitor into
a socket the testbed sends uevents on, so pyudev's ``Monitor`` here is the real one,
reading real udev messages. The printer writes into the testbed's /dev/usb/lp0 (a
plain file); the scanner reads the testbed's /dev/input/event7, filled with the raw
``input_event`` records a scanner typing "A1é-" sends. umockdev emulates evdev ioctls
(grab, capabilities) only from a recording made on real hardware, so the scanner here
opens its node with :class:`RawEventNode` instead of python-evdev; everything else —
udev events, rules, sysfs lookup by USB id, the drivers' threads, the pygame events the
UI receives — is the production code.
"""

from __future__ import annotations

import os
import struct
import time

import pygame
import pytest
from evdev import InputEvent

from drivers.evdev_input import DeviceGone, os_detail
from drivers.hotplug import HotplugMonitor, rules_for
from drivers.printer import status as st
from drivers.scanner.hid import HidScanner
from drivers.scanner.keymap import keymap_table
from drivers.scanner.recording import key_events
from kiosk import events
from kiosk.config import load_config
from kiosk.config.models import PrinterConfig, ScannerConfig
from kiosk.devices.hardware import Devices
from tests.conftest import REPO
from tests.support import PygameEvents, wait_for

EPSON = """P: /devices/pci0000:00/0000:00:14.0/usb1/1-2
N: bus/usb/001/005=00
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
E: PRODUCT=4b8/202/100
E: ID_VENDOR_ID=04b8
E: ID_MODEL_ID=0202
A: idVendor=04b8
A: idProduct=0202

P: /devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0
E: SUBSYSTEM=usb
E: DEVTYPE=usb_interface
E: PRODUCT=4b8/202/100

P: /devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/usbmisc/lp0
N: usb/lp0=00
E: SUBSYSTEM=usbmisc
E: DEVNAME=/dev/usb/lp0
"""
EPSON_PATHS = ["/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2",
               "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0",
               "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/usbmisc/lp0"]

MOUSE = """P: /devices/pci0000:00/0000:00:14.0/usb1/1-4
N: bus/usb/001/006=00
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
E: PRODUCT=46d/c52b/1211
E: ID_VENDOR_ID=046d
E: ID_MODEL_ID=c52b
A: idVendor=046d
A: idProduct=c52b
"""
MOUSE_PATH = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4"

SCANNER_USB = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3"
SCANNER_PATHS = [SCANNER_USB, f"{SCANNER_USB}/1-3:1.0/0003:0C2E:0B61.0001/input/input7",
                 f"{SCANNER_USB}/1-3:1.0/0003:0C2E:0B61.0001/input/input7/event7"]
EVENT_RECORD = struct.Struct("llHHi")   # struct input_event on 64-bit Linux


def scanner_description(typed: str) -> str:
    """A Honeywell 1900 (0c2e:0b61) whose event node holds the records of a scan of ``typed``."""
    records = b"".join(EVENT_RECORD.pack(e.sec, e.usec, e.type, e.code, e.value)
                       for e in key_events(keymap_table("fr"), typed))
    return f"""P: {SCANNER_PATHS[0][4:]}
N: bus/usb/001/007=00
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
E: PRODUCT=c2e/b61/100
E: ID_VENDOR_ID=0c2e
E: ID_MODEL_ID=0b61
A: idVendor=0c2e
A: idProduct=0b61

P: {SCANNER_PATHS[1][4:]}
E: SUBSYSTEM=input
E: PRODUCT=3/c2e/b61/111
E: NAME="Honeywell Imaging & Mobility 1900"
A: id/vendor=0c2e
A: id/product=0b61
A: capabilities/key=10000000

P: {SCANNER_PATHS[2][4:]}
N: input/event7={records.hex().upper()}
E: SUBSYSTEM=input
E: DEVNAME=/dev/input/event7
E: ID_VENDOR_ID=0c2e
E: ID_MODEL_ID=0b61
E: DEVLINKS=/dev/input/by-id/usb-Honeywell_Imaging_Mobility_1900-event-kbd
L: device=../../input7
"""


class RawEventNode:
    """Reads ``input_event`` records from a node as python-evdev would, without its ioctls."""

    def __init__(self, path: str) -> None:
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - open as long as the device is, closed by close()
        except OSError as exc:
            raise DeviceGone(*os_detail(exc, path, "scanner")) from None
        self.path = path

    def read(self, timeout: float) -> list:
        if not os.path.exists(self.path):
            raise DeviceGone(f"{self.path} is gone (scanner unplugged?)")
        data = self._file.read()
        if not data:
            time.sleep(min(timeout, 0.02))
            return []
        return [InputEvent(*fields) for fields in EVENT_RECORD.iter_unpack(data)]

    def close(self) -> None:
        self._file.close()


@pytest.fixture
def testbed():
    assert "umockdev-preload" in os.environ.get("LD_PRELOAD", ""), "run under umockdev-wrapper"
    import gi

    gi.require_version("UMockdev", "1.0")
    from gi.repository import UMockdev

    bed = UMockdev.Testbed.new()
    yield bed
    del bed


@pytest.fixture(scope="module", autouse=True)
def sdl_events():
    """Before any testbed exists: SDL's udev probing hangs inside a live one (so does its
    ``display.quit()`` afterwards; this process ends right after the cases instead)."""
    pygame.display.init()


@pytest.fixture
def queue():
    pygame.event.clear()
    return PygameEvents()


def plug(bed, description: str) -> None:
    assert bed.add_from_string(description)     # umockdev sends each device's "add" uevent itself


def unplug(bed, paths: list[str], nodes: list[str]) -> None:
    for path in reversed(paths):
        bed.uevent(path, "remove")     # before removing: umockdev reads the properties from sysfs
        bed.remove_device(path)
    for node in nodes:                 # umockdev leaves device nodes behind; the kernel would not
        os.unlink(bed.get_root_dir() + node)


def devices_for(overrides: dict) -> Devices:
    config = load_config(REPO / "kiosk.toml", {"printer.type": "none", "scanner.type": "none", **overrides})
    return Devices(config, demo=False)


def test_usb_printer_is_matched_by_vendor_and_product(testbed):
    seen = []
    monitor = HotplugMonitor(rules_for(printer=PrinterConfig(type="usb", vendor_id=0x04B8, product_id=0x0202)),
                             lambda rule, event: seen.append((rule.device, event.action, event.sys_path)),
                             post=lambda *a, **k: True).start()
    try:
        assert wait_for(lambda: monitor.state == "ready"), monitor.detail
        plug(testbed, MOUSE)
        plug(testbed, EPSON)
        assert wait_for(lambda: seen)
        unplug(testbed, EPSON_PATHS, [])
        unplug(testbed, [MOUSE_PATH], [])
        assert wait_for(lambda: len(seen) >= 2)
        time.sleep(0.2)       # nothing else may arrive: not the interface, not lp0, not the mouse
    finally:
        monitor.stop()
    assert seen == [("printer", "add", EPSON_PATHS[0]), ("printer", "remove", EPSON_PATHS[0])]


def test_usblp_printer_missing_at_start_prints_once_plugged_and_is_reported_unplugged(queue, testbed):
    devices = devices_for({"printer.type": "file", "printer.device": "/dev/usb/lp0"})
    devices.start()
    try:
        devices.printer.retry_interval = 30       # so that only udev can explain a quick recovery
        queue.wait(events.DEVICE_STATE, device="printer", state=st.DISCONNECTED)
        assert wait_for(lambda: devices.hotplug.state == "ready"), devices.hotplug.detail
        plug(testbed, EPSON)
        queue.wait(events.DEVICE_STATE, device="printer", state=st.NO_STATUS, timeout=1.5)
        job = devices.printer.submit(b"Ticket 42\n")
        queue.wait(events.PRINT_DONE, job_id=job)
        with open(testbed.get_root_dir() + "/dev/usb/lp0", "rb") as node:
            assert b"Ticket 42\n" in node.read()
        unplug(testbed, EPSON_PATHS, ["/dev/usb/lp0"])
        queue.wait(events.DEVICE_STATE, device="printer", state=st.DISCONNECTED,
                   detail="printer device /dev/usb/lp0 unplugged", timeout=1.5)
    finally:
        devices.stop()


def test_hid_scanner_found_by_usb_id_when_plugged_and_reported_unplugged(queue, testbed):
    devices = devices_for({"scanner.type": "hid", "scanner.vendor_id": 0x0C2E, "scanner.product_id": 0x0B61})
    devices.start()
    try:
        devices.scanner.stop()     # the same reader, opening the node without evdev's ioctls (see above)
        devices.scanner = HidScanner(vendor_id=0x0C2E, product_id=0x0B61, retry_interval=30,
                                     open_device=RawEventNode).start()
        queue.wait(events.DEVICE_STATE, device="scanner", state="disconnected")
        assert wait_for(lambda: devices.hotplug.state == "ready"), devices.hotplug.detail
        plug(testbed, scanner_description("A1é-\n"))
        ready = queue.wait(events.DEVICE_STATE, device="scanner", state="ready", timeout=1.5)
        assert ready.detail == "USB 0c2e:0b61"
        scan = queue.wait(events.SCAN_READ)
        assert (scan.text, scan.source) == ("A1é-", "hid")
        unplug(testbed, SCANNER_PATHS, ["/dev/input/event7"])
        queue.wait(events.DEVICE_STATE, device="scanner", state="disconnected", detail="USB 0c2e:0b61 unplugged",
                   timeout=1.5)
    finally:
        devices.stop()


def test_scanner_by_id_link_is_matched_on_remove_when_the_link_is_gone(testbed):
    """On "remove" the by-id link no longer exists: the rule matches it from the event's DEVLINKS."""
    link = "/dev/input/by-id/usb-Honeywell_Imaging_Mobility_1900-event-kbd"
    seen = []
    monitor = HotplugMonitor(rules_for(scanner=ScannerConfig(type="hid", device=link)),
                             lambda rule, event: seen.append((rule.device, event.action, event.node)),
                             post=lambda *a, **k: True).start()
    try:
        assert wait_for(lambda: monitor.state == "ready"), monitor.detail
        plug(testbed, scanner_description("X\n"))
        unplug(testbed, SCANNER_PATHS, ["/dev/input/event7"])
        assert wait_for(lambda: len(seen) >= 2)
        time.sleep(0.2)
    finally:
        monitor.stop()
    assert seen == [("scanner", "add", "/dev/input/event7"), ("scanner", "remove", "/dev/input/event7")]


if __name__ == "__main__":
    # Run as a script by test_hotplug_umockdev.py. SDL_Quit, which pygame runs at exit, never
    # returns in this preloaded process once the cases ran: leave without it, keeping pytest's status.
    import sys

    status = pytest.main(["-p", "no:cacheprovider", __file__, *sys.argv[1:]])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(status))
