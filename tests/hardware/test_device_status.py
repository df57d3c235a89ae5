"""The shared device-status model: words for the admin, a sentence for citizens, levels for the heartbeat, logs."""

from __future__ import annotations

import logging

import pytest

from kiosk import events, i18n
from kiosk.api.models import Heartbeat
from kiosk.config import load_config
from kiosk.devices.hardware import Devices
from kiosk.devices.status import DeviceState
from tests.conftest import REPO
from tests.support import open_admin


def devices(**overrides) -> Devices:
    return Devices(load_config(REPO / "kiosk.toml", overrides), demo=False)


@pytest.mark.parametrize("state, health", [
    ("ready", "ok"), ("no_status", "ok"), ("paper_low", "degraded"), ("starting", "degraded"),
    ("paper_out", "error"), ("cover_open", "error"), ("disconnected", "error"), ("permission", "error"),
    ("something_new", "error"), ("disabled", "absent"),
])
def test_every_state_has_a_heartbeat_level(state, health):
    assert DeviceState(state).health == health


def test_words_agree_with_the_device_in_french():
    i18n.set_language("fr")
    assert DeviceState("disconnected", device="printer").words() == "débranchée"
    assert DeviceState("disconnected", device="scanner").words() == "pas de connexion"
    assert DeviceState("ready", device="touch").words() == "en service"
    i18n.set_language("en")
    assert DeviceState("ready", device="camera").words() == "working"
    i18n.set_language("fr")


def test_heartbeat_states_fit_the_api_model():
    d = devices(**{"printer.type": "usb", "printer.vendor_id": 0x04B8, "printer.product_id": 0x0202,
                   "scanner.type": "hid", "scanner.device": "/dev/input/event7"})
    assert d.heartbeat_states() == {"printer": "absent", "scanner": "absent"}     # nothing started
    d.update("printer", "paper_out", "paper end sensor")
    d.update("scanner", "ready", "/dev/input/event7")
    states = d.heartbeat_states()
    assert states == {"printer": "error", "scanner": "ok"}
    Heartbeat(version="1", uptime_s=1, device_states=states, outbox_depth=0, last_sync=None, usage={},
              sent_at="2026-11-22T10:00:00+01:00")          # the contract accepts it as it is


def test_camera_and_evdev_touch_are_listed_under_their_own_names():
    d = devices(**{"scanner.type": "camera", "touch.type": "evdev", "touch.device": "/dev/input/event3"})
    d.touch = object()       # the evdev reader, as start() would have made it
    d.update("camera", "disconnected", "/dev/video0 unplugged")
    d.update("touch", "ready", "/dev/input/event3")
    assert d.heartbeat_states() == {"printer": "absent", "camera": "error", "touch": "ok"}


def test_citizens_are_told_why_there_is_no_ticket():
    i18n.set_language("fr")
    d = devices(**{"printer.type": "none"})
    d.update("printer", "disabled")
    assert d.printer_problem() == "Cette borne n\u2019a pas d\u2019imprimante à tickets."
    d.update("printer", "paper_out")
    assert d.printer_problem() == "L\u2019imprimante à tickets n\u2019a plus de papier."
    d.update("printer", "cover_open")
    assert d.printer_problem() == "L\u2019imprimante à tickets ne fonctionne pas."


def test_a_change_of_level_is_logged_once_as_a_warning(caplog):
    d = devices()
    with caplog.at_level(logging.INFO, logger="kiosk.devices.hardware"):
        d.update("printer", "ready")
        d.update("printer", "disconnected", "/dev/usb/lp0 unplugged")
        d.update("printer", "disconnected", "no such file")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["device printer is error: disconnected (/dev/usb/lp0 unplugged)"]


def test_admin_screen_shows_scanner_state_as_it_changes(make_pilot):
    pilot = make_pilot(demo=False, overrides={"printer.type": "none", "scanner.type": "simulated"})
    open_admin(pilot)
    events.DeviceState(device="scanner", state="disconnected", detail="test").post()
    pilot.settle()
    assert pilot.widget("inputs-state").text == "Lecteur de codes\u00a0: pas de connexion"
