"""The booking ticket and the cancellation slip as documents and ESC/POS bytes (no printer):
French and English dates in words, documents to bring, reference, QR code or not."""

from __future__ import annotations

from datetime import datetime

import pytest

from drivers.printer.render import TicketRenderer
from kiosk import i18n
from kiosk.booking.tickets import booking_ticket, cancellation_slip
from kiosk.clock import PARIS
from kiosk.demo_api import seed_data

SERVICE = next(s for s in seed_data.SERVICES if s["id"] == "svc-passeport")
PLACE = {"name": "Mairie de Saint-Clément-des-Vignes",
         "address": "1 place de la Mairie, 49170 Saint-Clément-des-Vignes"}
START = datetime(2026, 12, 3, 9, 30, tzinfo=PARIS)
PRINTED = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


def bytes_of(ticket) -> bytes:
    return TicketRenderer("TM-T88V", "native").render(ticket).replace(b"\xa0", b" ")


def ticket(lang: str, confirmed: bool = True, token: str | None = "eyJ2IjoxfQ.c2ln", by_message: bool = True):
    i18n.set_language(lang)
    return booking_ticket(town="Saint-Clément-des-Vignes", service=SERVICE, place=PLACE, start=START,
                          reference="RDV-K7QM-4P" if confirmed else "K7M-Q4HP-XRE", token=token if confirmed else None,
                          confirmed=confirmed, printed_at=PRINTED, language=lang, town_phone="02 41 39 52 10",
                          by_message=by_message)


def test_confirmed_ticket_in_french():
    data = bytes_of(ticket("fr"))
    for words in ("Votre rendez-vous", "Passeport", "jeudi 3 décembre 2026 à 9 h 30", "1 place de la Mairie",
                  "À apporter", "Timbre fiscal (86 € pour un adulte)", "Référence : RDV-K7QM-4P",
                  "Présentez ce code", "Pour annuler", "02 41 39 52 10", "Imprimé le mardi 1er décembre 2026"):
        assert words.encode("cp1252") in data, words
    assert b"\x1d(k" in data and b"eyJ2IjoxfQ.c2ln" in data      # the token, as a native QR code
    assert len(data) < 1500


def test_confirmed_ticket_in_english():
    data = bytes_of(ticket("en"))
    for words in ("Your appointment", "Thursday 3 December 2026 at 9:30 am", "Bring with you:",
                  "Reference: RDV-K7QM-4P", "To cancel"):
        assert words.encode("cp1252") in data, words


def test_a_request_promises_no_time_and_has_no_qr_code():
    data = bytes_of(ticket("fr", confirmed=False))
    assert "Demande de rendez-vous enregistrée".encode("cp1252") in data
    assert "confirmation par SMS ou e-mail".encode("cp1252") in data
    flowing = data.replace(b"\n", b" ")                         # the line wraps at the paper's width
    assert "Horaire demandé : jeudi 3 décembre 2026 à 9 h 30".encode("cp1252") in flowing
    assert b"K7M-Q4HP-XRE" in data and b"\x1d(k" not in data


@pytest.mark.parametrize("lang, words", [
    ("fr", ("Rendez-vous pas encore confirmé", "dès le retour du réseau", "à la mairie")),
    ("en", ("Appointment not confirmed yet", "as soon as the network is back", "at the town hall")),
])
def test_without_a_contact_a_waiting_booking_promises_no_message(lang, words):
    """Issue 14, defect 1: no phone, no e-mail — the ticket says how to check the booking instead."""
    data = bytes_of(ticket(lang, confirmed=False, by_message=False))
    flowing = data.replace(b"\n", b" ")
    for said in words:
        assert said.encode("cp1252") in flowing, said
    assert b"SMS" not in data and b"e-mail" not in data and b"K7M-Q4HP-XRE" in data and b"\x1d(k" not in data


@pytest.mark.parametrize("queued, words", [(False, "Rendez-vous annulé"), (True, "Annulation enregistrée")])
def test_cancellation_slip(queued, words):
    slip = cancellation_slip(town="Saint-Clément-des-Vignes", reference="RDV-K7QM-4P", service_name="Passeport",
                             start=START, queued=queued, printed_at=PRINTED, language="fr")
    data = bytes_of(slip)
    assert words.encode("cp1252") in data and b"RDV-K7QM-4P" in data
    assert "jeudi 3 décembre 2026 à 9 h 30".encode("cp1252") in data
    assert ("hors ligne".encode("cp1252") in data) is queued
