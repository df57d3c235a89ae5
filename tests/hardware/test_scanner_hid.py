"""The HID scanner reader: fake devices feeding events, unplug/replug, lookup by USB id."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from support import FakeScannerDevice, Posted, wait_for

from drivers.scanner.hid import DeviceGone, EvdevDevice, HidScanner, _has_key, find_by_usb_id
from drivers.scanner.keymap import keymap_table
from drivers.scanner.recording import key_events
from kiosk import events

FR = keymap_table("fr")


@pytest.fixture
def node(tmp_path):
    FakeScannerDevice.opened = []
    path = tmp_path / "usb-Honeywell_scanner-event-kbd"
    path.touch()
    return path


def test_reader_posts_scans_typed_by_the_device(node):
    posted = Posted()
    scanner = HidScanner(str(node), layout="fr", post=posted, open_device=FakeScannerDevice).start()
    try:
        assert wait_for(lambda: FakeScannerDevice.opened)
        FakeScannerDevice.opened[0].queue.put(key_events(FR, "A1é-\n", repeat_every=2))
        FakeScannerDevice.opened[0].queue.put(key_events(FR, "RDV-42\n"))
        assert wait_for(lambda: len(posted.of(events.SCAN_READ)) == 2)
    finally:
        scanner.stop()
    assert posted.of(events.SCAN_READ) == [{"text": "A1é-", "source": "hid"}, {"text": "RDV-42", "source": "hid"}]
    assert posted.of(events.DEVICE_STATE)[0] == {"device": "scanner", "state": "ready", "detail": str(node)}
    assert FakeScannerDevice.opened[0].closed


def test_scan_without_suffix_ends_after_the_pause(node):
    posted = Posted()
    scanner = HidScanner(str(node), layout="us", suffix="none", inter_key_timeout_s=0.05, post=posted,
                         open_device=FakeScannerDevice).start()
    try:
        assert wait_for(lambda: FakeScannerDevice.opened)
        FakeScannerDevice.opened[0].queue.put(key_events(keymap_table("us"), "12345"))
        assert wait_for(lambda: posted.of(events.SCAN_READ))
    finally:
        scanner.stop()
    assert posted.of(events.SCAN_READ) == [{"text": "12345", "source": "hid"}]


def test_unplug_reports_and_replug_reopens(node):
    posted = Posted()
    scanner = HidScanner(str(node), post=posted, open_device=FakeScannerDevice, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)] == ["ready"])
        node.unlink()
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)] == ["ready", "disconnected"])
        assert "unplugged" in posted.of(events.DEVICE_STATE)[-1]["detail"]
        assert FakeScannerDevice.opened[0].closed
        node.touch()
        assert wait_for(lambda: len(FakeScannerDevice.opened) == 2)
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)][-1] == "ready")
        FakeScannerDevice.opened[1].queue.put(key_events(FR, "OK\n"))
        assert wait_for(lambda: posted.of(events.SCAN_READ))
    finally:
        scanner.stop()
    states = [s["state"] for s in posted.of(events.DEVICE_STATE)]
    assert states == ["ready", "disconnected", "ready"]      # one event per change, not per retry
    assert posted.of(events.SCAN_READ) == [{"text": "OK", "source": "hid"}]


def test_missing_at_start_is_picked_up_when_it_appears(tmp_path):
    FakeScannerDevice.opened = []
    posted = Posted()
    path = tmp_path / "event7"
    scanner = HidScanner(str(path), post=posted, open_device=FakeScannerDevice, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
        assert posted.of(events.DEVICE_STATE)[0]["state"] == "disconnected"
        path.touch()
        assert wait_for(lambda: posted.of(events.DEVICE_STATE)[-1]["state"] == "ready")
    finally:
        scanner.stop()


def _sysfs(root: Path, n: int, vendor: str, product: str, keys: str) -> None:
    dev = root / f"event{n}" / "device"
    (dev / "id").mkdir(parents=True)
    (dev / "capabilities").mkdir()
    (dev / "id" / "vendor").write_text(vendor + "\n")
    (dev / "id" / "product").write_text(product + "\n")
    (dev / "capabilities" / "key").write_text(keys + "\n")


def test_find_by_usb_id_picks_the_keyboard_node(tmp_path):
    keyboard = "1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe"   # a real keyboard bitmap
    _sysfs(tmp_path, 3, "0c2e", "0b61", "0")                       # the scanner's vendor channel
    _sysfs(tmp_path, 5, "0c2e", "0b61", keyboard)                  # its keyboard node
    _sysfs(tmp_path, 2, "046d", "c31c", keyboard)                  # a maintenance keyboard
    assert find_by_usb_id(0x0C2E, 0x0B61, tmp_path) == "/dev/input/event5"
    assert find_by_usb_id(0x1234, 0x5678, tmp_path) is None
    assert _has_key(keyboard, 28) and not _has_key("0", 28)


def test_vendor_product_not_present_reports_disconnected(tmp_path):
    posted = Posted()
    scanner = HidScanner(vendor_id=0x0C2E, product_id=0x0B61, post=posted, sys_input=tmp_path,
                         retry_interval=0.02).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
    finally:
        scanner.stop()
    assert posted.of(events.DEVICE_STATE)[0] == {"device": "scanner", "state": "disconnected",
                                            "detail": "no input device USB 0c2e:0b61 (scanner unplugged?)"}


def test_real_evdev_open_of_a_missing_node_is_device_gone(tmp_path):
    with pytest.raises(DeviceGone, match="gone"):
        EvdevDevice(str(tmp_path / "event99"))


def test_needs_a_device():
    with pytest.raises(ValueError, match="needs device"):
        HidScanner()


def test_thread_is_the_only_reader(node):
    scanner = HidScanner(str(node), post=Posted(), open_device=FakeScannerDevice).start()
    try:
        names = [t.name for t in threading.enumerate()]
        assert "scanner-hid" in names
    finally:
        scanner.stop()
    assert "scanner-hid" not in [t.name for t in threading.enumerate()]


def test_by_id_link_follows_the_device_across_replug(tmp_path):
    FakeScannerDevice.opened = []
    posted = Posted()
    target = tmp_path / "event4"
    link = tmp_path / "usb-Zebra_DS2208-event-kbd"
    link.symlink_to(target)                                   # udev's stable link, dangling for now
    scanner = HidScanner(str(link), post=posted, open_device=FakeScannerDevice, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
        assert posted.of(events.DEVICE_STATE)[-1]["state"] == "disconnected"
        target.touch()                                        # plugged in: the kernel node appears
        assert wait_for(lambda: posted.of(events.DEVICE_STATE)[-1]["state"] == "ready")
        FakeScannerDevice.opened[0].queue.put(key_events(FR, "X1\n")[:-6])   # unplugged mid-scan
        target.unlink()
        assert wait_for(lambda: posted.of(events.DEVICE_STATE)[-1]["state"] == "disconnected")
    finally:
        scanner.stop()
    assert posted.of(events.SCAN_READ) == []
    assert scanner.decoder.rejections[-1].reason == "device disconnected during the scan"


def test_vendor_product_found_when_it_appears(tmp_path):
    FakeScannerDevice.opened = []
    posted = Posted()
    sysfs, dev = tmp_path / "sys", tmp_path / "dev"
    sysfs.mkdir()
    dev.mkdir()

    def opener(path):                                         # /dev/input/eventN -> our tmp dev folder
        return FakeScannerDevice(str(dev / Path(path).name))

    scanner = HidScanner(vendor_id=0x05E0, product_id=0x1200, post=posted, sys_input=sysfs, open_device=opener,
                         retry_interval=0.02).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
        _sysfs(sysfs, 9, "05e0", "1200", "10000000")          # bit 28: KEY_ENTER
        (dev / "event9").touch()
        assert wait_for(lambda: posted.of(events.DEVICE_STATE)[-1]["state"] == "ready")
        assert FakeScannerDevice.opened[0].path.endswith("event9")
    finally:
        scanner.stop()


def test_os_errors_become_states_a_technician_can_act_on():
    import errno

    from drivers.scanner.hid import _os_detail
    assert _os_detail(PermissionError(errno.EACCES, "x"), "/dev/input/event3") == (
        "permission denied on /dev/input/event3 (is the kiosk user in group input?)", "permission")
    assert _os_detail(OSError(errno.EBUSY, "busy"), "/dev/input/event3")[1] == "error"
    assert _os_detail(OSError(errno.ENODEV, "gone"), "/dev/input/event3")[1] == "disconnected"


def test_missing_packages_report_unavailable_without_a_thread(node, monkeypatch):
    posted = Posted()
    monkeypatch.setattr(HidScanner, "is_usable", staticmethod(lambda: False))
    scanner = HidScanner(str(node), post=posted, open_device=FakeScannerDevice).start()
    scanner.stop()
    assert posted.of(events.DEVICE_STATE) == [{"device": "scanner", "state": "unavailable",
                                          "detail": "the hid scanner needs packages that are not installed"}]
