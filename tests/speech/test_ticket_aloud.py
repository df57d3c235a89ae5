"""Printed tickets read aloud (issue 15): each kind of ticket → the words said, in French and in
English, its personal values masked on a loudspeaker and said into a headset; what is not for
the ear (rules, web addresses) left out, a QR code said « code QR »; and the printed paper
unchanged by the marks the builders add."""

from __future__ import annotations

from datetime import datetime

import pytest

from drivers.printer.render import TicketRenderer
from kiosk import i18n
from kiosk.api.models import TrackedRequest
from kiosk.booking.tickets import booking_ticket, cancellation_slip, tracking_slip
from kiosk.clock import PARIS
from kiosk.demarches.receipt import receipt_ticket
from kiosk.demarches.views import Receipt
from kiosk.printing.document import Line, Marked, Ticket, TicketBuilder
from kiosk.queue.ticket import QueueTicketView, queue_ticket
from kiosk.speech.ticket_aloud import ticket_utterance
from kiosk.speech.utterance import spoken_text

START = datetime(2027, 3, 2, 9, 30, tzinfo=PARIS)
PRINTED = datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)
SERVICE = {"name": "Passeport", "documents": [{"label": "Photo d'identité"}]}
PLACE = {"name": "Mairie", "address": "1 place de la Mairie"}
PORTAL = "https://demarches.ville-exemple.fr/suivi/"


def heard(ticket: Ticket, lang: str) -> tuple[str, str]:
    """(on a loudspeaker, into a headset)."""
    utterance = ticket_utterance(ticket, lang)
    return spoken_text(utterance, private_allowed=False), spoken_text(utterance, private_allowed=True)


def booking(lang: str) -> Ticket:
    i18n.set_language(lang)
    return booking_ticket(town="Saint-Clément", service=SERVICE, place=PLACE, start=START, reference="RDV-K7QM-4P",
                          token="eyJ2IjoxfQ.c2ln", confirmed=True, printed_at=PRINTED, language=lang,
                          town_phone="02 41 39 52 10", person_name="Martin")


def test_a_booking_ticket_in_french_masks_name_and_reference_on_the_loudspeaker() -> None:
    loud, headset = heard(booking("fr"), "fr")
    assert loud.startswith("Votre ticket. Saint-Clément. Votre rendez-vous. Passeport. "
                           "mardi 2 mars 2027 à 9 heures 30. Nom : information masquée.")
    assert "Référence : information masquée. code QR. Présentez ce code" in loud
    assert "Martin" not in loud and "R D V" not in loud
    assert "Nom : Martin." in headset and "Référence : R D V, K 7 Q M, 4 P. code QR." in headset
    # the town's number is not personal: said in pairs on any output; the list dash is for the eye only
    for words in (loud, headset):
        assert "Ou appelez la mairie : 0 2, 41, 39, 52, 10." in words
        assert "À apporter : Photo d'identité." in words and "- " not in words
        assert words.endswith("Imprimé le lundi 1er mars 2027.")


def test_a_booking_ticket_in_english() -> None:
    loud, headset = heard(booking("en"), "en")
    assert loud.startswith("Your ticket. Saint-Clément. Your appointment. Passeport. Tuesday 2 March 2027 at 9 30 a m.")
    assert "Name: hidden information." in loud and "Reference: hidden information. QR code." in loud
    assert "Name: Martin." in headset and "Reference: R D V, K 7 Q M, 4 P." in headset


def test_a_cancellation_slip() -> None:
    i18n.set_language("fr")
    slip = cancellation_slip(town="Saint-Clément", reference="RDV-K7QM-4P", service_name="Passeport", start=START,
                             queued=True, printed_at=PRINTED, language="fr")
    loud, headset = heard(slip, "fr")
    assert loud.startswith("Votre ticket. Saint-Clément. Annulation enregistrée. Référence : information masquée. "
                           "Passeport. mardi 2 mars 2027 à 9 heures 30.")
    assert "Référence : R D V, K 7 Q M, 4 P." in headset


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_request_status_slip_says_its_number_privately_and_leaves_the_web_address_out(lang: str) -> None:
    i18n.set_language(lang)
    request = TrackedRequest.model_validate({
        "tracking_code": "KXPT-4821", "request_type": "Déclaration préalable de travaux", "status": "in_progress",
        "current_step": "Instruction", "message": None,
        "steps": [{"label": "Dossier déposé", "date": "2026-10-01", "done": True},
                  {"label": "Instruction", "date": None, "done": False}],
        "updated_at": "2027-02-20T15:42:00+01:00"})
    slip = tracking_slip(request, town="Saint-Clément", portal_url=PORTAL, info_at=request.updated_at, online=True,
                         printed_at=PRINTED, language=lang)
    loud, headset = heard(slip, lang)
    number = {"fr": "Numéro : ", "en": "Number: "}[lang]
    assert f"{number}{ {'fr': 'information masquée', 'en': 'hidden information'}[lang]}." in loud
    assert f"{number}K X P T, 4 8 2 1." in headset
    assert "Déclaration préalable de travaux." in loud
    assert {"fr": "code QR", "en": "QR code"}[lang] in loud
    assert "https" not in headset and "KXPT" not in loud and "4 8 2 1" not in loud


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", "Votre ticket. Saint-Clément. Votre numéro. A12. Passeport. Rendez-vous à 9 heures 30. "
           "Lieu d’attente : Salle 2. 3 personnes avant vous. Attente estimée : 25 minutes. code QR."),
    ("en", "Your ticket. Saint-Clément. Your number. A12. Passeport. Appointment at 9 30 a m. "
           "Wait in: Salle 2. 3 people before you. Estimated wait: 25 minutes. QR code."),
])
def test_a_queue_ticket_says_its_number_as_it_is_called_on_any_output(lang: str, expected: str) -> None:
    i18n.set_language(lang)
    view = QueueTicketView(number="A012", service="Passeport", where="Salle 2", people_ahead=3, wait_minutes=25,
                           wait_unknown_reason=None, appointment=START)
    ticket = queue_ticket(view, town="Saint-Clément", follow_url="https://ville.fr/file?n={number}",
                          printed_at=PRINTED)
    loud, headset = heard(ticket, lang)
    assert loud == headset                     # nothing personal on a queue ticket
    assert loud.startswith(expected), loud


