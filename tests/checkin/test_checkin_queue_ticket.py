"""The queue ticket as python-escpos bytes, decoded back: the number in double size, the service,
where to wait, people ahead and the wait (or why none), the appointment, the native QR code of the
follow address; under 1 KB on the wire; never a name."""

from __future__ import annotations

from datetime import datetime

import pytest

from drivers.printer.decode import decode
from drivers.printer.render import TicketRenderer
from kiosk import i18n
from kiosk.clock import PARIS
from kiosk.queue.ticket import QueueTicketView, queue_ticket

PRINTED = datetime(2026, 12, 4, 9, 12, tzinfo=PARIS)
START = datetime(2026, 12, 4, 9, 30, tzinfo=PARIS)
FOLLOW = "https://www.ville-exemple.fr/file?n={number}&j={day}"


def view(**changes) -> QueueTicketView:
    values = dict(number="A012", service="Passeport", where="Guichet 2 — Titres d'identité", people_ahead=3,
                  wait_minutes=25, wait_unknown_reason=None, appointment=START)
    values.update(changes)
    return QueueTicketView(**values)


def rendered(ticket) -> tuple[bytes, list[tuple[str, object]]]:
    data = TicketRenderer("TM-T88V", "native").render(ticket)
    return data, decode(data)


def texts(ops) -> str:
    return " ".join(str(v) for k, v in ops if k == "text").replace("\xa0", " ")


@pytest.fixture(autouse=True)
def french():
    i18n.set_language("fr")


def test_check_in_ticket_decoded():
    data, ops = rendered(queue_ticket(view(), town="Saint-Clément-des-Vignes", follow_url=FOLLOW,
                                      printed_at=PRINTED))
    assert len(data) < 1024, len(data)
    words = texts(ops)
    for expected in ("Saint-Clément-des-", "Vignes", "Votre numéro", "A012", "Passeport", "Rendez-vous à 9 h 30",
                     "Guichet 2 — Titres d'identité", "3 personnes avant vous", "Attente estimée : 25 min",
                     "Imprimé à 9 h 12"):
        assert expected in words, expected
    # the number in double width and height, just before its text
    number_at = next(i for i, (k, v) in enumerate(ops) if k == "text" and v == "A012")
    sizes = [v for k, v in ops[:number_at] if k == "size"]
    assert sizes and sizes[-1] == (2, 2)
    qrs = [v for k, v in ops if k == "qr"]
    assert [q["data"] for q in qrs] == ["https://www.ville-exemple.fr/file?n=A012&j=2026-12-04"]   # native QR
    assert not any(k == "raster" for k, _ in ops)


def test_offline_ticket_says_why_there_is_no_estimate_and_has_no_qr_without_a_follow_address():
    ticket = queue_ticket(view(number="A961", people_ahead=None, wait_minutes=None,
                               wait_unknown_reason="Le terminal est hors ligne : l'attente ne peut pas être estimée."),
                          town="Saint-Clément-des-Vignes", follow_url=None, printed_at=PRINTED)
    data, ops = rendered(ticket)
    words = texts(ops)
    assert "A961" in words and "hors ligne" in words and "avant vous" not in words and "Attente estimée" not in words
    assert not any(k == "qr" for k, _ in ops) and len(data) < 1024


def test_no_number_sends_to_the_reception_desk():
    _data, ops = rendered(queue_ticket(view(number=None, people_ahead=None, wait_minutes=None), town="Ville",
                                       follow_url=FOLLOW, printed_at=PRINTED))
    words = texts(ops)
    assert "Aucun numéro" in words and "accueil" in words and not any(k == "qr" for k, _ in ops)


def test_walk_in_ticket_in_english_next_in_line():
    i18n.set_language("en")
    _data, ops = rendered(queue_ticket(view(number="B004", service="Civil status", where="Waiting room",
                                            people_ahead=0, wait_minutes=5, appointment=None),
                                       town="Ville", follow_url=FOLLOW, printed_at=PRINTED))
    words = texts(ops)
    assert "Your number" in words and "B004" in words and "You are next" in words and "Appointment" not in words
    assert "Estimated wait: 5 min" in words


def test_the_ticket_carries_no_name():
    """The view has no field for a name; the document holds only what the view says."""
    assert not {"name", "last_name", "first_name"} & set(QueueTicketView.__dataclass_fields__)
