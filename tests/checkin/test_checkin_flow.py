"""Check-in at the counter through the real app (profile « counter »), a real data layer and the
reference server on loopback, on the test's clock: every case of issue 12 with its own sentence and
next step, the ticket printed at once, scanning twice (also after a restart), offline numbering from
the terminal's block, the typed reference, and no name on screen."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from counter_town import ON_TIME, SLOT, SLOT_AT, START, printed_texts, said
from timebase import first_slot_at

from kiosk import events
from kiosk.formatting import format_date_long

pytestmark = pytest.mark.reference_server


def scan(pilot, text: str) -> None:
    events.ScanRead(text=text, source="hid").post()
    pilot.settle()


def checked_in(pilot) -> None:
    pilot.wait_until(lambda: pilot.screen.name == "checkin_result")


def test_on_time_by_qr_code_on_the_home_screen(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    assert pilot.screen.is_home and pilot.has("feature-checkin") and pilot.has("feature-walkin")
    scan(pilot, booking.checkin_token)                       # no tile touched: any screen of a counter
    checked_in(pilot)
    words = said(pilot)
    assert "Vous êtes enregistré(e)" in words
    number = pilot.widget("number").text
    assert number == "A001" and pilot.widget("number").size >= 200        # very large
    for expected in ("Carte nationale d'identité", "Rendez-vous à 10 h 30", "Guichet 1 — État civil",
                     "Vous êtes le prochain", "Attente estimée"):
        assert expected in words, expected
    assert "N'Diaye" not in words and "Awa" not in words                   # no name, ever
    assert counter_town.booking_row(booking.reference) == ("arrived", "A001")
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    ticket = printed_texts(pilot)[-1]
    assert "A001" in ticket and "Carte nationale d'identité" in ticket and "N'Diaye" not in ticket
    pilot.tap("finish")
    assert pilot.screen.is_home


def test_scanned_twice_same_number_and_a_reprint_also_after_a_restart(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    scan(pilot, booking.checkin_token)                       # again, on the result screen
    checked_in(pilot)
    assert "Vous êtes déjà enregistré(e)" in said(pilot) and pilot.widget("number").text == "A001"
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert len([t for t in printed_texts(pilot) if "A001" in t]) == 2          # a reprint
    pilot.app.stop()
    # a restart: the memory is in the cache
    again = counter_town.pilot(make_pilot, ON_TIME + timedelta(minutes=2))
    scan(again, booking.checkin_token)
    checked_in(again)
    assert "Vous êtes déjà enregistré(e)" in said(again) and again.widget("number").text == "A001"
    assert counter_town.queue_entries(booking.id) == ["A001"]                  # one check-in on the server


def test_checked_in_elsewhere_the_town_gives_the_first_number(counter_town, make_pilot):
    """Another terminal checked the booking in: the town answers 409 with the first number."""
    booking = counter_town.book()
    counter_town.server_clock.now = ON_TIME
    first = counter_town.client.checkin({"token": booking.checkin_token, "terminal_id":
                                                counter_town.client.device_id, "scanned_at": ON_TIME.isoformat()},
                                               "6f1c9a4e-2b7d-4c3e-9a51-0d8e7f6a5b4c")
    pilot = counter_town.pilot(make_pilot, ON_TIME + timedelta(minutes=1))
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "Vous êtes déjà enregistré(e)" in said(pilot)
    assert pilot.widget("number").text == first.queue_number
    assert counter_town.queue_entries(booking.id) == [first.queue_number]


def test_too_early_says_when_check_in_opens_and_offers_a_walk_in_number(counter_town, make_pilot):
    booking = counter_town.book(service_id="svc-listes-electorales")          # a service giving numbers
    pilot = counter_town.pilot(make_pilot, SLOT_AT - timedelta(minutes=45))
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    words = said(pilot)
    assert "Il est trop tôt pour vous enregistrer" in words and "ouvre à 10 h." in words
    assert pilot.has("walk-in") and counter_town.booking_row(booking.reference)[0] == "booked"   # nothing sent
    pilot.tap("walk-in")
    assert pilot.screen.name == "walkin"


def test_too_early_without_walk_ins_only_says_when(counter_town, make_pilot):
    booking = counter_town.book()                                             # CNI: appointments only
    pilot = counter_town.pilot(make_pilot, SLOT_AT - timedelta(minutes=31))
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "ouvre à 10 h." in said(pilot) and not pilot.has("walk-in")


def test_late_beyond_grace_offers_a_walk_in_number_or_a_new_booking(counter_town, make_pilot):
    booking = counter_town.book(service_id="svc-listes-electorales")
    pilot = counter_town.pilot(make_pilot, SLOT_AT + timedelta(minutes=16))
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    words = said(pilot)
    assert "L'heure de votre rendez-vous est passée" in words and "était à 10 h 30" in words
    assert pilot.has("walk-in") and pilot.has("book")
    pilot.tap("book")                                                         # the booking flow, on that service
    assert pilot.screen.name == "booking_service_info" or "Inscription sur les listes" in said(pilot)
    assert counter_town.booking_row(booking.reference)[0] == "booked"


def test_within_the_grace_is_on_time(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, SLOT_AT + timedelta(minutes=14))
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "Vous êtes enregistré(e)" in said(pilot)


def test_another_day_gives_the_date_in_words(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, START)          # the day before
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    words = said(pilot)
    assert "Votre rendez-vous est un autre jour" in words
    day = format_date_long(SLOT_AT.date(), "fr")
    assert f"Votre rendez-vous (Carte nationale d'identité) est le {day} à 10 h 30." in words


def test_cancelled_booking(counter_town, make_pilot):
    booking = counter_town.book()
    counter_town.client.cancel_booking(booking.id, {"reference": booking.reference, "token": booking.checkin_token,
                                                    "terminal_id": counter_town.client.device_id},
                                       "0b7c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f")
    pilot = counter_town.pilot(make_pilot, ON_TIME)         # its first sync brings the revocation
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "Ce rendez-vous a été annulé" in said(pilot) and pilot.has("book")


def test_forged_and_other_towns_codes_are_not_ours(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    body, _dot, signature = booking.checkin_token.partition(".")
    forged = f"{body}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    scan(pilot, forged)
    checked_in(pilot)
    assert "Ce code n'est pas un rendez-vous de Saint-Clément-des-Vignes" in said(pilot)
    assert counter_town.booking_row(booking.reference)[0] == "booked"
    pilot.tap("again")
    assert pilot.screen.name == "checkin"
    scan(pilot, "https://exemple.org/not-a-booking")          # another kind of code on the check-in screen
    assert "n'est pas le QR code d'un rendez-vous" in said(pilot)


def test_another_towns_code_and_an_unreadable_scan(counter_town, make_pilot):
    """A genuine-looking token signed by a key this town never announced (another town's), then a
    code the scanner could not read: each its own sentence, nothing sent."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.api.checkin_token import decode_unverified
    from kiosk.demo_api.signing import sign

    booking = counter_town.book()
    claims = {**decode_unverified(booking.checkin_token), "kid": "autre-ville-2026"}
    foreign = sign("autre-ville-2026", Ed25519PrivateKey.generate(), claims)
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    scan(pilot, foreign)
    checked_in(pilot)
    assert "Ce code n'est pas un rendez-vous de Saint-Clément-des-Vignes" in said(pilot)
    assert counter_town.booking_row(booking.reference)[0] == "booked"
    pilot.tap("again")
    events.ScanRejected(reason="unreadable", source="camera").post()
    pilot.settle()
    assert pilot.screen.name == "checkin" and "Le code n'a pas pu être lu" in said(pilot)


def test_typed_reference_checks_in(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.tap("feature-checkin")
    assert pilot.screen.name == "checkin"
    pilot.type(booking.reference.lower())
    pilot.tap("continue")
    checked_in(pilot)
    assert "Vous êtes enregistré(e)" in said(pilot) and pilot.widget("number").text == "A001"
    assert not pilot.app.visit.fields                       # the typed reference is not kept


def test_a_terminals_reference_typed_without_hyphens_checks_in_and_a_typo_is_caught_here(counter_town, make_pilot):
    """Issue 14, defect 1: a booking made at a totem carries the totem's own reference (kiosk.api.references)."""
    from kiosk.api.references import ALPHABET, terminal_reference

    mine = terminal_reference(counter_town.client.reference_namespace)
    saved, counter_town.server_clock.now = counter_town.server_clock.now, START
    try:
        counter_town.client.create_booking(
            {"slot_id": SLOT, "service_id": "svc-cni", "channel": "kiosk", "terminal_id": counter_town.client.device_id,
             "created_at": START.isoformat(), "person": {"last_name": "N'Diaye", "first_name": "Awa"},
             "reference": mine}, str(uuid.uuid4()))
    finally:
        counter_town.server_clock.now = saved
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.tap("feature-checkin")
    typo = mine[:5] + next(c for c in ALPHABET if c != mine[5]) + mine[6:]
    pilot.type(typo.replace("-", "").lower())
    pilot.tap("continue")
    assert pilot.screen.name == "checkin" and "faute de frappe" in said(pilot)      # nothing was sent
    assert pilot.app.visit.fields["checkin_reference"] == typo                    # shown as printed
    for _ in typo:
        pilot.tap("key-backspace")                          # the person corrects it
    pilot.type(mine.replace("-", "").lower())
    pilot.tap("continue")
    checked_in(pilot)
    assert "Vous êtes enregistré(e)" in said(pilot) and counter_town.booking_row(mine) == ("arrived", "A001")


def test_unknown_and_malformed_references(counter_town, make_pilot):
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.tap("feature-checkin")
    pilot.tap("continue")
    assert "Tapez la référence" in said(pilot)
    pilot.type("RDV-ZZZZ-99")
    pilot.tap("continue")
    checked_in(pilot)
    assert "Aucun rendez-vous ne correspond à cette référence" in said(pilot) and pilot.has("again")


def test_offline_a_verified_code_gets_a_number_of_the_block_and_the_town_keeps_it(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    base = pilot.app.data.client.base_url
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"       # the network goes down…
    events.NetworkStatus(online=False).post()                   # …and the sync worker says so
    pilot.settle()
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    words = said(pilot)
    number = pilot.widget("number").text
    assert "Vous êtes enregistré(e)" in words and number == "A960"              # the first of this terminal's block
    assert "hors ligne" in words and "avant vous" not in words
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert "hors ligne" in printed_texts(pilot)[-1]
    assert counter_town.booking_row(booking.reference)[0] == "booked"            # not sent yet
    scan(pilot, booking.checkin_token)                                           # scanned again, offline
    checked_in(pilot)
    assert pilot.widget("number").text == "A960"
    pilot.app.data.client.base_url = base                                       # back online
    pilot.app.sync_now()
    pilot.wait_until(lambda: counter_town.booking_row(booking.reference)[0] == "arrived", timeout_s=30)
    assert counter_town.booking_row(booking.reference) == ("arrived", "A960")
    assert counter_town.queue_entries(booking.id) == ["A960"]


def test_offline_a_typed_reference_gets_no_invented_number(counter_town, make_pilot):
    booking = counter_town.book()
    pilot = counter_town.pilot(make_pilot, ON_TIME)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"
    events.NetworkStatus(online=False).post()
    pilot.settle()
    pilot.tap("feature-checkin")
    pilot.type(booking.reference)
    pilot.tap("continue")
    checked_in(pilot)
    assert not pilot.has("number") and "aucun numéro n'a pu être attribué" in said(pilot)


def test_english_and_portrait(counter_town, make_pilot):
    booking = counter_town.book(*first_slot_at("ag-etat-civil-1", "10:30")[:1])
    pilot = counter_town.pilot(make_pilot, ON_TIME, size=(1080, 1920))
    pilot.app.update_settings(language="en")
    pilot.settle()
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "You are checked in" in said(pilot) and "Appointment at 10:30 am" in said(pilot)


def test_offline_before_any_online_check_in_the_letter_comes_from_the_catalog(counter_town, make_pilot):
    """Urbanisme takes walk-ins: the queue board lists it with its walk-in letter (T), never with
    its agenda's (U). A terminal that synced its catalog and blocks, then went offline before any
    online check-in, still numbers a verified booking: the catalog says each agenda's letter."""
    slot, slot_at = first_slot_at("ag-urbanisme", "14:00")
    booking = counter_town.book(slot, "svc-urbanisme")
    pilot = counter_town.pilot(make_pilot, slot_at - timedelta(minutes=10))
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    base = pilot.app.data.client.base_url
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"
    events.NetworkStatus(online=False).post()
    pilot.settle()
    scan(pilot, booking.checkin_token)
    checked_in(pilot)
    assert "Vous êtes enregistré(e)" in said(pilot) and pilot.widget("number").text == "U960"
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert "U960" in printed_texts(pilot)[-1]
    pilot.app.data.client.base_url = base                                       # back online
    pilot.app.sync_now()
    pilot.wait_until(lambda: counter_town.booking_row(booking.reference)[0] == "arrived", timeout_s=30)
    assert counter_town.booking_row(booking.reference) == ("arrived", "U960")
    assert counter_town.queue_entries(booking.id) == ["U960"]
