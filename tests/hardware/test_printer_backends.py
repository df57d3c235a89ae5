"""Printer transports over real loopback sockets, real files and real pseudo-terminals."""

from __future__ import annotations

import os
import socket
import time

import pytest

from drivers.printer.backends import BackendError, FileBackend, NetworkBackend, NoneBackend
from drivers.printer.factory import make_backend
from drivers.printer.fakeprinter import FakeNetworkPrinter
from drivers.printer.usb_serial import SerialBackend, UsbBackend
from kiosk.config.models import PrinterConfig


@pytest.fixture
def fake():
    with FakeNetworkPrinter() as printer:
        yield printer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_type_key_picks_the_class_other_keys_are_arguments():
    backend = make_backend(PrinterConfig(type="network", host="127.0.0.1", port=9101, profile="TM-T88V"))
    assert isinstance(backend, NetworkBackend) and (backend.host, backend.port) == ("127.0.0.1", 9101)
    assert isinstance(make_backend(PrinterConfig(type="file", device="/dev/usb/lp0", qr="auto")), FileBackend)
    assert isinstance(make_backend(PrinterConfig(type="serial", device="/dev/ttyS0", baudrate=19200)), SerialBackend)
    usb = make_backend(PrinterConfig(type="usb", vendor_id=0x04B8, product_id=0x0202))
    assert isinstance(usb, UsbBackend) and usb.describe() == "USB printer 04b8:0202"
    assert isinstance(make_backend(PrinterConfig()), NoneBackend)
    with pytest.raises(ValueError, match="unknown printer type"):
        make_backend(PrinterConfig.model_construct(type="laser"))    # the model itself refuses it


def test_none_backend_refuses_with_a_reason():
    with pytest.raises(BackendError) as caught:
        NoneBackend().write(b"x")
    assert caught.value.code == "disabled"


def test_network_opens_lazily_and_writes(fake):
    backend = NetworkBackend("127.0.0.1", fake.port, timeout_s=1)
    time.sleep(0.05)
    assert fake.connections == 0 and not backend.is_open
    backend.write(b"hello")
    assert fake.wait_for(b"hello") and fake.connections == 1
    started = time.monotonic()
    assert backend.read(1, 0.1) == b""  # silence is a timeout, not an error
    assert time.monotonic() - started < 0.5
    backend.close()


def test_network_refused_is_unreachable():
    with pytest.raises(BackendError) as caught:
        NetworkBackend("127.0.0.1", free_port(), timeout_s=1).write(b"x")
    assert caught.value.code == "unreachable" and "127.0.0.1" in caught.value.detail


def test_network_printer_vanishing_is_disconnected(fake):
    backend = NetworkBackend("127.0.0.1", fake.port, timeout_s=1)
    backend.write(b"a")
    assert fake.wait_for(b"a")
    fake.stop()
    with pytest.raises(BackendError) as caught:
        backend.read(1, 1.0)
    assert caught.value.code == "disconnected" and not backend.is_open


def test_file_backend_writes_and_reports_missing(tmp_path):
    target = tmp_path / "lp0"
    target.touch()
    backend = FileBackend(str(target))
    backend.write(b"\x1b@abc")
    backend.close()
    assert target.read_bytes() == b"\x1b@abc"
    with pytest.raises(BackendError) as caught:
        FileBackend(str(tmp_path / "missing" / "lp0")).write(b"x")
    assert caught.value.code == "not_found"


def test_file_backend_reads_status_from_a_character_device():
    master, slave = os.openpty()
    try:
        import tty
        tty.setraw(slave)
        backend = FileBackend(os.ttyname(slave))
        backend.write(b"\x10\x04\x01")
        assert os.read(master, 3) == b"\x10\x04\x01"
        os.write(master, b"\x12")
        assert backend.read(1, 1.0) == b"\x12"
        assert backend.read(1, 0.05) == b""
        backend.close()
    finally:
        os.close(master)
        os.close(slave)


def test_serial_backend_over_a_pty():
    master, slave = os.openpty()
    try:
        backend = SerialBackend(os.ttyname(slave), baudrate=9600, flow_control="none", timeout_s=1)
        backend.write(b"\x1b@")
        assert os.read(master, 2) == b"\x1b@"
        os.write(master, b"\x12")
        assert backend.read(1, 1.0) == b"\x12"
        backend.close()
    finally:
        os.close(master)
        os.close(slave)
    with pytest.raises(BackendError) as caught:
        SerialBackend("/dev/ttyNOPE0").write(b"x")
    assert caught.value.code == "not_found"


def test_usb_backend_says_what_is_missing():
    backend = UsbBackend(0x04B8, 0x0202)
    with pytest.raises(BackendError) as caught:
        backend.write(b"x")
    expected = "not_found" if UsbBackend.is_usable() else "unavailable"
    assert caught.value.code == expected
    assert "04b8:0202" in caught.value.detail or "libusb" in caught.value.detail
