"""The town's logo and name at the top of every ticket: dithered for a thermal head, width-bounded,
and a logo that cannot be read never costs a citizen the ticket."""

from __future__ import annotations

import logging

import pytest
from PIL import ImageOps
from support import open_admin, settle_until
from test_printer_render import raster_images

from drivers.printer import logo as logo_module
from drivers.printer.render import TicketRenderer
from kiosk.devtools.demo_logo import DEMO_LOGO
from kiosk.printing.document import Letterhead, Ticket, TicketBuilder

TOWN = "Saint-Clément-des-Vignes"


@pytest.fixture(autouse=True)
def _forget_reported_logos():
    logo_module._reported.clear()
    yield
    logo_module._reported.clear()


def queue_ticket(letterhead: Letterhead | None, title: str = "Votre numéro") -> Ticket:
    ticket = TicketBuilder(title).line("A012", size="large", align="center").qr("KIOSK1:Q:A012").build()
    return Ticket(ticket.title, ticket.blocks, ticket.cut, letterhead)


def test_the_logo_is_printed_dithered_centred_and_bounded_above_the_town_name():
    renderer = TicketRenderer("TM-T88V", qr="raster")
    data = renderer.render(queue_ticket(Letterhead(TOWN, str(DEMO_LOGO))))
    # python-escpos's image command (GS v 0), centred by its own padding, comes first.
    assert data.index(b"\x1dv0") < data.index("Saint-Cl".encode("cp1252")) < data.index(b"Votre num")
    logo = ImageOps.invert(raster_images(data)[0])     # dots 255, paper 0
    inked = logo.getbbox()
    assert inked is not None and logo.width <= renderer.width_px
    assert inked[2] - inked[0] <= renderer.width_px // 2 and logo.height <= logo_module.MAX_HEIGHT_PX
    # Centred: as much blank paper on each side of the crest (within a byte of padding).
    left, right = inked[0], renderer.width_px - inked[2]
    assert abs(left - right) <= 16 and left > 100
    # Dithered, not thresholded: the crest's colour fields print as a mix of dots and paper.
    dots = logo.crop(inked).histogram()[255]
    assert 0.2 < dots / ((inked[2] - inked[0]) * (inked[3] - inked[1])) < 0.9
    assert TOWN.encode("cp1252") in data


def test_without_a_logo_the_town_name_heads_the_ticket_once():
    data = TicketRenderer("TM-T88V").render(queue_ticket(Letterhead(TOWN)))
    assert b"\x1dv0" not in data
    assert data.count("Saint-Clément".encode("cp1252")) == 1
    # A ticket whose title is the town's name (booking tickets) does not print it twice.
    booking = TicketRenderer("TM-T88V").render(queue_ticket(Letterhead(TOWN), title=TOWN))
    assert booking.count("Saint-Clément".encode("cp1252")) == 1


@pytest.mark.parametrize("content", [None, b"not a picture at all", b"\x89PNG\r\n\x1a\n truncated"])
def test_an_unreadable_logo_is_said_once_and_the_ticket_still_prints(tmp_path, caplog, content):
    path = tmp_path / "logo.png"
    if content is not None:
        path.write_bytes(content)
    renderer = TicketRenderer("TM-T88V", qr="native")
    with caplog.at_level(logging.WARNING, logger=logo_module.__name__):
        first = renderer.render(queue_ticket(Letterhead(TOWN, str(path))))
        second = renderer.render(queue_ticket(Letterhead(TOWN, str(path))))
    assert first == second == TicketRenderer("TM-T88V", qr="native").render(queue_ticket(Letterhead(TOWN)))
    assert b"A012" in first and b"\x1dV" in first[-6:]         # the number, then the cut
    [line] = [r.getMessage() for r in caplog.records]
    assert str(path) in line and "printed without it" in line


def test_every_ticket_the_terminal_prints_carries_the_towns_crest(make_pilot):
    pilot = make_pilot(overrides={"branding.logo": str(DEMO_LOGO)})
    open_admin(pilot)
    settle_until(pilot, lambda: pilot.app.devices.state("printer").state == "ready")
    pilot.tap("print-test")      # built without any letterhead: the printing service adds it
    settle_until(pilot, lambda: "Ticket de test imprimé." in pilot.text())
    assert pilot.app.printing.letterhead == Letterhead(TOWN, str(DEMO_LOGO))
    receipt = pilot.app.devices.printer.backend.receipts[-1].convert("L")
    top = receipt.crop((0, 0, receipt.width, logo_module.MAX_HEIGHT_PX)).point(lambda v: 255 if v < 128 else 0)
    inked = top.getbbox()
    assert inked is not None and inked[1] < 40        # the crest stands at the very top of the paper
    assert abs((inked[0] + inked[2]) / 2 - receipt.width / 2) < receipt.width * 0.05    # centred
    assert inked[2] - inked[0] <= receipt.width // 2 + 8
