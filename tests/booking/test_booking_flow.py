"""Booking through the real app, a real data layer and the reference server on loopback:
the happy path to the printed ticket (bytes and QR checked against the server's key), the
offline request, a slot taken meanwhile (409), the printer out of paper, several counters
merged, and the idle reset in the middle of « Qui vient ? »."""

from __future__ import annotations

import logging
import uuid

import pytest
import zxingcpp
from booking_town import START, fill_person, said, to_person_step
from timebase import first_slot_at, seeded_slots

from drivers.printer.render import TicketRenderer
from kiosk import events
from kiosk.api.checkin_token import check_signature, decode_unverified, unb64url
from kiosk.api.references import is_terminal_reference
from kiosk.booking import flow as booking_flow
from kiosk.booking.tickets import appointment_words

pytestmark = pytest.mark.reference_server


def confirm(pilot) -> None:
    pilot.tap("continue")
    assert pilot.screen.name == "booking_confirm", said(pilot)
    pilot.tap("confirm")
    pilot.wait_until(lambda: getattr(pilot.screen, "pending", None) is None)


def screen_image(pilot):
    import pygame
    from PIL import Image

    surface = pilot.app.display.surface
    return Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB")).convert("L")


def server_key(town, kid: str) -> bytes:
    key = next(k for k in town.client.keys().keys if k.kid == kid)
    return unb64url(key.public_key)


def test_happy_path_books_and_prints_a_ticket_whose_qr_verifies(town, make_pilot, caplog):
    caplog.set_level(logging.DEBUG)
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    to_person_step(pilot)
    assert pilot.screen.name == "booking_person"
    fill_person(pilot, phone="06 12 34 56 78")
    pilot.tap("continue")
    summary = said(pilot)
    when = appointment_words(pilot.screen.draft.slot.start, "fr").replace("\u202f", " ").replace("\xa0", " ")
    # the first time still to come at either counter of the identity card, in the seeded data
    first = min(at for agenda in ("ag-etat-civil-1", "ag-etat-civil-2")
                for _id, at in seeded_slots(agenda, today=True))
    assert pilot.screen.draft.slot.start == first
    assert "Carte nationale d'identité" in summary and when in summary
    assert "Ève Lefèvre-Müller" in summary and "06 12 34 56 78" in summary
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    reference = pilot.widget("reference").text
    assert is_terminal_reference(reference) and pilot.has("qr")
    on_screen = zxingcpp.read_barcodes(screen_image(pilot))      # the code shown reads back too
    assert [c.text for c in on_screen] == [pilot.screen.draft.outcome.result["checkin_token"]]
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert "Votre ticket est imprimé" in said(pilot)
    # The bytes the printer got: French date and time in words, reference, documents, how to cancel.
    data = TicketRenderer("TM-T88V", "native").render(booking_flow.ticket(pilot.app, pilot.screen.draft))
    text = data.replace(b"\xa0", b" ")
    for words in (when, "Carte nationale d'identité", "Photo d'identité",
                  "1 place de la Mairie", f"Référence : {reference}", "Pour annuler"):
        assert words.encode("cp1252") in text, words
    # The simulated printer drew the receipt: its QR code decodes to a token the server's key verifies.
    receipt = pilot.app.devices.printer.backend.receipts[-1]
    found = zxingcpp.read_barcodes(receipt.convert("L"))
    assert found, "no QR code on the printed receipt"
    payload = decode_unverified(found[0].text)
    assert payload["ref"] == reference and payload["svc"] == "svc-cni"
    check_signature(found[0].text, server_key(town, payload["kid"]))
    pilot.tap("finish")
    assert pilot.screen.is_home and not pilot.app.visit.fields and not pilot.app.visit.drafts
    ours = [r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("kiosk", "screens", "drivers")
            and not r.name.startswith("kiosk.demo_api")]       # the reference server stands for another machine
    assert ours and not any(word in m for m in ours for word in ("Lefèvre", "Ève", "12 34 56", "612345678"))


