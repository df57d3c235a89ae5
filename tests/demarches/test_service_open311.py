"""Reports sent to Open311 (``[demarches] reports_to = "open311"``) against the reference server's
GeoReport v2 side: the same outbox row of kind ``demarche``, form-encoded with the terminal's token
as api_key and the row's UUID as Idempotency-Key; the service_request_id is the tracking number
« Suivre ma demande » finds; offline, exactly one report after the sync; a civil-status request
still takes the contract's own call."""

from __future__ import annotations

import re

import pytest
import requests
from dem_town import town_at
from demarche_fixtures import fill_civil_status, fill_report

from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

CODE = re.compile(r"^[A-Z]{4}-[0-9]{4}$")


@pytest.fixture
def town(tmp_path):
    yield from town_at(tmp_path)


def open311_request(town, code: str) -> dict:
    r = requests.get(f"{town.base}/open311/v2/requests/{code}.json", timeout=5)
    assert r.status_code == 200, r.text
    [request] = r.json()
    return request


def test_a_report_goes_to_open311_from_here(town):
    services = town.services(**{"demarches.reports_to": "open311"})
    demarches = services.demarches
    session = demarches.start("signalement-voirie", "fr")
    fill_report(session, category="cleanliness", description="Des sacs d'ordures éventrés sur le trottoir.",
                email="riverain@exemple.fr")
    action = demarches.action(session)
    assert action.payload["open311"]["service_code"] == "proprete"
    assert (action.payload["open311"]["lat"], action.payload["open311"]["long"]) == demarches.here
    assert "description" not in str(action.payload)          # the typed text stays in the personal part
    receipt = demarches.submit_now(session)
    assert receipt.received and CODE.match(receipt.tracking_code or "")
    [filed] = town.demarches()
    assert (filed["channel"], filed["service_code"], filed["tracking_code"]) == ("open311", "proprete",
                                                                                 receipt.tracking_code)
    seen = open311_request(town, receipt.tracking_code)
    assert seen["service_code"] == "proprete" and seen["status"] == "open"
    assert (seen["lat"], seen["long"]) == demarches.here and "email" not in seen
    conn = open_cache(town.cache)
    try:
        assert conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0   # erased after the answer
    finally:
        conn.close()


def test_a_report_in_a_street_of_the_list_sends_its_address(town):
    demarches = town.services(**{"demarches.reports_to": "open311"}).demarches
    [street] = demarches.search_streets("pressoir")
    session = demarches.start("signalement-voirie", "en")
    fill_report(session, where={"kind": "street", "street_id": street.id, "number": "3"}, category="lighting")
    receipt = demarches.submit_now(session)
    assert receipt.received
    seen = open311_request(town, receipt.tracking_code)
    assert seen["address"].startswith("3 Rue du Pressoir, ") and seen["service_code"] == "eclairage"
    assert (seen["lat"], seen["long"]) == (street.latitude, street.longitude)


def test_an_offline_report_reaches_open311_once_after_the_sync(town):
    demarches = town.services(**{"demarches.reports_to": "open311"}).demarches
    town.online = False
    session = demarches.start("signalement-voirie", "fr")
    fill_report(session, category="green_spaces", description="Une branche cassée pend au-dessus du banc.")
    session.set_contact(phone="0611223344")
    receipt = demarches.submit_now(session)
    assert receipt.pending and town.demarches() == []
    town.online = True
    assert len(town.sync().push.acknowledged) == 1
    assert town.sync().push.acknowledged == []
    [filed] = town.demarches()
    assert (filed["channel"], filed["service_code"]) == ("open311", "espaces-verts")
    assert "0611223344" in filed["contact"]
    conn = open_cache(town.cache)
    try:
        [row] = [r for r in Outbox(conn).due(town.clock.now().replace(year=2100)) if r.kind == "demarche"] or [None]
        assert row is None                                   # nothing left to send
    finally:
        conn.close()
    assert open311_request(town, filed["tracking_code"])["service_code"] == "espaces-verts"


def test_requests_still_take_the_contracts_call(town):
    demarches = town.services(**{"demarches.reports_to": "open311"}).demarches
    session = demarches.start("acte-etat-civil", "fr")
    fill_civil_status(session)
    assert "open311" not in demarches.action(session).payload
    receipt = demarches.submit_now(session)
    assert receipt.received and town.demarches()[0]["channel"] == "kiosk"


def test_a_configured_open311_address_is_used(town):
    demarches = town.services(**{"demarches.reports_to": "open311",
                                 "demarches.open311_url": f"{town.base}/open311/v2"}).demarches
    session = demarches.start("signalement-voirie", "fr")
    fill_report(session)
    assert demarches.action(session).payload["open311"]["url"] == f"{town.base}/open311/v2"
    assert demarches.submit_now(session).received
