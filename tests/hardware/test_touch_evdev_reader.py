"""The evdev touch reader thread: fake devices, unplug/replug, lookup, and a tap through the real app."""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest
from evdev import InputEvent
from evdev import ecodes as e
from support import FakeTouchDevice, Posted, ev, wait_for

from drivers.touch import make_touch
from drivers.touch.device import DeviceGone, EvdevTouchDevice, find_touch
from drivers.touch.evdev_touch import TOUCH_ID, EvdevTouch
from drivers.touch.transform import Axes
from kiosk import events
from kiosk.config.models import TouchConfig


def tap_frames(raw_x: int, raw_y: int, tracking_id: int = 5) -> list[list[InputEvent]]:
    """A protocol B tap with no motion: contact down, then lifted, each in its own frame."""
    syn = ev(e.EV_SYN, e.SYN_REPORT, 0)
    return [[ev(e.EV_ABS, e.ABS_MT_SLOT, 0), ev(e.EV_ABS, e.ABS_MT_TRACKING_ID, tracking_id),
             ev(e.EV_ABS, e.ABS_MT_POSITION_X, raw_x), ev(e.EV_ABS, e.ABS_MT_POSITION_Y, raw_y),
             ev(e.EV_KEY, e.BTN_TOUCH, 1), syn],
            [ev(e.EV_ABS, e.ABS_MT_TRACKING_ID, -1), ev(e.EV_KEY, e.BTN_TOUCH, 0), syn]]


@pytest.fixture
def node(tmp_path):
    FakeTouchDevice.opened = []
    path = tmp_path / "usb-ILITEK_Multi-Touch-event-if00"
    path.touch()
    return path


def test_reader_posts_finger_events_and_device_state(node):
    posted = Posted()
    touch = EvdevTouch(str(node), post=posted, open_device=FakeTouchDevice, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: FakeTouchDevice.opened)
        for frame in tap_frames(1024, 3072):
            FakeTouchDevice.opened[0].queue.put(frame)
        assert wait_for(lambda: posted.of(pygame.FINGERUP))
    finally:
        touch.stop()
    assert posted.of(events.DEVICE_STATE)[0] == {"device": "touch", "state": "ready", "detail": str(node)}
    down, = posted.of(pygame.FINGERDOWN)
    assert down == {"touch_id": TOUCH_ID, "finger_id": 5, "x": 1024 / 4095, "y": 3072 / 4095,
                    "dx": 0.0, "dy": 0.0, "pressure": 1.0}
    up, = posted.of(pygame.FINGERUP)
    assert (up["finger_id"], up["x"], up["y"]) == (5, down["x"], down["y"])
    assert FakeTouchDevice.opened[0].closed


def test_unplug_releases_the_finger_and_replug_resumes(node):
    posted = Posted()
    touch = EvdevTouch(str(node), post=posted, open_device=FakeTouchDevice, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: FakeTouchDevice.opened)
        FakeTouchDevice.opened[0].queue.put(tap_frames(100, 100)[0])   # a finger down…
        assert wait_for(lambda: posted.of(pygame.FINGERDOWN))
        node.unlink()                                              # …and the cable pulled
        assert wait_for(lambda: touch.state == "disconnected")
        assert [a["finger_id"] for a in posted.of(pygame.FINGERUP)] == [5]
        assert posted.of(events.DEVICE_STATE)[-1]["state"] == "disconnected"
        assert FakeTouchDevice.opened[0].closed
        node.touch()
        assert wait_for(lambda: touch.state == "ready" and len(FakeTouchDevice.opened) == 2)
        for frame in tap_frames(200, 200, tracking_id=6):
            FakeTouchDevice.opened[1].queue.put(frame)
        assert wait_for(lambda: len(posted.of(pygame.FINGERUP)) == 2)
    finally:
        touch.stop()
    states = [a["state"] for a in posted.of(events.DEVICE_STATE)]
    assert states == ["ready", "disconnected", "ready"]           # once per change, no flood