def test_offline_booking_becomes_a_request_that_needs_a_contact(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"       # the network goes down…
    events.NetworkStatus(online=False).post()             # …and the sync worker says so
    pilot.settle()
    to_person_step(pilot)
    assert "obligatoire" in said(pilot)
    fill_person(pilot)
    pilot.tap("continue")
    assert pilot.screen.name == "booking_person"
    assert "hors ligne" in pilot.widget("field-phone").error
    fill_person(pilot, last="", first="", email="eve.lefevre@exemple.fr")
    confirm(pilot)
    assert pilot.screen.name == "booking_done"
    words = said(pilot)
    assert "Demande enregistrée — confirmation par SMS ou e-mail" in words
    shown = pilot.widget("reference").text
    assert is_terminal_reference(shown) and not pilot.has("qr")     # this terminal's, not a local code
    draft = pilot.screen.draft
    assert draft.outcome.kind == "booking_request" and draft.outcome.status == "queued"
    data = TicketRenderer("TM-T88V", "native").render(booking_flow.ticket(pilot.app, draft))
    assert "Demande de rendez-vous enregistrée".encode("cp1252") in data and b"\x1d(k" not in data
    assert f"Référence : {shown}".encode("cp1252") in data.replace(b"\xa0", b" ")
    pilot.app.data.client.base_url = town.base + "/"               # the network is back:
    pilot.app.data.sync_now()                                      # the town holds it under the same one
    pilot.wait_until(lambda: held_request(town, shown.lower()) == shown)


def held_request(town, reference: str) -> str | None:
    """The reference under which the town holds the request ``reference``, if it does yet."""
    from kiosk.api.errors import NotFound

    try:
        return town.client.booking_request(reference).reference
    except NotFound:
        return None


def test_a_slot_taken_meanwhile_offers_the_nearest_times_and_keeps_the_typing(town, make_pilot):
    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    fill_person(pilot, email="eve@exemple.fr")
    pilot.tap("continue")
    taken = pilot.screen.draft.slot
    for slot_id in taken.slot_ids:            # someone else books this time at every counter
        town.client.create_booking({"slot_id": slot_id, "service_id": "svc-cni", "channel": "kiosk",
                                    "terminal_id": town.client.device_id, "created_at": START.isoformat(),
                                    "person": {"last_name": "Autre", "first_name": "Personne"}},
                                   str(uuid.uuid4()))
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.pending is None)
    assert "vient d'être pris" in said(pilot) and pilot.has("alternatives")
    alternative = pilot.widget("alternatives").items[0]
    pilot.tap(alternative.id)
    assert pilot.screen.draft.slot.start != taken.start
    assert "Ève Lefèvre-Müller" in said(pilot)                   # nothing typed was lost
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    assert is_terminal_reference(pilot.widget("reference").text)


def test_printer_out_of_paper_keeps_the_booking_and_offers_to_retry(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    backend = pilot.app.devices.printer.backend
    backend.paper = "out"
    to_person_step(pilot)
    fill_person(pilot)
    confirm(pilot)
    assert pilot.screen.name == "booking_done"
    pilot.wait_until(lambda: pilot.screen._cannot_print() and pilot.screen.print_state != "printing")
    words = said(pilot)
    assert "ne peut pas être imprimé" in words and "bien enregistré" in words
    assert is_terminal_reference(pilot.widget("reference").text) and pilot.has("qr")
    backend.paper = "ok"                                            # paper put back
    pilot.app.devices.printer.poll_now()
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    pilot.tap("print")
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert "Votre ticket est imprimé" in said(pilot)


def test_several_counters_are_one_list_of_times(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-booking")
    pilot.app.nav.current.open_service("svc-cni")
    pilot.tap("choose-day")
    # a Tuesday or Thursday after the test instant's day: both counters of État civil are open
    pilot.screen.draft.day = first_slot_at("ag-etat-civil-2", "14:00")[1].date()
    pilot.tap("see-times")
    # 13 h 50 exists only at counter 1 (20-minute slots), 14 h only at counter 2 (30-minute slots).
    assert pilot.has("slot-1350") and pilot.has("slot-1400") and pilot.has("slot-0900")
    assert len([w for w in pilot.widgets() if (w.id or "") == "slot-0900"]) == 1


def test_idle_reset_in_the_middle_of_who_is_coming_drops_the_name(town, make_pilot):
    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    pilot.type("Dupont")
    assert pilot.app.visit.fields["booking_last_name"] == "Dupont"
    pilot.advance(pilot.app.config.idle.warn_after_s + 1)
    assert pilot.has("idle-dialog")
    pilot.advance(pilot.app.config.idle.reset_after_s + 1)
    assert pilot.screen.is_home
    assert "booking_last_name" not in pilot.app.visit.fields and not pilot.app.visit.drafts


def test_names_are_shown_the_french_way_and_sent_as_typed(town, make_pilot):
    """« marie-thérèse dupré-lefèvre » stayed in lower case on screen and ticket: both now write
    « Marie-Thérèse Dupré-Lefèvre », while the town hall receives what the person typed."""
    import json
    import sqlite3

    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    fill_person(pilot, last="dupré-lefèvre", first="marie-thérèse", phone="06 12 34 56 78")
    pilot.tap("continue")
    assert "Marie-Thérèse Dupré-Lefèvre" in said(pilot)
    pilot.tap("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    assert pilot.widget("person-name").text == "Nom\xa0: Marie-Thérèse Dupré-Lefèvre"
    data = TicketRenderer("TM-T88V", "native").render(booking_flow.ticket(pilot.app, pilot.screen.draft))
    assert "Nom : Marie-Thérèse Dupré-Lefèvre".encode("cp1252") in data.replace(b"\xa0", b" ")
    with sqlite3.connect(town.db_path) as server:
        (person,) = server.execute("SELECT person FROM bookings").fetchone()
    sent = json.loads(person)
    assert (sent["first_name"], sent["last_name"]) == ("marie-thérèse", "dupré-lefèvre")
