"""Filing both démarches through the screens' service against the reference server: online, the
town's tracking number at once, which « Suivre ma demande » then finds; offline, the outbox and a
pending receipt, then exactly one démarche on the server after the sync; nothing personal left in
the logs or in the terminal's files once the server has acknowledged it."""

from __future__ import annotations

import logging
import re

import pygame
import pytest
from dem_town import START, DemTown, town_at
from demarche_fixtures import fill_civil_status, fill_report

from kiosk import events
from kiosk.clock import ManualClock
from kiosk.config import TrackingConfig
from kiosk.tracking.service import TrackingService
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

CODE = re.compile(r"^[A-Z]{4}-[0-9]{4}$")
# what the person types: distinctive, so that finding any of it anywhere is not a coincidence
PERSONAL = ("Quenouillère", "Ysaline", "ysaline.q@exemple.fr", "0687654321", "Tonneliers-Bis")


@pytest.fixture
def town(tmp_path):
    yield from town_at(tmp_path)


@pytest.fixture(autouse=True)
def event_queue():
    pygame.display.init()
    pygame.event.clear()
    yield
    pygame.display.quit()


def fill_acte(session, **kw):
    fill_civil_status(session, **kw)
    session.edit("person")
    session.set_answer("last_name", "Quenouillère")
    session.set_answer("first_names", "Ysaline")
    assert session.next() and session.at_summary


def track(town: DemTown, code: str):
    """« Suivre ma demande » on this terminal, as its screen asks it."""
    service = TrackingService(TrackingConfig(), ManualClock(START), cache_path=town.cache,
                              secret_path=town.run_dir / "tracking.key",
                              client_factory=lambda: town.client.clone(read_timeout_s=3, max_attempts=1))
    service.lookup(code)
    service.join()
    [answer] = [e.answer for e in pygame.event.get(events.TRACKING_RESULT)]
    return answer


def files_hold(town: DemTown, words) -> list[str]:
    found = []
    for path in town.run_dir.iterdir():
        if path.is_file() and path.name != "credentials.json":
            data = path.read_bytes()
            found += [f"{w} in {path.name}" for w in words if w.encode() in data]
    return found


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_civil_status_request_filed_online_gets_its_number_and_is_followed(town, language, caplog):
    caplog.set_level(logging.DEBUG)
    demarches = town.services().demarches
    session = demarches.start("acte-etat-civil", language)
    fill_acte(session, copy_kind="full", link="descendant", delivery="post")
    receipt = demarches.submit_now(session)
    assert receipt.status == "received" and CODE.match(receipt.tracking_code or ""), receipt
    assert receipt.qr_data == "https://demarches.ville-exemple.fr/suivi/" + receipt.tracking_code
    assert receipt.title == ("Demande d'acte d'état civil" if language == "fr" else "Civil-status record request")
    assert receipt.next_steps and (receipt.next_steps.startswith("La mairie") if language == "fr"
                                   else receipt.next_steps.startswith("The town hall"))
    [filed] = town.demarches()
    assert (filed["form_id"], filed["form_version"], filed["language"]) == ("acte-etat-civil", 1, language)
    assert town.answers_of(receipt.tracking_code)["last_name"] == "Quenouillère"
    answer = track(town, receipt.tracking_code)
    assert answer.outcome == "found" and answer.request.request_type == "Demande d'acte d'état civil"
    assert [s.label for s in answer.request.steps][0] == "Demande reçue"
    session.wipe()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [w for w in PERSONAL if w in logged]
    assert files_hold(town, PERSONAL) == []                # acknowledged: the outbox forgot the answers


