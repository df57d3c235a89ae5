"""Ticket rendering: exact ESC/POS bytes from real python-escpos, French text, QR codes."""

from __future__ import annotations

import time

import pytest
import zxingcpp
from PIL import Image

from drivers.printer.render import RenderError, TicketRenderer, encode_text, qr_image
from kiosk.printing.document import Line, QrCode, Ticket, TicketBuilder

BOOKING_QR = "KIOSK1:RDV:2026-12-03T09:30:etat-civil:7f3a9c2e-5b1d-4e8a-9f20-3c6d8e1b2a47:" + "A" * 86


def booking_ticket() -> Ticket:
    return (TicketBuilder("Mairie de Villeneuve")
            .line("Votre rendez-vous", bold=True, size="tall", align="center")
            .line("Service\u00a0: état civil")
            .line("Mardi 3 décembre 2026 à 9\u202fh\u202f30", bold=True)
            .line("Guichet 2, rez-de-chaussée → à gauche de l’accueil")
            .line("Présentez ce code à la borne «\u00a0Check-in\u00a0».")
            .rule()
            .qr(BOOKING_QR)
            .line("Annulation\u00a0: www.villeneuve.fr/rdv", align="center")
            .build())


def raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 image in a byte stream, decoded independently of the renderer."""
    images, at = [], 0
    while (at := data.find(b"\x1dv0", at)) != -1:
        width_bytes = data[at + 4] | data[at + 5] << 8
        height = data[at + 6] | data[at + 7] << 8
        body = data[at + 8: at + 8 + width_bytes * height]
        image = Image.frombytes("1", (width_bytes * 8, height), body)  # PIL "1": bit set = white
        images.append(Image.eval(image.convert("L"), lambda v: 255 - v))
        at += 8 + len(body)
    return images


def test_reference_ticket_exact_bytes():
    ticket = Ticket("Mairie", (Line("Été à l’accueil", bold=True), Line("5 € → guichet", align="right"),
                               QrCode("ABC", module=4)), cut="partial")
    assert TicketRenderer("TM-T88V", qr="native").render(ticket) == (
        b"\x1b@\x1bt\x10"                               # init, then CP1252 (n=16 on TM-T88V)
        b"\x1ba\x01\x1d!\x11\x1bE\x01Mairie\n\n"          # centred, double size, bold title + blank
        b"\x1ba\x00\x1d!\x00\xc9t\xe9 \xe0 l\x92accueil\n"  # left, normal, still bold
        b"\x1ba\x02\x1bE\x005 \x80 -> guichet\n"           # right, not bold, arrow transliterated
        b"\x1ba\x01"                                      # QR centred
        b"\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x04\x1d(k\x03\x001E1"
        b"\x1d(k\x06\x001P0ABC\x1d(k\x03\x001Q0\n"
        b"\x1ba\x00\x1bd\x06\x1dV\x01"                    # back to left, feed, partial cut
    )


def test_code_page_selected_once_right_after_init():
    data = TicketRenderer("TM-T20II").render(booking_ticket())
    assert data.startswith(b"\x1b@\x1bt\x10")
    assert data.count(b"\x1b@") == 1 and data.count(b"\x1bt") == 1


@pytest.mark.parametrize("char, expected", [
    ("é", b"\xe9"), ("è", b"\xe8"), ("à", b"\xe0"), ("ç", b"\xe7"), ("œ", b"\x9c"), ("Œ", b"\x8c"),
    ("€", b"\x80"), ("’", b"\x92"), ("«", b"\xab"), ("»", b"\xbb"), ("É", b"\xc9"), ("…", b"\x85"),
])
def test_french_characters_under_cp1252(char, expected):
    assert encode_text(char, "cp1252") == expected


@pytest.mark.parametrize("text, expected", [
    ("9\u202fh\u202f30", b"9 h 30"), ("a\u00a0:", b"a :"), ("→", b"->"), ("≥ 3", b">= 3"),
    ("Saint\u2011Denis", b"Saint-Denis"), ("\u0141\u00f3d\u017a", b"L\xf3dz"), ("日", b"?"),
    ("a\x1b@b\x07\r", b"a@b"),  # control characters from data never reach the printer
])
def test_transliteration_and_sanitising(text, expected):
    assert encode_text(text, "cp1252") == expected


def test_cp858_fallback_spells_oe():
    assert encode_text("cœur ’", "cp858") == b"coeur '"


def test_long_lines_wrap_to_profile_width():
    narrow, wide = TicketRenderer("TM-T88V"), TicketRenderer("TM-T20II")
    assert (narrow.columns, narrow.width_px, wide.columns, wide.width_px) == (42, 512, 48, 576)
    text = "mot " * 30
    assert all(len(row) <= 42 for row in narrow.wrap(text))
    assert all(len(row) <= 21 for row in narrow.wrap(text, 2))
    assert narrow.wrap("9\u202fh\u202f30 " * 12)[0].endswith("30")  # never split at a no-break space


def test_native_qr_booking_ticket_is_small_and_fast():
    renderer = TicketRenderer("TM-T88V")
    assert renderer.native_qr
    data = renderer.render(booking_ticket())
    assert b"\x1d(k" in data and b"\x1dv0" not in data
    assert len(data) <= 1536
    started = time.perf_counter()
    for _ in range(50):
        renderer.render(booking_ticket())
    assert (time.perf_counter() - started) / 50 < 0.005


@pytest.mark.parametrize("profile", ["TM-T88V", "TM-T20II"])
def test_raster_qr_decodes_back(profile):
    renderer = TicketRenderer(profile, qr="raster")
    data = renderer.render(booking_ticket())
    assert b"\x1d(k" not in data
    [image] = raster_images(data)
    assert image.width <= renderer.width_px
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [BOOKING_QR]


def test_raster_qr_shrinks_modules_to_fit_paper():
    renderer = TicketRenderer("TM-T88V", qr="raster")
    [image] = raster_images(renderer.render(Ticket(blocks=(QrCode(BOOKING_QR * 2, module=16),))))
    assert image.width <= 512
    assert zxingcpp.read_barcodes(image)[0].text == BOOKING_QR * 2


def test_qr_image_quiet_zone():
    image = qr_image("x", 4)
    assert image.getpixel((0, 0)) == 255 and image.width == (21 + 8) * 4


def test_bad_profile_and_options():
    with pytest.raises(RenderError):
        TicketRenderer("no-such-printer")
    with pytest.raises(RenderError):
        TicketRenderer("default")  # no paper width in pixels
    with pytest.raises(RenderError):
        TicketRenderer("TM-T88V", qr="maybe")
    with pytest.raises(ValueError):
        Line("x", size="huge")
    assert booking_ticket().plain_text().startswith("Mairie de Villeneuve\nVotre rendez-vous")


def test_a_large_title_breaks_after_a_hyphen_and_codes_stay_whole():
    from drivers.printer.render import TicketRenderer

    r = TicketRenderer("TM-T88V")
    assert r.wrap("Saint-Clément-des-Vignes", 2) == ["Saint-Clément-des-", "Vignes"]
    assert r.wrap("Référence : RDV-7K3P-Q9 à présenter", 1) == ["Référence : RDV-7K3P-Q9 à présenter"]
