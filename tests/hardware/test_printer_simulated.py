"""The ESC/POS decoder and the simulated printer: receipts drawn from real python-escpos bytes."""

from __future__ import annotations

import pygame
import pytest
import zxingcpp
from PIL import Image, ImageOps
from support import PygameEvents
from test_printer_render import BOOKING_QR, booking_ticket

from drivers.printer import status as st
from drivers.printer.backends import BackendError
from drivers.printer.decode import DecodeError, decode
from drivers.printer.factory import make_backend
from drivers.printer.render import TicketRenderer
from drivers.printer.simulated import SimulatedPrinter
from drivers.printer.worker import PrintWorker
from kiosk import events
from kiosk.config.models import PrinterConfig
from kiosk.printing.document import Line, QrCode, Ticket

REFERENCE = Ticket("Mairie", (Line("Été à l’accueil", bold=True, underline=True),
                              Line("5 € → guichet", align="right", size="wide"), QrCode("ABC", module=4)),
                   cut="partial")


def test_decode_gives_back_what_we_meant():
    assert decode(TicketRenderer("TM-T88V").render(REFERENCE)) == [
        ("init", None), ("codepage", 16),
        ("align", "center"), ("size", (2, 2)), ("bold", True), ("text", "Mairie"), ("newline", None),
        ("newline", None),
        ("align", "left"), ("size", (1, 1)), ("underline", 1), ("text", "Été à l’accueil"), ("newline", None),
        ("align", "right"), ("size", (2, 1)), ("bold", False), ("underline", 0), ("text", "5 € -> guichet"),
        ("newline", None),
        ("align", "center"), ("size", (1, 1)), ("qr", {"module": 4, "ec": "M", "model": 2, "data": "ABC"}),
        ("newline", None),
        ("align", "left"), ("feed", 6), ("cut", "partial"),
    ]


def test_decode_is_strict():
    with pytest.raises(DecodeError, match="unsupported"):
        decode(b"\x1bR\x01")
    with pytest.raises(DecodeError, match="truncated"):
        decode(b"\x1dv0\x00\x10\x00\x10\x00\xff")
    with pytest.raises(DecodeError, match="code page"):
        decode(b"\x1bt\x2e")
    assert decode(b"\x1b!\x38A") == [("bold", True), ("size", (2, 2)), ("text", "A")]
    assert decode(b"\x10\x04\x04") == [("status", 4)]


@pytest.mark.parametrize("profile, width", [("TM-T88V", 512), ("TM-T20II", 576)])
@pytest.mark.parametrize("qr", ["native", "raster"])
def test_receipt_png_shows_a_qr_that_decodes(tmp_path, profile, width, qr):
    printer = SimulatedPrinter(profile=profile, output_dir=str(tmp_path))
    printer.write(TicketRenderer(profile, qr=qr).render(booking_ticket()))
    assert printer.decode_errors == []
    [receipt] = printer.receipts
    assert receipt.width == width and receipt.height > 600
    assert [r.text for r in zxingcpp.read_barcodes(receipt)] == [BOOKING_QR]
    with Image.open(tmp_path / "receipt-0001.png") as saved:
        assert saved.size == receipt.size


def test_text_is_drawn_with_sizes_and_alignment():
    printer = SimulatedPrinter()
    printer.write(TicketRenderer().render(Ticket(blocks=(Line("I", align="right"), Line("WW", size="large")))))
    receipt = ImageOps.invert(printer.receipts[0])  # ink becomes non-zero for getbbox()
    ink = [receipt.crop((0, y, 512, y + 1)).getbbox() for y in range(receipt.height - 4)]
    rows = [(y, box) for y, box in enumerate(ink) if box]
    right_rows = [box for y, box in rows if y < 30]
    assert right_rows and min(box[0] for box in right_rows) > 480       # "I" at the right edge
    big = [box for y, box in rows if 40 < y < 100]
    assert big and max(box[2] for box in big) > 40                         # "WW" twice as wide


def test_simulated_status_answers():
    printer = SimulatedPrinter()
    assert st.query_status(printer).state == st.READY
    for attrs, state in [({"paper": "low"}, st.PAPER_LOW), ({"paper": "out"}, st.PAPER_OUT),
                         ({"online": False}, st.OFFLINE), ({"cover_open": True}, st.COVER_OPEN),
                         ({"connected": False}, st.DISCONNECTED)]:
        printer = SimulatedPrinter(**attrs)
        assert st.query_status(printer).state == state, attrs
    assert printer.received == bytearray()  # status queries are not part of any job


def test_paper_out_prints_nothing_and_unplugged_refuses():
    printer = SimulatedPrinter(paper="out")
    printer.write(TicketRenderer().render(REFERENCE))
    assert printer.receipts == [] and printer.received
    printer = SimulatedPrinter(connected=False)
    with pytest.raises(BackendError) as caught:
        printer.write(b"x")
    assert caught.value.code == "not_found"


def test_worker_drives_the_simulated_printer():
    pygame.display.init()
    pygame.event.clear()
    posted = PygameEvents()
    printer = make_backend(PrinterConfig(type="simulated", profile="TM-T20II", qr="auto"))
    worker = PrintWorker(printer, TicketRenderer("TM-T20II"), poll_interval=0.1, retry_interval=0.1).start()
    try:
        posted.wait(events.DEVICE_STATE, state=st.READY)
        posted.wait(events.PRINT_DONE, job_id=worker.submit(booking_ticket()))
        assert len(printer.receipts) == 1 and printer.receipts[0].width == 576
        printer.paper = "out"
        posted.wait(events.DEVICE_STATE, state=st.PAPER_OUT)
        assert posted.wait(events.PRINT_FAILED, job_id=worker.submit(REFERENCE)).reason == st.PAPER_OUT
        printer.connected = False
        posted.wait(events.DEVICE_STATE, state=st.DISCONNECTED)
        printer.connected, printer.paper = True, "ok"
        posted.wait(events.DEVICE_STATE, state=st.READY, timeout=2.0)
        posted.wait(events.PRINT_DONE, job_id=worker.submit(REFERENCE))
        assert len(printer.receipts) == 2
    finally:
        worker.stop()
        pygame.display.quit()


def test_admin_test_ticket_prints_everything_we_use():
    from kiosk.printing.document import admin_test_ticket
    printer = SimulatedPrinter()
    printer.write(TicketRenderer().render(admin_test_ticket("mairie-01", "22/11/2026 17:08", "ready")))
    ops = decode(bytes(printer.received))
    texts = [value for name, value in ops if name == "text"]
    assert "Accents : é è à ù ç œ Œ É « » € ’" in texts and "État : ready" in texts
    assert {value for name, value in ops if name == "size"} == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert zxingcpp.read_barcodes(printer.receipts[0])[0].text == "TEST:mairie-01:22/11/2026 17:08"
    surface = printer.receipt_surface()
    assert surface.get_size() == printer.receipts[0].size


def test_build_worker_from_a_config_section():
    from drivers.printer.worker import build_worker
    worker = build_worker(PrinterConfig(type="simulated", profile="TM-T20II", qr="raster", poll_interval_s=5.0))
    assert isinstance(worker.backend, SimulatedPrinter) and worker.renderer.width_px == 576
    assert not worker.renderer.native_qr and worker.poll_interval == 5.0