def test_a_device_that_cannot_be_opened_is_reported(tmp_path):
    with pytest.raises(DeviceGone) as gone:
        EvdevTouchDevice(str(tmp_path / "event99"))
    assert gone.value.state == "disconnected"
    posted = Posted()
    touch = EvdevTouch(vendor_id=0x222A, product_id=0x0001, post=posted, sys_input=tmp_path,
                       retry_interval=0.02).start()
    try:
        assert wait_for(lambda: touch.state == "disconnected")
    finally:
        touch.stop()
    assert "222a:0001" in posted.of(events.DEVICE_STATE)[0]["detail"]


def _sys_node(root: Path, n: int, vendor: str, product: str, name: str, abs_caps: str) -> None:
    dev = root / f"event{n}" / "device"
    (dev / "id").mkdir(parents=True)
    (dev / "capabilities").mkdir()
    (dev / "id" / "vendor").write_text(vendor + "\n")
    (dev / "id" / "product").write_text(product + "\n")
    (dev / "name").write_text(name + "\n")
    (dev / "capabilities" / "abs").write_text(abs_caps + "\n")


def test_find_touch_by_ids_or_name(tmp_path):
    _sys_node(tmp_path, 7, "222a", "0001", "ILITEK Multi-Touch", "0")           # a keys/consumer node
    _sys_node(tmp_path, 9, "222a", "0001", "ILITEK Multi-Touch", "2608000 3")  # the touch node
    _sys_node(tmp_path, 3, "0416", "c168", "Goodix Capacitive TouchScreen", "260800000000003")
    assert find_touch(0x222A, 0x0001, sys_input=tmp_path) == "/dev/input/event9"
    assert find_touch(name="Goodix Capacitive TouchScreen", sys_input=tmp_path) == "/dev/input/event3"
    assert find_touch(0x222A, 0x0002, sys_input=tmp_path) is None


def test_make_touch_from_a_section():
    assert make_touch(TouchConfig(type="sdl")) is None
    touch = make_touch(TouchConfig(type="evdev", device="/dev/input/event5", rotation=90,
                                   calibration=[1, 0, 0, 0, 1, 0], swap_xy=None), post=Posted())
    assert isinstance(touch, EvdevTouch) and touch.calibration.rotation == 90
    with pytest.raises(ValueError):
        make_touch(TouchConfig.model_construct(type="tslib"))    # the model itself refuses it
    with pytest.raises(ValueError):
        EvdevTouch()


@pytest.mark.parametrize("display_rotation, touch_rotation", [(0, 0), (90, 0), (90, 90), (270, 180)])
def test_a_tap_on_the_panel_taps_the_right_widget_in_the_real_app(make_pilot, node, display_rotation,
                                                                     touch_rotation):
    """The whole path: evdev frames → reader thread → pygame queue → pointer → the home screen's tile."""
    panel = (1920, 1080) if display_rotation in (90, 270) else (1080, 1920)
    pilot = make_pilot(panel, rotation=display_rotation)
    d = pilot.app.display
    px, py = d.to_physical(*pilot.widget("feature-toolkit").rect.center)
    u, v = (px + 0.5) / d.physical[0], (py + 0.5) / d.physical[1]
    # Where a sensor turned by `touch_rotation` reports that panel point: undo the clockwise turn.
    u, v = {0: (u, v), 90: (v, 1 - u), 180: (1 - u, 1 - v), 270: (1 - v, u)}[touch_rotation]
    touch = EvdevTouch(str(node), rotation=touch_rotation, post=events.post, open_device=FakeTouchDevice,
                       retry_interval=0.02).start()
    try:
        assert wait_for(lambda: FakeTouchDevice.opened)
        for frame in tap_frames(round(u * 4095), round(v * 4095)):
            FakeTouchDevice.opened[0].queue.put(frame)
        assert wait_for(lambda: FakeTouchDevice.opened[0].queue.empty())
        assert wait_for(lambda: (pilot.settle(), pilot.screen.name == "toolkit")[1])
    finally:
        touch.stop()
    pilot.settle()
    assert pilot.app.devices.state("touch").state == "ready"