def test_a_demarche_receipt_masks_the_tracking_number_and_reads_a_pending_one_whole() -> None:
    received = Receipt("acte", "Demande d'acte d'état civil", "received", "KTRV-5170", "La mairie vérifie.",
                       PORTAL + "KTRV-5170")
    loud, headset = heard(receipt_ticket(received, town="Saint-Clément", language="fr", printed_at=PRINTED), "fr")
    assert "Votre numéro de suivi. information masquée. code QR." in loud and "KTRV" not in loud
    assert "Votre numéro de suivi. K T R V, 5 1 7 0. code QR." in headset and "https" not in headset
    pending = Receipt("acte", "Signalement", "pending", None, None, None, notice="No number yet.",
                      follow_up="Ask at the reception.")
    loud, headset = heard(receipt_ticket(pending, town="Saint-Clément", language="en", printed_at=PRINTED), "en")
    assert loud == headset                     # no number, nothing to mask
    assert "No number yet." in loud and "Ask at the reception." in loud


def test_marks_do_not_change_the_paper() -> None:
    plain = TicketBuilder("T").line("Référence : RDV-K7QM-4P", bold=True).build()
    marked = TicketBuilder("T").line("Référence : RDV-K7QM-4P", bold=True,
                                     marked=Marked("RDV-K7QM-4P", "reference")).build()
    renderer = TicketRenderer("TM-T88V", "native")
    assert renderer.render(plain) == renderer.render(marked)
    assert plain.plain_text() == marked.plain_text()


def test_a_mark_must_be_words_of_its_line() -> None:
    with pytest.raises(ValueError, match="not in the line"):
        Line("Référence : RDV-K7QM-4P", marked=Marked("RDV-XXXX"))
    with pytest.raises(ValueError, match="needs words"):
        Marked("  ")
    with pytest.raises(ValueError, match="unknown way to speak"):
        Marked("A012", "morse")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no speech in language"):
        ticket_utterance(TicketBuilder("T").build(), "de")


def test_rules_and_blank_lines_are_not_said() -> None:
    ticket = TicketBuilder("Titre").rule().feed(2).line("").line("Bonjour !").rule("=").build()
    assert spoken_text(ticket_utterance(ticket, "fr"), private_allowed=False) == "Votre ticket. Titre. Bonjour !"


def test_a_place_ticket_says_the_place_phone_in_pairs_on_any_output(tmp_path) -> None:
    from city_support import SEEDED_AT, seeded_cache
    from conftest import REPO

    from kiosk.city.guide import CityGuide
    from kiosk.city.ticket import place_ticket
    from kiosk.clock import ManualClock
    from kiosk.config import load_config

    guide = CityGuide.open(seeded_cache(tmp_path / "cache.sqlite3"), load_config(REPO / "kiosk.toml"),
                           ManualClock(SEEDED_AT))
    try:
        media = guide.place("pl-mediatheque")
        assert media is not None
        for lang, phone, qr in (("fr", "Téléphone : 0 2, 41, 39, 52, 40.", "code QR. Scannez"),
                                ("en", "Telephone: 0 2, 41, 39, 52, 40.", "QR code. Scan")):
            i18n.set_language(lang)
            loud, headset = heard(place_ticket(media, SEEDED_AT, "Saint-Clément-des-Vignes"), lang)
            assert loud == headset
            assert loud.startswith("Votre ticket. Médiathèque Louise-Bodin. 5 place de l'Église, "
                                   if lang == "fr" else "Your ticket. Médiathèque Louise-Bodin. 5 place de l'Église, ")
            assert phone in loud and qr in loud and "openstreetmap" not in loud
    finally:
        guide.close()
