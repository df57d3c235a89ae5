"""« Annuler un rendez-vous » through the real app and the reference server: by the ticket's
QR code, by reference and last name, a wrong name, a code that is not a ticket, offline."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from booking_town import START, said
from timebase import first_slot_at

from kiosk import events
from kiosk.demo_api import db
from kiosk.formatting import format_date_long

pytestmark = pytest.mark.reference_server

# A 10 h 30 slot at État civil after the test instant's day, taken from the seeded data.
DAY_SLOT, DAY_SLOT_AT = first_slot_at("ag-etat-civil-1", "10:30")
DAY_WORDS = format_date_long(DAY_SLOT_AT.date(), "fr")      # e.g. « mercredi 6 mai 2026 »


def booked(town, last_name: str = "N'Diaye"):
    """A booking made elsewhere (the web portal, another terminal): reference and token."""
    return town.client.create_booking({"slot_id": DAY_SLOT, "service_id": "svc-cni", "channel": "kiosk",
                                       "terminal_id": town.client.device_id, "created_at": START.isoformat(),
                                       "person": {"last_name": last_name, "first_name": "Awa"}}, str(uuid.uuid4()))


def state(town, reference: str) -> str:
    conn = db.connect(town.db_path)
    try:
        return conn.execute("SELECT state FROM bookings WHERE reference = ?", (reference,)).fetchone()[0]
    finally:
        conn.close()


def open_cancel(pilot) -> None:
    pilot.tap("feature-booking")
    pilot.tap("cancel-booking")
    assert pilot.screen.name == "booking_cancel"


def cancel_now(pilot) -> None:
    pilot.tap("continue")
    pilot.wait_until(lambda: pilot.screen.checking is None)    # a typed reference is checked first
    assert pilot.has("confirm-cancel"), said(pilot)
    pilot.tap("confirm-cancel")
    pilot.wait_until(lambda: pilot.screen.pending is None)


def test_cancel_by_scanning_the_ticket(town, make_pilot):
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    open_cancel(pilot)
    events.ScanRead(text=booking.checkin_token, source="hid").post()
    pilot.settle()
    assert f"Carte nationale d'identité — {DAY_WORDS} à 10 h 30" in said(pilot)
    assert pilot.app.visit.fields["cancel_reference"] == booking.reference
    pilot.type("N'Diaye")
    cancel_now(pilot)
    assert "Votre rendez-vous est annulé." in said(pilot)
    assert state(town, booking.reference) == "cancelled"
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    pilot.tap("finish")
    assert pilot.screen.is_home and not pilot.app.visit.fields


def test_cancel_by_reference_and_last_name(town, make_pilot):
    booking = booked(town, "Lefèvre-Müller")
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    pilot.type(booking.reference.lower())
    assert pilot.app.visit.fields["cancel_reference"] == booking.reference
    pilot.tap("field-last-name")
    pilot.type("Lefèvre-Müller")
    cancel_now(pilot)
    assert "Votre rendez-vous est annulé." in said(pilot)
    assert state(town, booking.reference) == "cancelled"


def type_reference_and_name(pilot, reference: str, name: str) -> None:
    pilot.type(reference)
    pilot.tap("field-last-name")
    pilot.type(name)
    pilot.tap("continue")
    pilot.wait_until(lambda: getattr(pilot.screen, "checking", None) is None)


def test_a_wrong_name_is_refused_at_once_in_plain_words_and_nothing_is_cancelled(town, make_pilot):
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    type_reference_and_name(pilot, booking.reference.lower(), "Martin")
    assert not pilot.has("confirm-cancel")                 # said before any « Oui, l'annuler »
    assert pilot.has("field-reference") and "Aucun rendez-vous ne correspond" in pilot.widget("field-reference").error
    assert "404" not in said(pilot) and state(town, booking.reference) == "booked"


def test_a_reference_that_matches_nothing_is_said_at_once(town, make_pilot):
    """Issue 14, defect 8: it passed the confirm step and failed after « Oui, l'annuler »."""
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    type_reference_and_name(pilot, "RDV-ZZZZ-99", "Martin")
    assert not pilot.has("confirm-cancel")
    assert "Aucun rendez-vous ne correspond" in pilot.widget("field-reference").error


def test_a_reference_typed_without_hyphens_is_read_like_the_printed_one(town, make_pilot):
    """Issue 14, defect 8: « rdvqxngsr » passed the confirm step, then failed."""
    booking = booked(town, "Lefèvre-Müller")
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    type_reference_and_name(pilot, booking.reference.replace("-", "").lower(), "lefevre muller")
    assert pilot.has("confirm-cancel"), said(pilot)
    assert booking.reference in pilot.widget("review-reference").text
    pilot.tap("confirm-cancel")
    pilot.wait_until(lambda: pilot.screen.pending is None)
    assert "Votre rendez-vous est annulé." in said(pilot)
    assert state(town, booking.reference) == "cancelled"


