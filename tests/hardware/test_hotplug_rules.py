"""Which udev events concern which configured device, and what kiosk.devices.hardware does with them.

The real udev path (pyudev's monitor receiving events) is in test_hotplug_umockdev.py.
"""

from __future__ import annotations

import pytest

from drivers.hotplug import HotplugMonitor, UdevEvent, rules_for
from drivers.hotplug.rules import DeviceRule, ids_from_properties, subsystems_of
from kiosk.config import load_config
from kiosk.config.models import PrinterConfig, ScannerConfig, TouchConfig
from kiosk.devices.hardware import Devices
from tests.conftest import REPO

EPSON = dict(vendor_id=0x04B8, product_id=0x0202)


def usb(action="add", devtype="usb_device", **ids):
    return UdevEvent(action, "usb", devtype=devtype, **(ids or EPSON))


def test_usb_printer_matches_its_usb_device_only():
    [rule] = rules_for(printer=PrinterConfig(type="usb", **EPSON))
    assert rule == DeviceRule("printer", ("usb",), **EPSON)
    assert rule.matches(usb()) and rule.matches(usb("remove"))
    assert not rule.matches(usb(devtype="usb_interface"))          # one event per plug, not one per interface
    assert not rule.matches(usb(vendor_id=0x04B8, product_id=0x0E15))
    assert not rule.matches(UdevEvent("add", "usbmisc", node="/dev/usb/lp0", **EPSON))


@pytest.mark.parametrize("kind, device", [("file", "/dev/usb/lp0"), ("serial", "/dev/ttyUSB0")])
def test_printer_device_files_match_their_node_or_a_link(kind, device):
    [rule] = rules_for(printer=PrinterConfig(type=kind, device=device))
    assert rule.matches(UdevEvent("remove", "usbmisc" if kind == "file" else "tty", node=device))
    link = "/dev/serial/by-id/usb-Prolific-if00-port0"
    [by_link] = rules_for(printer=PrinterConfig(type="serial", device=link))
    assert by_link.matches(UdevEvent("remove", "tty", node="/dev/ttyUSB1", links=(link,)))
    assert not by_link.matches(UdevEvent("remove", "tty", node="/dev/ttyUSB1"))


def test_a_link_given_in_the_config_is_followed_while_it_exists(tmp_path):
    node = tmp_path / "ttyUSB3"
    node.touch()
    link = tmp_path / "usb-Prolific-if00-port0"
    link.symlink_to(node)
    [rule] = rules_for(printer=PrinterConfig(type="serial", device=str(link)))
    assert rule.matches(UdevEvent("add", "tty", node=str(node)))      # udev did not list the link
    assert not rule.matches(UdevEvent("add", "tty", node="/dev/ttyUSB3"))


def test_hid_scanner_by_usb_id_matches_event_nodes_only():
    [rule] = rules_for(scanner=ScannerConfig(type="hid", vendor_id=0x0C2E, product_id=0x0B61))
    ids = dict(vendor_id=0x0C2E, product_id=0x0B61)
    assert rule.matches(UdevEvent("add", "input", node="/dev/input/event7", **ids))
    assert not rule.matches(UdevEvent("add", "input", node="", **ids))                  # the inputN parent
    assert not rule.matches(UdevEvent("add", "input", node="/dev/input/mouse2", **ids))
    assert not rule.matches(UdevEvent("add", "input", node="/dev/input/event8", vendor_id=0x05E0,
                                      product_id=0x1200))


def test_touch_by_name_and_camera_by_node():
    touch, camera = rules_for(scanner=ScannerConfig(type="camera"),
                              touch=TouchConfig(type="evdev", name="ILITEK Multi-Touch"))[::-1]
    assert touch.matches(UdevEvent("add", "input", node="/dev/input/event3", name="ILITEK Multi-Touch"))
    assert not touch.matches(UdevEvent("add", "input", node="/dev/input/event4", name="Logitech mouse"))
    assert camera == DeviceRule("camera", ("video4linux",), node="/dev/video0")
    assert camera.matches(UdevEvent("remove", "video4linux", node="/dev/video0"))


