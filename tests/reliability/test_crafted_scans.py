"""Crafted QR codes (issue 17, finding 1): every scanner path (HID, camera, simulated) has the same
length limit and refuses a longer code with a reason, and a crafted token that reaches a screen
anyway (as the camera used to post it) gets a sentence, never the apology screen."""

from __future__ import annotations

import pytest
from booking_town import said
from support import Posted

from drivers.scanner.camera import CameraScanner, FileFrameSource
from drivers.scanner.hid_decode import HidDecoder
from drivers.scanner.keymap import keymap_table
from drivers.scanner.qr_samples import frame, qr_image
from drivers.scanner.recording import key_events
from drivers.scanner.simulated import SimulatedScanner
from kiosk import events
from kiosk.api.checkin_token import b64url
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH, ScanKind, read_scan

# What zxing reads back from a printed code whose payload is a thousand "[": 1 421 characters.
CRAFTED = b64url(b"[" * 1000) + "." + "A" * 86
NOT_A_TICKET = "Ce QR code n'est pas celui d'un ticket de rendez-vous."


def camera_reads(tmp_path, text: str) -> tuple[list[str], Posted]:
    path = tmp_path / "frame.png"
    frame(qr_image(text, module_px=4), size=(1280, 900)).save(path)
    posted = Posted()
    cam = CameraScanner(FileFrameSource([path]), post=posted)
    return cam.process(cam.source.read()), posted


def test_the_camera_refuses_the_crafted_code_with_a_reason(tmp_path):
    got, posted = camera_reads(tmp_path, CRAFTED)
    assert got == [] and posted.of(events.SCAN_READ) == []
    assert posted.of(events.SCAN_REJECTED) == [{"reason": "too_long", "source": "camera"}]


def test_the_camera_refuses_control_characters_as_the_hid_scanner_does(tmp_path):
    got, posted = camera_reads(tmp_path, "RDV-42\u2028X")      # a line separator: not printable
    assert got == [] and posted.of(events.SCAN_REJECTED) == [{"reason": "unreadable", "source": "camera"}]


@pytest.mark.parametrize("length, taken", [(MAX_SCAN_LENGTH, True), (MAX_SCAN_LENGTH + 1, False)])
def test_every_scanner_path_has_the_same_length_limit(tmp_path, length, taken):
    text = ("eyJ2IjoxfQ." + "c2lnbmF0dXJl" * 50)[:length]     # shaped like a check-in token
    got, _posted = camera_reads(tmp_path, text)
    assert (got == [text]) is taken
    decoder = HidDecoder(keymap_table("us"))
    assert (decoder.feed_all(key_events(decoder.table, text + "\n")) == [text]) is taken
    simulated = SimulatedScanner(post=Posted())
    assert simulated.submit(text) is taken
    assert (read_scan(text).kind is not ScanKind.UNKNOWN) is taken





@pytest.mark.reference_server
def test_the_crafted_token_on_the_cancel_screen_is_explained_not_an_apology(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-booking")
    pilot.tap("cancel-booking")
    assert pilot.screen.name == "booking_cancel"
    for text in (CRAFTED, CRAFTED[:MAX_SCAN_LENGTH], b64url(b"[" * 300) + "." + "A" * 86):
        events.ScanRead(text=text, source="camera").post()
        pilot.settle()
        assert pilot.screen.name == "booking_cancel", said(pilot)
        assert NOT_A_TICKET in said(pilot)
    assert pilot.take_errors() == []


@pytest.mark.reference_server
def test_the_crafted_token_on_home_is_not_ours(town, make_pilot):
    pilot = town.pilot(make_pilot, (1920, 1080), **{"terminal.profile": "counter"})
    events.ScanRead(text=CRAFTED, source="camera").post()
    pilot.settle()
    assert pilot.screen.is_home and "Cette borne ne peut pas utiliser ce code." in said(pilot)
    assert pilot.take_errors() == []
