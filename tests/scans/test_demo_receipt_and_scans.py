"""Demo: the simulated printer's receipt on screen; citizens told when a scan is refused."""

from __future__ import annotations

import pytest
from support import FakeScannerDevice, Posted, open_admin, settle_until, wait_for

from drivers.scanner.hid import HidScanner
from drivers.scanner.keymap import keymap_table
from drivers.scanner.recording import key_events
from kiosk import events
from kiosk.devices.scan_codes import classify_scan


def test_last_ticket_shows_the_simulated_receipt(pilot):
    open_admin(pilot)
    settle_until(pilot, lambda: pilot.app.devices.state("printer").state == "ready")
    pilot.tap("last-receipt")
    assert pilot.screen.name == "receipt"
    assert "Aucun ticket n’a encore été imprimé." in pilot.text()
    pilot.tap("back")
    pilot.tap("print-test")
    settle_until(pilot, lambda: "Ticket de test imprimé." in pilot.text())
    pilot.tap("last-receipt")
    picture = pilot.widget("receipt")
    receipt = pilot.app.devices.printer.backend.receipts[-1]
    assert picture.image.get_size() == receipt.size
    assert picture.rect.width > 0 and picture.rect.height > 0
    assert pilot.screen.title() == "Dernier ticket"


def test_a_real_printer_offers_no_receipt_view(make_pilot):
    pilot = make_pilot(demo=False, overrides={"printer.type": "none"})
    open_admin(pilot)
    assert pilot.app.devices.last_receipt() is None
    assert pilot.has("print-test") and not pilot.has("last-receipt")


@pytest.mark.parametrize("text, kind", [
    ("eyJ2IjoxLCJraWQiOiJzY3YtMjAyNi0wMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl", "checkin_token"),
    ("KMRT-4821", "tracking_code"), ("kmrt-4821", "tracking_code"),
    ("https://demarches.ville.fr/suivi/KMRT-4821", "tracking_code"),
    ("RDV-7K3P-Q9", "reference"), ("DEM-4H8N-T2", "reference"),
    ("https://example.org/poster", None), ("3017620422003", None), ("HELLO", None), ("", None),
    ("A" * 41 + "-1", None),
])
def test_codes_the_kiosk_knows(text, kind):
    assert classify_scan(text) == kind


@pytest.mark.parametrize("scan, message", [
    ("https://example.org/poster", "Cette borne ne peut pas utiliser ce code."),
    ("x" * 600, "Cette borne ne peut pas utiliser ce code."),             # over-long: rejected by the scanner
    ("ab\x07cd", "Le code n’a pas pu être lu. Scannez-le de nouveau."),   # a control character
])
def test_a_refused_scan_gets_a_short_message(pilot, scan, message):
    pilot.app.devices.scanner.submit(scan)
    settle_until(pilot, lambda: message in pilot.text(), timeout=3)


def test_a_known_code_reaches_the_screen_without_a_message(pilot):
    seen = []
    pilot.screen.handle_event = seen.append
    pilot.app.devices.scanner.submit("RDV-7K3P-Q9")
    settle_until(pilot, lambda: seen, timeout=3)
    assert seen[0].text == "RDV-7K3P-Q9"
    assert "ce code" not in pilot.text()


def test_hid_rejections_are_posted_without_the_text(tmp_path):
    node = tmp_path / "scanner-event-kbd"
    node.touch()
    posted = Posted()
    scanner = HidScanner(str(node), max_length=16, post=posted, open_device=FakeScannerDevice).start()
    try:
        assert wait_for(lambda: scanner.state == "ready")
        FakeScannerDevice.opened[-1].queue.put(key_events(keymap_table("fr"), "A" * 20 + "\n"))
        FakeScannerDevice.opened[-1].queue.put(key_events(keymap_table("fr"), "B1"))        # no Enter: cut short
        assert wait_for(lambda: len(posted.of(events.SCAN_REJECTED)) == 2)
    finally:
        scanner.stop()
    assert posted.of(events.SCAN_REJECTED) == [{"reason": "too_long", "source": "hid"},
                                          {"reason": "unreadable", "source": "hid"}]
    assert posted.of(events.SCAN_READ) == []


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_receipt_screen_passes_the_layout_checks(make_pilot, size):
    from kiosk.devtools.layout_check import check_app

    pilot = make_pilot(size)
    open_admin(pilot)
    settle_until(pilot, lambda: pilot.app.devices.state("printer").state == "ready")
    pilot.tap("print-test")
    settle_until(pilot, lambda: "Ticket de test imprimé." in pilot.text())
    pilot.tap("last-receipt")
    pilot.settle()
    assert pilot.screen.name == "receipt" and check_app(pilot.app) == []