def test_a_street_report_filed_online_names_the_street(town):
    demarches = town.services().demarches
    [street] = demarches.search_streets("tonneliers")
    session = demarches.start("signalement-voirie", "fr")
    fill_report(session, where={"kind": "street", "street_id": street.id, "number": "12 bis"},
                description="Un trou profond devant le 12 bis, dangereux pour les vélos.")
    receipt = demarches.submit_now(session)
    assert receipt.received and CODE.match(receipt.tracking_code or "")
    [filed] = town.demarches()
    assert (filed["kind"], filed["channel"]) == ("report", "kiosk")
    assert filed["address"].startswith("12 bis Rue des Tonneliers, ")
    assert track(town, receipt.tracking_code).request.steps[0].label == "Signalement reçu"


def test_offline_filing_then_sync_gives_exactly_one_demarche_found_by_its_number(town, caplog):
    caplog.set_level(logging.DEBUG)
    demarches = town.services().demarches
    town.online = False
    session = demarches.start("signalement-voirie", "fr")
    fill_report(session, description="Le banc devant la rue des Tonneliers-Bis est cassé.")
    assert session.needs_contact(offline=demarches.is_offline)
    assert session.set_contact(phone="06 87 65 43 21", email="ysaline.q@exemple.fr") == {}
    receipt = demarches.submit_now(session)
    session.wipe()
    assert receipt.pending and receipt.notice == "Votre numéro de suivi vous sera envoyé par SMS ou par e-mail."
    assert town.demarches() == []
    assert files_hold(town, PERSONAL[2:]) != []          # kept in the outbox until the town has it
    town.online = True
    first = town.sync()
    town.sync()                                          # a second round sends nothing more
    assert len(first.push.acknowledged) == 1
    [filed] = town.demarches()
    assert filed["contact"] is not None and "0687654321" in filed["contact"]
    conn = open_cache(town.cache)
    try:
        row = Outbox(conn).get(first.push.acknowledged[0])
        assert row is not None and row.personal is None
        code = (row.server_summary or {})["tracking_code"]
    finally:
        conn.close()
    assert code == filed["tracking_code"]
    assert track(town, code).outcome == "found"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [w for w in PERSONAL if w in logged]
    assert files_hold(town, PERSONAL) == []


def test_a_form_update_mid_visit_files_on_the_version_started(town):
    from demarche_fixtures import seed_form

    from kiosk.demo_api import admin

    demarches = town.services().demarches
    session = demarches.start("acte-etat-civil", "fr")
    session.set_answer("record_type", "death")
    session.set_answer("copy_kind", "without_parents")
    assert session.next()
    newer = seed_form("acte-etat-civil")
    newer["title"] = {"fr": "Demander un acte d'état civil", "en": "Ask for a civil-status record"}
    assert admin.publish_form(town.db_path, newer, town.server_clock) == 2
    town.sync()                                          # synced while the person is on page 2
    assert [c.version for c in demarches.offered("fr") if c.id == "acte-etat-civil"] == [2]
    session.set_answer("requester_link", "other")
    assert session.next() and session.page.id == "person"
    assert session.back() and session.back() and session.page.number == 1
    fill_acte(session, record="death")                   # every page again, on version 1
    receipt = demarches.submit_now(session)
    assert receipt.received and receipt.title == "Demande d'acte d'état civil"
    [filed] = town.demarches()
    assert filed["form_version"] == 1
    later = demarches.start("acte-etat-civil", "fr")
    assert later.form.version == 2 and later.title == "Demander un acte d'état civil"


def test_a_form_withdrawn_mid_visit_is_refused_with_a_plain_sentence(town):
    from kiosk.demo_api import admin

    demarches = town.services().demarches
    session = demarches.start("signalement-voirie", "en")
    fill_report(session)
    admin.withdraw_form(town.db_path, "signalement-voirie")
    receipt = demarches.submit_now(session)
    assert receipt.status == "refused" and receipt.tracking_code is None
    assert receipt.message == ("This procedure is no longer offered. Nothing was filed. "
                               "Please ask at the reception desk.")
    town.sync()
    assert [c.id for c in demarches.offered("en")] == ["acte-etat-civil"]
