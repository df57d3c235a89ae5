"""The driver-thread base: hotplug add wakes a driver at once, remove makes it report the device gone.

Retry intervals here are long (30 s) so that only the hotplug calls can explain a quick recovery.
"""

from __future__ import annotations

from support import FakeScannerDevice, FakeTouchDevice, Posted, wait_for

from drivers.printer import status as st
from drivers.printer.backends import FileBackend
from drivers.printer.worker import PrintWorker
from drivers.scanner.hid import HidScanner
from drivers.scanner.keymap import keymap_table
from drivers.scanner.recording import key_events
from drivers.touch.evdev_touch import EvdevTouch
from kiosk import events


def states(posted, device):
    return [(a["state"], a["detail"]) for n, a in posted if a.get("device") == device]


def test_scanner_opens_at_once_when_its_device_is_added(tmp_path):
    posted, node = Posted(), tmp_path / "usb-scanner-event-kbd"
    scanner = HidScanner(str(node), post=posted, open_device=FakeScannerDevice, retry_interval=30).start()
    try:
        assert wait_for(lambda: scanner.state == "disconnected")
        node.touch()
        scanner.device_added()
        assert wait_for(lambda: scanner.state == "ready", timeout=1.0)
        FakeScannerDevice.opened[-1].queue.put(key_events(keymap_table("fr"), "A1é-\n"))
        assert wait_for(lambda: posted.of(events.SCAN_READ))
        assert posted.of(events.SCAN_READ) == [{"text": "A1é-", "source": "hid"}]
    finally:
        scanner.stop()


def test_scanner_reports_a_removal_even_while_its_node_still_reads(tmp_path):
    """Some hubs keep a dead node readable for a while: the udev "remove" is what the UI hears."""
    posted, node = Posted(), tmp_path / "usb-scanner-event-kbd"
    node.touch()
    FakeScannerDevice.opened = []
    scanner = HidScanner(str(node), post=posted, open_device=FakeScannerDevice, retry_interval=30).start()
    try:
        assert wait_for(lambda: scanner.state == "ready")
        scanner.device_removed()
        assert wait_for(lambda: scanner.state == "disconnected", timeout=1.0)
        assert FakeScannerDevice.opened[0].closed
        assert states(posted, "scanner")[-1] == ("disconnected", f"{node} unplugged")
        scanner.device_added()
        assert wait_for(lambda: scanner.state == "ready", timeout=1.0)
        assert len(FakeScannerDevice.opened) == 2
    finally:
        scanner.stop()


def test_touch_reader_follows_hotplug_calls(tmp_path):
    posted, node = Posted(), tmp_path / "touch-event"
    touch = EvdevTouch(str(node), post=posted, open_device=FakeTouchDevice, retry_interval=30).start()
    try:
        assert wait_for(lambda: touch.state == "disconnected")
        node.touch()
        touch.device_added()
        assert wait_for(lambda: touch.state == "ready", timeout=1.0)
        touch.device_removed()
        assert wait_for(lambda: touch.state == "disconnected", timeout=1.0)
        assert touch.detail == f"{node} unplugged"
    finally:
        touch.stop()


def test_printer_reports_removal_and_prints_again_after_add(tmp_path):
    """A usblp printer (file backend) seen by its device node, which comes and goes."""
    posted, node = Posted(), tmp_path / "lp0"
    worker = PrintWorker(FileBackend(str(node)), post=posted, poll_interval=30, retry_interval=30,
                         status_timeout=0.05).start()
    try:
        assert wait_for(lambda: worker.state == st.DISCONNECTED)
        node.touch()
        worker.device_added()
        assert wait_for(lambda: worker.state == st.NO_STATUS, timeout=1.0)   # a file answers no status
        worker.device_removed()
        assert wait_for(lambda: worker.state == st.DISCONNECTED, timeout=1.0)
        assert worker.detail == f"printer device {node} unplugged"
        worker.device_added()
        assert wait_for(lambda: worker.state == st.NO_STATUS, timeout=1.0)
        worker.submit(b"ticket\n", job_id="j1")
        assert wait_for(lambda: posted.of(events.PRINT_DONE))
        assert b"ticket\n" in node.read_bytes()   # between status queries (DLE EOT)
    finally:
        worker.stop()
    assert [s for s, _ in states(posted, "printer")] == [st.DISCONNECTED, st.NO_STATUS, st.DISCONNECTED,
                                                         st.NO_STATUS]
