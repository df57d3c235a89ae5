"""Issue 14, defect 1: a booking whose answer never comes keeps the reference the person leaves with.

Online, without phone or e-mail (allowed online), the network drops between the terminal and
the answer: the booking is queued. Before, the screen and the ticket promised « confirmation
par SMS ou e-mail » (to nobody) under a local ``K-…`` code, and the server later held the
booking as ``RDV-…``: cancelling with the ticket's reference matched nothing. Now the terminal
assigns the reference itself, from the namespace the central API reserved for it, so the
server, the screen and the ticket say the same one whatever the network did.
"""

from __future__ import annotations

import sqlite3

import pytest
from booking_town import fill_person, said, to_person_step
from fault_servers import FaultProxy

from drivers.printer.render import TicketRenderer
from kiosk.api.references import is_terminal_reference
from kiosk.booking import flow as booking_flow
from kiosk.demo_api.bookings import name_key

pytestmark = pytest.mark.reference_server

LAST, FIRST = "Lefèvre-Müller", "Ève"


def server_booking(town, last_name: str) -> tuple[str, str] | None:
    """(reference, state) of the server's booking for ``last_name``, if it has one."""
    conn = sqlite3.connect(town.db_path)
    try:
        return conn.execute("SELECT reference, state FROM bookings WHERE last_name_key = ?",
                            (name_key(last_name),)).fetchone()
    finally:
        conn.close()


def ticket_text(pilot) -> bytes:
    data = TicketRenderer("TM-T88V", "native").render(booking_flow.ticket(pilot.app, pilot.screen.draft))
    return data.replace(b"\xa0", b" ")


@pytest.fixture
def proxy(town):
    """The network between the terminal and the reference server: it may drop one answer."""
    proxy = FaultProxy(town.base)
    yield proxy
    proxy.stop()


@pytest.mark.parametrize("fault", [("forward_then_drop",), ("raw", b"")],
                         ids=["the-server-booked-but-the-answer-is-lost", "the-request-never-arrives"])
def test_the_reference_on_the_ticket_is_the_servers_and_cancels_the_booking(town, make_pilot, proxy, fault):
    pilot = town.pilot(make_pilot, **{"api.base_url": proxy.url})
    to_person_step(pilot)
    fill_person(pilot, last=LAST, first=FIRST)               # no phone, no e-mail
    pilot.tap("continue")
    assert pilot.screen.name == "booking_confirm", said(pilot)
    proxy.queue_for("/v1/bookings", fault)                  # the network drops on this request only
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    draft = pilot.screen.draft
    assert draft.outcome.kind == "booking" and draft.outcome.status == "queued"
    shown = pilot.widget("reference").text
    assert is_terminal_reference(shown), shown
    words = said(pilot)
    # nobody can be told by SMS or e-mail: the screen says what will happen instead
    assert "SMS" not in words and "e-mail" not in words, words
    assert "enregistré sous cette référence" in words and "mairie" in words, words
    printed = ticket_text(pilot)
    assert f"Référence : {shown}".encode("cp1252") in printed
    assert b"SMS" not in printed and b"e-mail" not in printed
    pilot.tap("language")                                    # the same in English
    words = said(pilot)
    assert pilot.widget("reference").text == shown
    assert "SMS" not in words and "e-mail" not in words and "recorded under this reference" in words, words

    # the sync worker delivers it once the network is back: the same reference on the server
    pilot.wait_until(lambda: server_booking(town, LAST) is not None, timeout_s=20)
    assert server_booking(town, LAST) == (shown, "booked")
    pilot.wait_until(lambda: pilot.app.sync_status.get("outbox_depth") == 0, timeout_s=20)

    # and it cancels the booking, typed as people type it: lower case, no hyphens
    pilot.tap("finish")
    pilot.tap("feature-booking")
    pilot.tap("cancel-booking")
    pilot.type(shown.replace("-", "").lower())
    pilot.tap("field-last-name")
    pilot.type("lefevre muller")
    pilot.tap("continue")
    pilot.wait_until(lambda: pilot.screen.checking is None)
    assert pilot.has("confirm-cancel"), said(pilot)
    assert shown in pilot.widget("review-reference").text
    pilot.tap("confirm-cancel")
    pilot.wait_until(lambda: pilot.screen.pending is None)
    assert "Votre rendez-vous est annulé." in said(pilot)
    assert server_booking(town, LAST) == (shown, "cancelled")


def test_with_a_contact_the_queued_booking_still_promises_the_message(town, make_pilot, proxy):
    """The promise is kept where it can be: a phone number was given."""
    pilot = town.pilot(make_pilot, **{"api.base_url": proxy.url})
    to_person_step(pilot)
    fill_person(pilot, last=LAST, first=FIRST, phone="06 12 34 56 78")
    pilot.tap("continue")
    proxy.queue_for("/v1/bookings", ("forward_then_drop",))
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    assert pilot.screen.draft.outcome.status == "queued"
    shown = pilot.widget("reference").text
    assert "confirmation par SMS ou e-mail" in said(pilot)
    pilot.wait_until(lambda: server_booking(town, LAST) is not None, timeout_s=20)
    assert server_booking(town, LAST) == (shown, "booked")


def test_online_with_an_answer_the_reference_is_the_terminals_too(town, make_pilot):
    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    fill_person(pilot, last=LAST, first=FIRST)
    pilot.tap("continue")
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    assert pilot.screen.draft.outcome.status == "done"
    shown = pilot.widget("reference").text
    assert is_terminal_reference(shown) and pilot.has("qr")
    assert server_booking(town, LAST) == (shown, "booked")


def test_a_mistyped_reference_is_said_at_once_under_its_field(town, make_pilot):
    """The check character catches a typo before the central API is asked anything."""
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-booking")
    pilot.tap("cancel-booking")
    pilot.type("k7mq4hpxrf")                  # K7M-Q4HP-XRE with its last character mistyped
    pilot.tap("field-last-name")
    pilot.type("Lefèvre")
    pilot.tap("continue")
    assert pilot.screen.step == "form" and pilot.screen.checking is None       # nothing was asked
    assert "faute de frappe" in pilot.widget("field-reference").error
    assert pilot.app.visit.fields["cancel_reference"] == "K7M-Q4HP-XRF"        # shown as printed
