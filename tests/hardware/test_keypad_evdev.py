"""The tactile keypad's evdev reader: key sequences become KEYPAD_KEY (action, down), auto-repeat
is left to the app's own hold timer, letters and unknown keys are ignored, unplug and replug are
reported and survived, and ``device = "auto"`` finds a keypad but never a keyboard or a scanner."""

from __future__ import annotations

import pytest
from evdev import ecodes as e
from support import FakeKeypadDevice, Posted, ev, syn, wait_for

from drivers.keypad import make_keypad
from drivers.keypad.evdev_keypad import EvdevKeypad, find_keypad
from kiosk import events
from kiosk.config import KeypadConfig, ScannerConfig
from kiosk.speech.keys import action_for_evdev_code


def press(code: int, *, hold_repeats: int = 0) -> list:
    return [ev(e.EV_MSC, e.MSC_SCAN, 0x70000 + code), ev(e.EV_KEY, code, 1), syn()] \
        + [ev(e.EV_KEY, code, 2) for _ in range(hold_repeats)] + [ev(e.EV_KEY, code, 0), syn()]


@pytest.fixture
def node(tmp_path):
    FakeKeypadDevice.opened = []
    path = tmp_path / "usb-Targus_Numeric_Keypad-event-kbd"
    path.touch()
    return path


def keys_of(posted: Posted) -> list[tuple[str, bool]]:
    return [(k["action"], k["down"]) for k in posted.of(events.KEYPAD_KEY)]


def test_keys_become_actions_with_both_edges(node):
    posted = Posted()
    keypad = EvdevKeypad(str(node), actions=action_for_evdev_code, post=posted, open_device=FakeKeypadDevice).start()
    try:
        assert wait_for(lambda: FakeKeypadDevice.opened)
        FakeKeypadDevice.opened[0].queue.put(
            press(e.KEY_KP2) + press(e.KEY_KP5, hold_repeats=12) + press(e.KEY_KP0) + press(e.KEY_KPASTERISK)
            + press(e.KEY_A) + press(e.KEY_F12) + press(e.KEY_KPPLUS) + press(e.KEY_KPENTER))
        assert wait_for(lambda: len(posted.of(events.KEYPAD_KEY)) == 12)
    finally:
        keypad.stop()
    assert keys_of(posted) == [("down", True), ("down", False), ("activate", True), ("activate", False),
                               ("back", True), ("back", False), ("repeat", True), ("repeat", False),
                               ("volume_up", True), ("volume_up", False), ("activate", True), ("activate", False)]
    assert posted.of(events.DEVICE_STATE)[0] == {"device": "keypad", "state": "ready", "detail": str(node)}
    assert FakeKeypadDevice.opened[0].closed


def test_unplug_is_reported_and_the_keypad_is_taken_back(node):
    posted = Posted()
    keypad = EvdevKeypad(str(node), actions=action_for_evdev_code, post=posted, open_device=FakeKeypadDevice,
                         retry_interval=0.02).start()
    try:
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)] == ["ready"])
        FakeKeypadDevice.opened[0].queue.put([ev(e.EV_KEY, e.KEY_KP5, 1), syn()])   # held as the cable goes
        assert wait_for(lambda: keys_of(posted) == [("activate", True)])
        node.unlink()
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)][-1] == "disconnected")
        assert "unplugged" in posted.of(events.DEVICE_STATE)[-1]["detail"]
        node.touch()
        assert wait_for(lambda: len(FakeKeypadDevice.opened) == 2)
        assert wait_for(lambda: [s["state"] for s in posted.of(events.DEVICE_STATE)][-1] == "ready")
        # the release of the key held before the unplug belongs to no press of this keypad: dropped
        FakeKeypadDevice.opened[1].queue.put([ev(e.EV_KEY, e.KEY_KP5, 0), syn()] + press(e.KEY_KP8))
        assert wait_for(lambda: len(posted.of(events.KEYPAD_KEY)) == 3)
    finally:
        keypad.stop()
    assert [s["state"] for s in posted.of(events.DEVICE_STATE)] == ["ready", "disconnected", "ready"]
    assert keys_of(posted) == [("activate", True), ("up", True), ("up", False)]


def _sys_node(root, name: str, keys: list[int]) -> None:
    caps = root / name / "device" / "capabilities"
    caps.mkdir(parents=True)
    bits = sum(1 << k for k in keys)
    words = []
    while bits:
        words.append(f"{bits & ((1 << 64) - 1):x}")
        bits >>= 64
    (caps / "key").write_text(" ".join(reversed(words)) or "0")


def test_auto_finds_the_numeric_keypad_not_a_keyboard_or_the_scanner(tmp_path):
    keyboard = [e.KEY_A, e.KEY_KP5, e.KEY_ENTER]
    pad = [e.KEY_KP5, e.KEY_KP0, e.KEY_KPENTER, e.KEY_NUMLOCK]
    _sys_node(tmp_path, "event2", keyboard)           # a technician's keyboard
    _sys_node(tmp_path, "event3", [e.KEY_VOLUMEUP])   # the case's buttons
    assert find_keypad(tmp_path) is None
    _sys_node(tmp_path, "event9", pad)
    _sys_node(tmp_path, "event11", pad)
    assert find_keypad(tmp_path) == "/dev/input/event9"
    assert find_keypad(tmp_path, avoid="/dev/input/event9") == "/dev/input/event11"


def test_missing_keypad_is_reported_plainly(tmp_path):
    posted = Posted()
    keypad = EvdevKeypad("auto", actions=action_for_evdev_code, post=posted, open_device=FakeKeypadDevice,
                         sys_input=tmp_path, retry_interval=0.02).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
    finally:
        keypad.stop()
    assert posted.of(events.DEVICE_STATE)[0] == {"device": "keypad", "state": "disconnected",
                                                 "detail": "no numeric keypad found (keypad unplugged?)"}


def test_configuration_picks_the_reader():
    assert make_keypad(KeypadConfig(), action_for_evdev_code) is None      # the default: no keypad reader
    scanner = ScannerConfig(type="hid", device="/dev/input/event4")
    auto = make_keypad(KeypadConfig(device="auto"), action_for_evdev_code, scanner)
    assert isinstance(auto, EvdevKeypad) and auto.device == "auto" and auto.avoid == "/dev/input/event4"
    with pytest.raises(ValueError, match="auto"):
        KeypadConfig(device="keypad0")
