"""The admin screen shows the printer's state and prints a test ticket (simulated twin, real worker thread)."""

from __future__ import annotations

from support import open_admin, settle_until

from kiosk import events


def test_admin_shows_printer_state_and_prints_a_test_ticket(pilot):
    open_admin(pilot)
    settle_until(pilot, lambda: pilot.widget("printer-state").text == "Imprimante\u00a0: prête", 10.0, every=0.02)
    printer = pilot.app.devices.printer
    before = len(printer.backend.received)
    pilot.tap("print-test")
    assert "Ticket de test envoyé" in pilot.text()
    settle_until(pilot, lambda: "Ticket de test imprimé." in pilot.text(), 10.0, every=0.02)
    sent = bytes(printer.backend.received[before:])
    assert sent.startswith(b"\x1b@") and b"Ticket de test" in sent
    assert "é è à ù ç œ".encode("cp1252") in sent              # the fixed French code page
    assert printer.backend.receipts                            # the twin drew the receipt


def test_out_of_paper_is_shown_and_the_test_ticket_fails_cleanly(pilot):
    open_admin(pilot)
    printer = pilot.app.devices.printer
    settle_until(pilot, lambda: pilot.app.devices.state("printer").state == "ready", 10.0, every=0.02)
    printer.backend.paper = "out"
    printer.poll_now()
    settle_until(pilot, lambda: pilot.widget("printer-state").text == "Imprimante\u00a0: plus de papier",
                 10.0, every=0.02)
    assert not pilot.app.devices.can_print
    pilot.tap("print-test")
    settle_until(pilot, lambda: "n’a pas pu être imprimé (plus de papier)" in pilot.text(), 10.0, every=0.02)


def test_without_a_printer_the_test_button_is_disabled(make_pilot):
    pilot = make_pilot(demo=False, overrides={"printer.type": "none"})
    open_admin(pilot)
    assert not pilot.widget("print-test").enabled
    assert pilot.widget("printer-state").text == "Imprimante\u00a0: aucune imprimante"
    assert pilot.app.devices.printer is None


def test_device_state_events_reach_the_app_from_any_thread(pilot):
    import threading

    thread = threading.Thread(target=lambda: events.DeviceState(device="scanner", state="ready",
                                                                    detail="simulated").post())
    thread.start()
    thread.join()
    pilot.settle()
    assert pilot.app.devices.state("scanner").state == "ready"
