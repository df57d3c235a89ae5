"""A démarche that waits in the outbox: what its receipt promises is what happens.

Before, the pending receipt (screen and paper) said « Référence pour l'accueil : K-… »: the
outbox row's key, which neither the town hall's reception nor « Suivre ma demande » can look
up — and, after a lost answer with no contact given, it promised an SMS or e-mail to nobody.
The contract cannot take a number chosen by the terminal for a démarche (the server, or the
town's Open311 endpoint, assigns the ``ABCD-1234`` tracking code), so the receipt no longer shows
a reference at all: it says the number comes once the request reaches the town hall, and how —
by SMS or e-mail to the contact given, or else at the town hall's reception, which finds the
request by its day and time (printed on the receipt) and what it is about.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from booking_town import said
from fault_servers import FaultProxy
from screens_steps import civil_status_pages, demarches_pilot, send, start

from drivers.printer.decode import decode
from drivers.printer.render import TicketRenderer
from kiosk import events
from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_time

pytestmark = pytest.mark.reference_server


def server_demarches(town) -> list[tuple[str, str, dict | None]]:
    """(tracking code, filed_at, contact) of every démarche the town received."""
    conn = sqlite3.connect(town.db_path)
    try:
        rows = conn.execute("SELECT tracking_code, filed_at, contact FROM demarches ORDER BY rowid").fetchall()
    finally:
        conn.close()
    return [(code, filed, json.loads(contact) if contact else None) for code, filed, contact in rows]


def printed_text(pilot) -> str:
    """The receipt the screen prints, as python-escpos writes it for a TM-T88V, read back."""
    ticket = pilot.screen.ticket_to_print()
    assert ticket is not None
    lines = [str(v) for kind, v in decode(TicketRenderer("TM-T88V", qr="native").render(ticket)) if kind == "text"]
    return " ".join(" ".join(lines).replace("\xa0", " ").replace("\u202f", " ").replace("’", "'").split())


def no_reference_anywhere(*texts: str) -> None:
    for text in texts:
        assert "K-" not in text and "Référence" not in text and "Reference" not in text, text


@pytest.fixture
def proxy(town):
    proxy = FaultProxy(town.base)
    yield proxy
    proxy.stop()


def test_answer_lost_and_no_contact_the_receipt_sends_the_person_to_the_reception(town, make_pilot, proxy):
    pilot = demarches_pilot(town, make_pilot, **{"api.base_url": proxy.url})
    start(pilot, "acte-etat-civil")
    civil_status_pages(pilot, copy="without_parents", link="other", delivery="town_hall")   # online: no contact
    proxy.queue_for("/v1/demarches", ("forward_then_drop",))       # the town files it; the answer is lost
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    assert pilot.screen.receipt.pending and not pilot.has("tracking-code") and not pilot.has("qr")
    words = said(pilot)
    assert "Votre demande n'a pas encore de numéro de suivi." in pilot.widget("pending-note").text.replace("’", "'")
    assert "accueil de la mairie" in pilot.widget("pending-follow-up").text
    assert "par SMS" not in words and "par e-mail" not in words, words     # nobody to send it to
    paper = printed_text(pilot)
    assert "Votre demande n'a pas encore de numéro de suivi." in paper and "accueil de la mairie" in paper
    assert "par SMS" not in paper and "par e-mail" not in paper
    no_reference_anywhere(words, paper)

    # the sync worker sends it again with the same key: the town holds it once, filed when the paper says
    pilot.wait_until(lambda: pilot.app.sync_status.get("outbox_depth") == 0, timeout_s=20)
    [(code, filed_at, contact)] = server_demarches(town)
    assert contact is None
    filed = datetime.fromisoformat(filed_at).astimezone(PARIS)
    assert (f"Déposée le {format_date_long(filed.date(), 'fr')} à {format_time(filed.time(), 'fr')}"
            .replace("\xa0", " ").replace("\u202f", " ")) in paper
    assert town.client.tracked_request(code).tracking_code == code    # « Suivre ma demande » knows it now


def test_filed_offline_with_a_phone_the_receipt_promises_an_sms_only(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    online_url = pilot.app.data.client.base_url
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"           # the network goes down
    events.NetworkStatus(online=False).post()
    pilot.settle()
    start(pilot, "acte-etat-civil")
    civil_status_pages(pilot, copy="without_parents", link="other", delivery="town_hall")
    pilot.tap("send")
    assert pilot.screen.name == "demarche_contact", said(pilot)
    pilot.type("06 12 34 56 78")
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    words = said(pilot)
    assert pilot.widget("pending-note").text == "Votre numéro de suivi vous sera envoyé par SMS."
    assert "dès le retour du réseau" in pilot.widget("pending-follow-up").text
    assert "e-mail" not in words and "accueil de la mairie" not in words, words
    paper = printed_text(pilot)
    assert "Votre numéro de suivi vous sera envoyé par SMS." in paper and "dès le retour du réseau" in paper
    no_reference_anywhere(words, paper)

    pilot.app.data.client.base_url = online_url                     # the network is back
    events.NetworkStatus(online=True).post()
    pilot.settle()
    pilot.wait_until(lambda: pilot.app.sync_now())
    pilot.wait_until(lambda: bool(server_demarches(town)), timeout_s=20)
    pilot.wait_until(lambda: pilot.app.sync_now())                  # a second round sends nothing again
    [(_code, _filed, contact)] = server_demarches(town)
    assert contact == {"phone": "0612345678"}                        # the SMS has somewhere to go
