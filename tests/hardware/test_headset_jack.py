"""The headset jack reader: its state at open, plug and unplug as evdev switch events, the node
gone and back, finding the jack in sysfs, and the kernel's switch bitmap read right."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from evdev import ecodes as e
from support import FakeJackNode, Posted, ev, syn, wait_for

from drivers.audio.jack import SW_HEADPHONE_INSERT, JackDevice, JackReader, _eviocgsw, find_jack, switch_on
from drivers.evdev_input import DeviceGone
from kiosk import events


def switch(value: int) -> list[Any]:
    return [ev(e.EV_SW, e.SW_HEADPHONE_INSERT, value), syn()]


@pytest.fixture
def node(tmp_path):
    FakeJackNode.opened = []
    FakeJackNode.plugged_now = False
    path = tmp_path / "platform-snd_hda_intel-event"
    path.touch()
    return path


def plugged_states(posted: Posted) -> list[bool]:
    return [a["plugged"] for a in posted.of(events.HEADSET_JACK)]


def test_the_state_at_open_then_each_plug_and_unplug_is_posted_once(node) -> None:
    posted = Posted()
    jack = JackReader(str(node), post=posted, open_device=FakeJackNode, retry_interval=0.02, read_timeout=0.02).start()
    try:
        assert wait_for(lambda: plugged_states(posted) == [False])
        device = FakeJackNode.opened[0]
        device.queue.put(switch(1))
        assert wait_for(lambda: plugged_states(posted) == [False, True])
        device.queue.put(switch(1) + [ev(e.EV_SW, e.SW_LINEOUT_INSERT, 0), syn()])   # no change, another switch
        device.queue.put(switch(0))
        assert wait_for(lambda: plugged_states(posted) == [False, True, False])
    finally:
        jack.stop()
    assert plugged_states(posted) == [False, True, False]
    assert not posted.of(events.DEVICE_STATE)            # the jack is no device a visit needs
    assert FakeJackNode.opened[0].closed


def test_a_headset_already_in_at_start_is_known_at_once(node) -> None:
    FakeJackNode.plugged_now = True
    posted = Posted()
    jack = JackReader(str(node), post=posted, open_device=FakeJackNode, retry_interval=0.02, read_timeout=0.02).start()
    try:
        assert wait_for(lambda: plugged_states(posted) == [True])
    finally:
        jack.stop()


def test_the_node_gone_is_logged_once_and_a_change_meanwhile_is_seen_on_return(node, caplog) -> None:
    posted = Posted()
    with caplog.at_level(logging.INFO, logger="drivers.driver_thread"):
        jack = JackReader(str(node), post=posted, open_device=FakeJackNode, retry_interval=0.02,
                          read_timeout=0.02).start()
        try:
            assert wait_for(lambda: plugged_states(posted) == [False])
            node.unlink()                                   # the USB sound card pulled out
            assert wait_for(lambda: jack.state == "disconnected")
            assert wait_for(lambda: FakeJackNode.opened[0].closed)
            FakeJackNode.plugged_now = True                 # a headset went in while it was away
            node.touch()
            assert wait_for(lambda: plugged_states(posted) == [False, True])
            assert len(FakeJackNode.opened) == 2
        finally:
            jack.stop()
    gone = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert len(gone) == 1                                   # retried every 20 ms, said once


def test_no_jack_anywhere_is_one_log_line_and_the_thread_keeps_looking(tmp_path, caplog) -> None:
    posted = Posted()
    with caplog.at_level(logging.INFO, logger="drivers.driver_thread"):
        jack = JackReader("auto", post=posted, retry_interval=0.01, sys_input=tmp_path).start()
        try:
            assert wait_for(lambda: jack.state == "disconnected")
            wait_for(lambda: False, timeout=0.1)            # several more looks
        finally:
            jack.stop()
    lines = [r.getMessage() for r in caplog.records if "headset" in r.getMessage()]
    assert len(lines) == 1 and "SW_HEADPHONE_INSERT" in lines[0], lines
    assert not posted


def test_a_missing_path_says_what_to_check(tmp_path) -> None:
    with pytest.raises(DeviceGone) as info:
        JackDevice(str(tmp_path / "event42"))
    assert info.value.state == "disconnected" and "headset jack unplugged?" in str(info.value)


def sysfs_node(root, name: str, switches: str) -> None:
    caps = root / name / "device" / "capabilities"
    caps.mkdir(parents=True)
    (caps / "sw").write_text(switches + "\n")


def test_auto_finds_the_node_with_a_headphone_switch(tmp_path) -> None:
    sysfs_node(tmp_path, "event2", "0")                     # a keyboard: no switch
    sysfs_node(tmp_path, "event7", "14")                    # SW_HEADPHONE_INSERT (2) and SW_LINEOUT_INSERT (6)
    sysfs_node(tmp_path, "event11", "4")                    # another card's jack: the first one wins
    (tmp_path / "event3").mkdir()                           # no capabilities at all
    assert find_jack(tmp_path) == "/dev/input/event7"
    assert find_jack(tmp_path / "nowhere") is None


def test_the_kernels_switch_bitmap_and_ioctl_request() -> None:
    assert switch_on(bytes([0b100, 0, 0]), SW_HEADPHONE_INSERT)
    assert not switch_on(bytes([0b1011, 0, 0]), SW_HEADPHONE_INSERT)
    assert switch_on(bytes([0, 0b1]), 8) and not switch_on(b"", SW_HEADPHONE_INSERT)
    assert _eviocgsw(8) == 0x8008451B                       # EVIOCGSW(8) as linux/input.h computes it