def test_the_confirm_step_says_which_appointment_is_cancelled(town, make_pilot):
    """Issue 14, defect 8: a typed reference showed only itself and the name before « Oui, l'annuler »."""
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    type_reference_and_name(pilot, booking.reference, "N'Diaye")
    assert pilot.has("confirm-cancel")
    assert pilot.widget("review-booking").text.replace("\xa0", " ").replace("\u202f", " ") == \
        f"Carte nationale d'identité — {DAY_WORDS} à 10 h 30"
    assert state(town, booking.reference) == "booked"      # nothing done before the person confirms


def test_offline_a_typed_reference_cannot_be_checked_and_the_screen_says_so(town, make_pilot):
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"
    events.NetworkStatus(online=False).post()
    open_cancel(pilot)
    type_reference_and_name(pilot, booking.reference, "N'Diaye")
    assert pilot.has("confirm-cancel") and not pilot.has("review-booking")
    assert "ne peut pas vérifier" in said(pilot)
    pilot.tap("confirm-cancel")
    pilot.wait_until(lambda: pilot.screen.pending is None)
    assert "Annulation enregistrée" in said(pilot)


@pytest.mark.parametrize("reference, name, field, words", [
    ("", "Martin", "field-reference", "Tapez la référence"),
    ("rdv_12", "Martin", "field-reference", "lettres, des chiffres et des traits d'union"),
    ("RDV-AB3K-7Q", "", "field-last-name", "Tapez votre nom"),
    ("RDV-AB3K-7Q", "M4rtin", "field-last-name", "que des lettres"),
])
def test_bad_input_is_said_under_its_field(town, make_pilot, reference, name, field, words):
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    pilot.app.visit.fields.update(cancel_reference=reference, cancel_last_name=name)
    pilot.tap("continue")
    assert words in pilot.widget(field).error.replace("’", "'")
    assert not pilot.has("confirm-cancel")


def test_a_qr_code_that_is_not_a_ticket(town, make_pilot):
    pilot = town.pilot(make_pilot)
    open_cancel(pilot)
    events.ScanRead(text="https://www.service-public.fr/", source="camera").post()
    pilot.settle()
    assert "n'est pas celui d'un ticket" in pilot.widget("field-reference").error.replace("’", "'")


def test_offline_cancellation_is_recorded_and_sent_later(town, make_pilot):
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"
    events.NetworkStatus(online=False).post()
    open_cancel(pilot)
    events.ScanRead(text=booking.checkin_token, source="hid").post()   # checked offline, with cached keys
    pilot.settle()
    assert DAY_WORDS in said(pilot)
    pilot.type("N'Diaye")
    cancel_now(pilot)
    assert "Annulation enregistrée" in said(pilot) and "hors ligne" in said(pilot)
    assert state(town, booking.reference) == "booked"       # not sent yet: it waits in the outbox


def test_a_ticket_signed_by_a_key_not_synced_yet_still_gives_its_reference(town, make_pilot):
    booking = booked(town)
    pilot = town.pilot(make_pilot)
    conn = sqlite3.connect(pilot.app.data.cache_path)
    with conn:
        conn.execute("DELETE FROM keys")               # as before the first keys sync: the terminal
        conn.execute("DELETE FROM sync_state WHERE resource = 'keys'")   # cannot judge the key
    conn.close()
    open_cancel(pilot)
    events.ScanRead(text=booking.checkin_token, source="hid").post()
    pilot.settle()
    assert pilot.app.visit.fields["cancel_reference"] == booking.reference and not pilot.has("scanned")
    pilot.type("N'Diaye")
    cancel_now(pilot)
    assert state(town, booking.reference) == "cancelled"


def test_the_check_changes_nothing_and_answers_as_the_cancellation_would(town):
    """checkBookingCancel on the reference server: the booking, then 404 for a wrong name, and
    409 once it is cancelled; the booking is untouched until the cancellation itself."""
    from kiosk.api.errors import Conflict, NotFound

    booking = booked(town)
    body = {"reference": booking.reference, "last_name": "ndiaye", "terminal_id": town.client.device_id}
    found = town.client.check_cancel(booking.reference, body)
    assert (found.reference, found.state, found.start) == (booking.reference, "booked", booking.start)
    assert state(town, booking.reference) == "booked"
    with pytest.raises(NotFound):
        town.client.check_cancel(booking.reference, {**body, "last_name": "Martin"})
    town.client.cancel_booking(booking.reference, body, str(uuid.uuid4()))
    with pytest.raises(Conflict):
        town.client.check_cancel(booking.reference, body)