def test_devices_udev_cannot_see_have_no_rule():
    assert rules_for(printer=PrinterConfig(type="network", host="192.0.2.5"), scanner=ScannerConfig(type="simulated"),
                     touch=TouchConfig(type="sdl")) == []
    assert rules_for(printer=PrinterConfig(type="none"), scanner=ScannerConfig(type="none")) == []


def test_subsystems_to_watch():
    rules = rules_for(printer=PrinterConfig(type="file", device="/dev/usb/lp0"),
                      scanner=ScannerConfig(type="hid", device="/dev/input/event7"))
    assert subsystems_of(rules) == ["input", "printer", "tty", "usbmisc"]


@pytest.mark.parametrize("props, ids", [
    ({"ID_VENDOR_ID": "04b8", "ID_MODEL_ID": "0202"}, (0x04B8, 0x0202)),
    ({"PRODUCT": "4b8/202/100"}, (0x04B8, 0x0202)),                       # the kernel's, on "remove"
    ({"PRODUCT": "garbage"}, (None, None)),
    ({"ID_VENDOR_ID": "zz"}, (None, None)),
    ({}, (None, None)),
])
def test_usb_ids_from_event_properties(props, ids):
    assert ids_from_properties(props) == ids


class Driver:
    def __init__(self):
        self.calls = []

    def device_added(self):
        self.calls.append("added")

    def device_removed(self):
        self.calls.append("removed")


def test_devices_pass_udev_events_to_the_matching_driver():
    config = load_config(REPO / "kiosk.toml", {"printer.type": "usb", "printer.vendor_id": 0x04B8,
                                               "printer.product_id": 0x0202})
    devices = Devices(config, demo=False)
    devices.printer, devices.scanner = Driver(), Driver()
    [rule] = rules_for(printer=config.printer)
    for action in ("add", "bind", "remove", "unbind"):
        devices._hotplug_event(rule, usb(action))
    assert devices.printer.calls == ["added", "added", "removed"]
    assert devices.scanner.calls == []


def test_demo_mode_watches_nothing(make_pilot):
    """The demo replaces real devices by simulated twins, which never come and go."""
    pilot = make_pilot(demo=True, overrides={"printer.type": "file", "printer.device": "/dev/usb/lp0"})
    assert pilot.app.frames >= 1 and pilot.app.devices.printer is not None     # devices started
    assert pilot.app.devices.hotplug is None


def test_monitor_without_rules_starts_no_thread():
    monitor = HotplugMonitor([], lambda rule, event: None, post=lambda *a, **k: True).start()
    assert monitor._thread is None and monitor.state == "unknown"


def test_a_failing_handler_does_not_stop_the_others():
    seen = []

    def handler(rule, event):
        seen.append(rule.device)
        if rule.device == "printer":
            raise RuntimeError("bug")

    rules = [DeviceRule("printer", ("input",), node="/dev/input/event1"),
             DeviceRule("touch", ("input",), node="/dev/input/event1")]
    HotplugMonitor(rules, handler, post=lambda *a, **k: True).handle(
        UdevEvent("add", "input", node="/dev/input/event1"))
    assert seen == ["printer", "touch"]


def test_a_remove_reaches_the_rule_its_add_matched():
    """A touch screen matched by name: its "remove" event no longer carries the name."""
    seen = []
    monitor = HotplugMonitor(rules_for(touch=TouchConfig(type="evdev", name="ILITEK Multi-Touch")),
                             lambda rule, event: seen.append((rule.device, event.action)), post=lambda *a, **k: True)
    path = "/sys/devices/usb1/1-1/input/input3/event3"
    monitor.handle(UdevEvent("add", "input", node="/dev/input/event3", name="ILITEK Multi-Touch", sys_path=path))
    monitor.handle(UdevEvent("remove", "input", node="/dev/input/event3", sys_path=path))
    monitor.handle(UdevEvent("remove", "input", node="/dev/input/event3", sys_path=path))   # told once only
    assert seen == [("touch", "add"), ("touch", "remove")]
