"""The scan router through the real app, the real data layer and the reference server: real QR
payloads (a receipt's tracking address, a booking ticket signed by the server, garbage) posted
as the scanner posts them, from the home screen and from screens that wait for a kind of code."""

from __future__ import annotations

import uuid

import pytest
from booking_town import START, said, tracking_code
from timebase import first_slot_at

from kiosk import events
from kiosk.devices.scan_codes import ScanKind, read_scan
from kiosk.formatting import format_date_long
from screens.scan_router import ROUTES

TICKET = "Ce code est le billet d'un rendez-vous. Présentez-le à l'accueil de la mairie à votre arrivée."
NOT_OURS = "Cette borne ne peut pas utiliser ce code."
pytestmark = pytest.mark.reference_server   # the town (tests/booking_town.py) starts at KIOSK_TEST_NOW

SLOT, SLOT_AT = first_slot_at("ag-etat-civil-1", "10:30")



def booking_token(town) -> str:
    """The QR code of a booking made elsewhere (the web portal), signed by the central API."""
    booking = town.client.create_booking(
        {"slot_id": SLOT, "service_id": "svc-cni", "channel": "kiosk",
         "terminal_id": town.client.device_id, "created_at": START.isoformat(),
         "person": {"last_name": "Martin", "first_name": "Léa"}}, str(uuid.uuid4()))
    return booking.checkin_token


def scan(pilot, text: str, source: str = "hid") -> None:
    events.ScanRead(text=text, source=source).post()
    pilot.settle()


def test_every_kind_has_one_route():
    assert set(ROUTES) == set(ScanKind)


@pytest.mark.parametrize("form", ["address", "number"])
def test_a_receipt_scanned_on_home_opens_its_status(town, make_pilot, form):
    code = tracking_code(town)
    pilot = town.pilot(make_pilot)
    assert pilot.screen.is_home
    scan(pilot, f"https://demarches.ville.fr/suivi/{code.lower()}" if form == "address" else code)
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    assert "Demande terminée" in pilot.text()
    assert [s.name for s in pilot.app.nav.stack] == ["home", "tracking", "tracking_result"]
    pilot.tap("another")                      # « Un autre numéro »: the tracking flow, as if opened by hand
    assert pilot.screen.name == "tracking" and not pilot.app.visit.fields.get("tracking_code")


def test_a_booking_qr_on_home_says_what_it_is_for(town, make_pilot):
    """On a street totem (on a counter terminal it checks in: tests/checkin)."""
    token = booking_token(town)
    pilot = town.pilot(make_pilot, (1080, 1920), **{"terminal.profile": "street"})
    assert read_scan(token).kind is ScanKind.CHECKIN_TOKEN
    scan(pilot, token, source="camera")
    assert pilot.screen.is_home and TICKET in said(pilot)
    pilot.tap("language")                                  # English
    scan(pilot, token, source="camera")
    assert "This code is an appointment ticket. Show it at the town hall reception" in pilot.text()


def test_a_booking_qr_on_a_counter_terminal_starts_the_check_in_from_any_screen(town, make_pilot):
    token = booking_token(town)
    pilot = town.pilot(make_pilot, (1920, 1080), **{"terminal.profile": "counter"})
    pilot.tap("feature-tracking")                          # in the middle of something else
    scan(pilot, token, source="camera")
    pilot.wait_until(lambda: pilot.screen.name == "checkin_result")
    assert [s.name for s in pilot.app.nav.stack] == ["home", "tracking", "checkin_result"]


def test_a_forged_booking_qr_is_not_ours(town, make_pilot):
    token = booking_token(town)
    body, signature = token.split(".")
    forged = f"{body}.{signature[::-1]}"
    pilot = town.pilot(make_pilot)
    scan(pilot, forged)
    assert pilot.screen.is_home and NOT_OURS in said(pilot) and TICKET not in said(pilot)


def test_a_screen_that_waits_for_a_kind_gets_it_first(town, make_pilot):
    token = booking_token(town)
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-booking")
    pilot.tap("cancel-booking")
    scan(pilot, token)                                    # the cancel form waits for a ticket's QR code
    assert pilot.screen.name == "booking_cancel" and TICKET not in said(pilot)
    assert pilot.app.visit.fields["cancel_reference"].startswith("RDV-")
    assert f"{format_date_long(SLOT_AT.date(), 'fr')} à 10 h 30" in said(pilot)   # e.g. « mercredi 6 mai 2026 »
    scan(pilot, f"https://demarches.ville.fr/suivi/{tracking_code(town)}")   # it explains other codes itself
    assert pilot.screen.name == "booking_cancel" and "pas celui d'un ticket" in said(pilot)


def test_the_tracking_screen_looks_a_receipt_up_in_place(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-tracking")
    scan(pilot, tracking_code(town))
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    assert [s.name for s in pilot.app.nav.stack] == ["home", "tracking", "tracking_result"]


def test_a_receipt_scanned_in_another_flow_opens_its_status(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-booking")
    booking_screen = pilot.screen.name
    scan(pilot, tracking_code(town))
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    pilot.tap("back")
    pilot.tap("back")
    assert pilot.screen.name == booking_screen            # « Retour » leads back where the person was


@pytest.mark.parametrize("garbage", [
    "https://example.org/poster", "3017620422003", "HELLO", "WIFI:S:mairie;T:WPA;P:secret;;",
])
def test_garbage_gets_a_plain_message_anywhere(town, make_pilot, garbage):
    pilot = town.pilot(make_pilot)
    scan(pilot, garbage)
    assert pilot.screen.is_home and NOT_OURS in said(pilot)
    pilot.tap("feature-booking")
    scan(pilot, garbage)
    assert pilot.screen.name != "home" and NOT_OURS in said(pilot)
