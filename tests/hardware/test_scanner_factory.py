"""make_scanner: the [scanner] section's ``type`` picks the backend, the other keys are its arguments."""

from __future__ import annotations

import pytest

from drivers.scanner import NoScanner, make_scanner
from drivers.scanner.camera import CameraScanner
from drivers.scanner.hid import HidScanner
from drivers.scanner.simulated import SimulatedScanner
from kiosk import events
from kiosk.config.models import ScannerConfig as Section
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH


def test_none_is_the_default_and_starts_nothing():
    s = make_scanner(Section())
    assert isinstance(s, NoScanner) and s.start() is s
    s.stop()


def test_hid_keys_become_arguments():
    s = make_scanner(Section(type="hid", device="/dev/input/by-id/usb-X-event-kbd", layout="us", suffix="tab",
                             inter_key_timeout_s=0.05, vendor_id=None))
    assert isinstance(s, HidScanner) and s.decoder.table.layout == "us" and s.decoder.suffix == "\t"
    assert s.decoder.timeout == 0.05 and s.decoder.max_length == MAX_SCAN_LENGTH
    s = make_scanner(Section(type="hid", vendor_id=0x0C2E, product_id=0x0B61))
    assert s.describe() == "USB 0c2e:0b61" and s.decoder.table.layout == "fr"


def test_camera_and_simulated(tmp_path):
    s = make_scanner(Section(type="camera", device="/dev/video2", decoder="zbar", max_fps=5, repeat_after_s=2))
    assert isinstance(s, CameraScanner) and s.source.device == "/dev/video2"
    assert s.decoder.name == "zbar" and s.min_interval == 0.2 and s.dedup.window_s == 2
    s = make_scanner(Section(type="camera"))
    assert s.decoder.name == "zxing" and not s.decoder.thorough
    s = make_scanner(Section(type="simulated", socket=str(tmp_path / "s.sock")))
    assert isinstance(s, SimulatedScanner) and s.socket_path == tmp_path / "s.sock"


def test_unknown_type_and_wrong_keys():
    with pytest.raises(ValueError, match="unknown scanner type 'laser'"):
        make_scanner(Section.model_construct(type="laser"))    # the model itself refuses it
    with pytest.raises(TypeError):
        make_scanner(Section.model_construct(type="simulated", layout="fr"))
    with pytest.raises(ValueError, match="needs device"):
        make_scanner(Section.model_construct(type="hid"))


def test_missing_packages_give_an_unavailable_scanner_not_a_crash(monkeypatch):
    import builtins

    from drivers.scanner import UnavailableScanner
    from drivers.scanner.decode import ZbarDecoder
    monkeypatch.setattr(ZbarDecoder, "is_usable", staticmethod(lambda: False))
    posted = []
    s = make_scanner(Section(type="camera", decoder="zbar"), post=lambda n, **a: posted.append((n, a)) or True)
    assert isinstance(s, UnavailableScanner) and s.start() is s
    assert posted == [(events.DEVICE_STATE, {"device": "camera", "state": "unavailable",
                                        "detail": "the zbar decoder needs the Python package pyzbar and the "
                                                  "Debian package libzbar0, which is not installed"})]
    real_import = builtins.__import__

    def no_hid(name, *args, **kw):
        if name == "drivers.scanner.hid":
            raise ImportError("No module named 'evdev'")
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_hid)
    s = make_scanner(Section(type="hid", device="/dev/input/event3"), post=lambda n, **a: True)
    assert isinstance(s, UnavailableScanner) and "evdev and xkbcommon" in s._detail