class FakeInputDevice:
    """python-evdev's InputDevice as EvdevTouchDevice uses it; ``grab_error`` / ``read_error`` simulate faults."""

    grab_error: OSError | None = None
    read_error: OSError | None = None
    abs_caps: dict = {}

    def __init__(self, path):
        self.path, self.name, self.closed = path, "ILITEK Multi-Touch", False
        self._r, self._w = os.pipe()
        self.fd = self._r

    def capabilities(self, absinfo=True):
        return {e.EV_ABS: list(self.abs_caps.items())}

    def grab(self):
        if self.grab_error:
            raise self.grab_error

    def ungrab(self):
        pass

    def read(self):
        if self.read_error:
            raise self.read_error
        os.read(self._r, 1)
        return iter([ev(e.EV_SYN, e.SYN_REPORT, 0)])

    def close(self):
        self.closed = True
        os.close(self._r)
        os.close(self._w)


def test_evdev_device_wrapper(monkeypatch):
    import errno

    import evdev
    from evdev import AbsInfo

    info = lambda lo, hi, value=0: AbsInfo(value, lo, hi, 0, 0, 0)  # noqa: E731
    monkeypatch.setattr(evdev, "InputDevice", FakeInputDevice)
    FakeInputDevice.abs_caps = {e.ABS_MT_SLOT: info(0, 9, value=2), e.ABS_MT_POSITION_X: info(0, 1279),
                                e.ABS_MT_POSITION_Y: info(0, 799)}
    dev = EvdevTouchDevice("/dev/input/event4")
    assert dev.axes == Axes((0, 1279), (0, 799), None, True) and dev.current_slot == 2
    assert dev.read(0.0) == []
    os.write(dev._dev._w, b"x")
    assert len(dev.read(0.5)) == 1
    monkeypatch.setattr(FakeInputDevice, "read_error", OSError(errno.ENODEV, "No such device"))
    os.write(dev._dev._w, b"x")
    with pytest.raises(DeviceGone) as gone:
        dev.read(0.5)
    assert gone.value.state == "disconnected"
    dev.close()

    monkeypatch.setattr(FakeInputDevice, "grab_error", OSError(errno.EBUSY, "Device or resource busy"))
    with pytest.raises(DeviceGone) as gone:
        EvdevTouchDevice("/dev/input/event4")
    assert gone.value.state == "error" and "grabbed by another program" in str(gone.value)
    monkeypatch.setattr(FakeInputDevice, "grab_error", OSError(errno.EACCES, "Permission denied"))
    with pytest.raises(DeviceGone) as gone:
        EvdevTouchDevice("/dev/input/event4")
    assert gone.value.state == "permission"
    FakeInputDevice.abs_caps = {e.ABS_WHEEL: info(0, 10)}
    with pytest.raises(DeviceGone) as gone:
        EvdevTouchDevice("/dev/input/event4")
    assert gone.value.state == "error" and "not a touch screen" in str(gone.value)


def test_stopping_releases_a_finger_still_down(node):
    posted = Posted()
    touch = EvdevTouch(str(node), post=posted, open_device=FakeTouchDevice).start()
    try:
        assert wait_for(lambda: FakeTouchDevice.opened)
        FakeTouchDevice.opened[0].queue.put(tap_frames(100, 100)[0])
        assert wait_for(lambda: posted.of(pygame.FINGERDOWN))
    finally:
        touch.stop()
    assert [a["finger_id"] for a in posted.of(pygame.FINGERUP)] == [5]


def test_without_evdev_the_backend_reports_unavailable(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "drivers.touch.evdev_touch", None)   # import fails as without evdev
    posted = Posted()
    make_touch(TouchConfig(type="evdev", device="/dev/input/event3"), post=posted).start().stop()
    state, = posted.of(events.DEVICE_STATE)
    assert state["device"] == "touch" and state["state"] == "unavailable" and "evdev" in state["detail"]
