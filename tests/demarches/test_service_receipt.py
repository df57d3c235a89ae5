"""Filing offline and the receipt: the outbox row is written before anything is said, without a word
of the answers outside its personal part; the receipt says the number will be sent; the printed
receipt (python-escpos's own bytes) carries the title, the number large with its QR code and what
happens next — and no answer of the form."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from demarche_fixtures import fill_civil_status, fill_report, seed_form

from drivers.printer.decode import decode
from drivers.printer.render import TicketRenderer
from kiosk.clock import ManualClock
from kiosk.demarches import Receipt
from kiosk.demarches.form import form_problem
from kiosk.services import Services, Status
from kiosk.services.outcomes import Outcome
from offline_cache.db import open_cache
from offline_cache.from_api import apply_catalog
from offline_cache.outbox import Outbox

AT = datetime(2026, 12, 1, 9, 15, tzinfo=UTC)
PORTAL = "https://demarches.ville-exemple.fr/suivi/"


@pytest.fixture
def offline_services(tmp_path):
    cache = tmp_path / "cache.sqlite3"
    conn = open_cache(cache)
    apply_catalog(conn, {"cursor": "1", "full": True, "services": [], "places": [], "pages": [], "events": [],
                         "forms": [seed_form("acte-etat-civil"), seed_form("signalement-voirie")], "streets": [],
                         "deleted": {"services": [], "places": [], "pages": [], "events": []}},
                  AT, check_form=form_problem)
    conn.close()
    services = Services(cache, client_source=lambda: None, clock=ManualClock(AT), post=lambda *a, **k: True,
                        known_offline=lambda: True)
    yield services
    services.close()


def printed(ticket) -> tuple[str, list[str]]:
    words, codes = [], []
    for kind, value in decode(TicketRenderer("TM-T88V", qr="native").render(ticket)):
        if kind == "text":
            words.append(str(value).replace("\xa0", " ").replace("\u202f", " "))
        elif kind == "qr":
            codes.append(str(value["data"]))   # type: ignore[index]
    return " ".join(" ".join(words).split()), codes


def test_offline_filing_is_stored_first_and_the_receipt_says_the_number_will_be_sent(offline_services, caplog):
    caplog.set_level(logging.DEBUG)
    demarches = offline_services.demarches
    assert demarches.is_offline
    session = demarches.start("acte-etat-civil", "fr")
    fill_civil_status(session, delivery="post")
    assert session.needs_contact(offline=True)
    with pytest.raises(ValueError, match="contact is required"):   # the screen asks first: a bug otherwise
        demarches.submit_now(session)
    assert session.set_contact(email="lea.martin@exemple.fr") == {}
    receipt = demarches.submit_now(session)
    assert (receipt.status, receipt.tracking_code, receipt.pending) == ("pending", None, True)
    assert receipt.notice == "Votre numéro de suivi vous sera envoyé par e-mail."     # the one contact given
    assert (receipt.follow_up or "").replace("\u202f", " ") == (
        "Votre demande partira à la mairie dès le retour du réseau ; le numéro vous sera envoyé à ce moment-là.")
    conn = open_cache(offline_services.cache_path)
    try:
        [row] = Outbox(conn).due(AT.replace(year=2027))
        assert row.kind == "demarche"
        assert row.payload == {"form_id": "acte-etat-civil", "form_version": 1, "language": "fr",
                               "filed_at": AT.isoformat()}
        assert row.personal["answers"]["last_name"] == "Martin"
        assert row.personal["contact"] == {"email": "lea.martin@exemple.fr"}
    finally:
        conn.close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("Martin", "Léa", "lea.martin", "Vignes", "Angers", "1990"):
        assert personal not in logged


def test_a_session_that_is_not_complete_cannot_be_filed(offline_services):
    session = offline_services.demarches.start("signalement-voirie", "fr")
    with pytest.raises(ValueError, match="page 'category' is not complete"):
        offline_services.demarches.action(session)


def test_the_printed_receipt_of_a_received_request():
    receipt = Receipt("acte-etat-civil", "Demande d'acte d'état civil", "received", "KTRV-5170",
                      "La mairie vérifie votre demande.", PORTAL + "KTRV-5170")
    from kiosk.demarches.receipt import receipt_ticket

    ticket = receipt_ticket(receipt, town="Saint-Clément-des-Vignes", language="fr", printed_at=AT)
    number = next(b for b in ticket.blocks if getattr(b, "text", None) == "KTRV-5170")
    assert number.size == "large" and number.bold                      # type: ignore[union-attr]
    text, codes = printed(ticket)
    assert codes == [PORTAL + "KTRV-5170"]
    for words in ("Demande d'acte d'état civil", "Demande reçue", "Votre numéro de suivi", "KTRV-5170",
                  "Et ensuite ?", "La mairie vérifie votre demande.", "Déposée le mardi 1er décembre 2026 à 10 h 15"):
        assert words in text, words


def test_the_printed_receipt_of_a_pending_request_in_english(offline_services):
    demarches = offline_services.demarches
    session = demarches.start("signalement-voirie", "en")
    fill_report(session, email="lea.martin@exemple.fr", description="The street light by number 12 is out.")
    receipt = demarches.submit_now(session)
    assert receipt.pending and receipt.next_steps and receipt.title == "Report a problem in the street"
    ticket = demarches.receipt_ticket(receipt, town="Saint-Clément-des-Vignes", language="en")
    text, codes = printed(ticket)
    assert codes == []                                                  # no number yet, no QR code
    assert "Your tracking number will be sent to you by e-mail." in text
    assert "Your request will reach the town hall as soon as the network is back; the number will be sent" in text
    assert "K-" not in text and "Reference" not in text              # no stand-in nobody could look up
    assert "number 12" not in text and "lea.martin" not in text       # no answer on paper


@pytest.mark.parametrize(("channels", "language", "notice", "follow_up"), [
    (["sms", "email"], "en", "Your tracking number will be sent to you by SMS or e-mail.", "network is back"),
    (["sms"], "en", "Your tracking number will be sent to you by SMS.", "the number will be sent to you then"),
    ([], "en", "Your request has no tracking number yet.", "ask at the town hall's reception, giving the day"),
    ([], "fr", "Votre demande n’a pas encore de numéro de suivi.", "demandez-le à l’accueil de la mairie"),
])
def test_a_pending_receipt_says_how_the_number_will_come(offline_services, channels, language, notice,
                                                          follow_up):
    """Without a contact (an online filing whose answer was lost) nothing is promised by SMS or
    e-mail: the reception finds the request by the day and time printed on the receipt."""
    session = offline_services.demarches.start("signalement-voirie", language)
    queued = Outcome("demarche", Status.QUEUED, "0b6f8c1e-4c8a-4d47-9f1e-6f1d2a3b4c5d",
                     details={"contact_by": channels})
    receipt = offline_services.demarches.receipt(session, queued)
    assert (receipt.status, receipt.tracking_code, receipt.notice) == ("pending", None, notice)
    assert follow_up in (receipt.follow_up or "")
    text, codes = printed(offline_services.demarches.receipt_ticket(receipt, town="Saint-Clément-des-Vignes",
                                                                    language=language))
    assert codes == [] and notice.replace("’", "'") in text.replace("’", "'")
    assert "0B6F" not in text.upper() and "K-" not in text
    if not channels:
        assert "SMS" not in text and "e-mail" not in text


def test_refused_and_not_stored_outcomes_say_what_to_do(offline_services):
    session = offline_services.demarches.start("signalement-voirie", "fr")
    refused = offline_services.demarches.receipt(session, Outcome("demarche", Status.REFUSED, "k",
                                                                  code="form_version_unknown"))
    assert refused.status == "refused" and refused.message == ("Cette démarche a été modifiée entre-temps. "
                                                               "Rien n’a été déposé. Recommencez-la, s’il vous plaît.")
    lost = offline_services.demarches.receipt(session, Outcome("demarche", Status.ERROR, code="storage_failed"))
    assert lost.status == "error" and "Nothing" not in (lost.message or "") and lost.message
    with pytest.raises(ValueError):
        offline_services.demarches.receipt_ticket(refused, town="X", language="fr")
