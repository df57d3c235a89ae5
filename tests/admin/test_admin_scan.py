"""The demo's scanner fed from the admin screen (issue 14, defect 15), and the real address of
the central API there.

Every code chosen or typed goes through the simulated scanner driver and the one scan router:
the kiosk goes home first and then does what it does for a person's scan — a receipt opens its
request, a code not the town's gets the router's message, a genuine ticket is checked in on a
counter terminal and a forged one refused."""

from __future__ import annotations

import pytest
from support import open_admin, settle_until
from timebase import test_now

from kiosk.admin import demo_scans
from kiosk.clock import ManualClock
from kiosk.data_layer import DataLayer

NOT_OURS = "Cette borne ne peut pas utiliser ce code."


def _scan_screen(pilot) -> None:
    open_admin(pilot)
    pilot.tap("scan-by-hand")
    assert pilot.screen.name == "admin_scan"


def test_a_receipt_number_opens_its_request_as_a_real_scan_would(pilot):
    _scan_screen(pilot)
    code = pilot.app.tracking.demo_codes()[0]
    pilot.tap("sample-receipt")
    settle_until(pilot, lambda: pilot.screen.name == "tracking")
    # looked up at once (here with no central API: it says it cannot check it now)
    settle_until(pilot, lambda: "impossible de vérifier ce numéro" in pilot.text())
    assert pilot.widget("code").value == code


def test_a_code_not_from_the_town_gets_the_routers_message_on_the_home_screen(pilot):
    _scan_screen(pilot)
    pilot.tap("sample-not-ours")
    assert pilot.screen.name == "home"
    settle_until(pilot, lambda: NOT_OURS in pilot.text(), timeout=3)


def test_a_typed_code_is_scanned_and_the_drivers_rules_apply(pilot):
    _scan_screen(pilot)
    pilot.type("bonjour")
    pilot.tap("key-enter")
    assert pilot.screen.name == "home"
    settle_until(pilot, lambda: NOT_OURS in pilot.text(), timeout=3)
    # the simulated driver refuses a control character, as it would from its socket
    assert pilot.app.devices.scan_by_hand("ab\x07cd") is False
    settle_until(pilot, lambda: "Le code n’a pas pu être lu. Scannez-le de nouveau." in pilot.text(), timeout=3)


def test_without_a_central_api_the_tickets_cannot_be_made(pilot):
    _scan_screen(pilot)
    assert not pilot.widget("sample-ticket").enabled and not pilot.widget("sample-forged").enabled
    pilot.tap("back")
    assert pilot.screen.name == "admin"


def test_no_scan_by_hand_with_a_real_or_no_scanner(make_pilot):
    pilot = make_pilot(demo=False, overrides={"scanner.type": "none"})
    open_admin(pilot)
    assert not pilot.has("scan-by-hand")
    assert pilot.app.devices.scan_by_hand("KMRT-4821") is False


def test_the_forgery_is_the_same_content_with_another_signature():
    from kiosk.api.checkin_token import decode_unverified
    from kiosk.devtools.screenshots.booking import sample_token

    genuine = sample_token("RDV-ABCD-12", test_now())
    fake = demo_scans.forged(genuine)
    assert fake.split(".")[0] == genuine.split(".")[0] and fake != genuine
    assert decode_unverified(fake) == decode_unverified(genuine)
    assert demo_scans.forged(genuine) == fake          # the same ticket, the same forgery


@pytest.mark.reference_server
def test_demo_shows_its_real_api_address_and_checks_in_a_genuine_ticket_not_a_forged_one(make_pilot):
    pilot = make_pilot((1920, 1080), clock=ManualClock(test_now()), data=DataLayer.demo,
                       overrides={"terminal.profile": "counter"})
    settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None, timeout=30)
    open_admin(pilot)
    url = pilot.app.data.api.url
    assert ":8765" not in url
    assert f"API centrale\u00a0: {url}" in pilot.text()
    pilot.tap("scan-by-hand")
    pilot.tap("sample-ticket")
    settle_until(pilot, lambda: pilot.screen.name == "checkin_result", timeout=15)
    genuine = pilot.text()
    assert "pas un rendez-vous de" not in genuine      # recognised: checked in, or told when to come
    open_admin(pilot)
    pilot.tap("scan-by-hand")
    pilot.tap("sample-forged")
    settle_until(pilot, lambda: pilot.screen.name == "checkin_result", timeout=15)
    assert "Ce code n’est pas un rendez-vous de Saint-Clément-des-Vignes" in pilot.text()


@pytest.mark.reference_server
def test_a_terminal_names_the_central_api_it_is_configured_for(make_pilot, town):
    pilot = town.start(make_pilot)
    open_admin(pilot)
    assert f"API centrale\u00a0: {town.base}" in pilot.text()
