"""A démarche's visit at the terminal, against the reference server: the idle reset drops
everything typed; filed offline, the contact step comes first and the receipt says the number
will be sent; a form the terminal cannot show is not offered, and no form at all is said plainly."""

from __future__ import annotations

import logging

import pytest
from booking_town import said
from demarche_fixtures import unsupported_widget_form
from screens_steps import civil_status_pages, demarches_pilot, report_pages, send, start

from kiosk import events
from kiosk.demo_api import admin, db

pytestmark = pytest.mark.reference_server


def _sync_until_gone(pilot, form_id: str) -> None:
    """A sync round brings the withdrawal (the app's clock stands still: watch the cache)."""
    pilot.wait_until(lambda: pilot.app.sync_now())
    pilot.wait_until(lambda: form_id not in [c.id for c in pilot.app.services.demarches.offered("fr")])


def test_the_idle_reset_in_the_middle_drops_everything_typed(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot, **{"idle.warn_after_s": 10, "idle.reset_after_s": 5})
    start(pilot, "acte-etat-civil")
    pilot.tap("choice-record_type-birth")
    pilot.tap("choice-copy_kind-without_parents")
    pilot.tap("continue")
    pilot.tap("choice-requester_link-other")
    pilot.tap("continue")
    pilot.type("Lefèvre-Müller")
    session = pilot.screen.session
    assert any(v == "Lefèvre-Müller" for v in pilot.app.visit.fields.values())
    pilot.advance(16)                                             # the warning, then the reset
    assert pilot.screen.name == "home"
    assert pilot.app.visit.fields == {} and pilot.app.visit.drafts == {}
    assert session.wiped and session.answers() == {}
    start(pilot, "acte-etat-civil")                               # the next person starts afresh
    assert pilot.screen.session is not session and pilot.screen.session.answers() == {}
    assert not pilot.widget("choice-record_type-birth").selected


def test_filed_offline_the_contact_comes_first_and_the_receipt_says_the_number_will_be_sent(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"       # the network goes down…
    events.NetworkStatus(online=False).post()                     # …and the sync worker says so
    pilot.settle()
    start(pilot, "acte-etat-civil")
    civil_status_pages(pilot, copy="without_parents", link="other", delivery="town_hall")
    pilot.tap("send")
    assert pilot.screen.name == "demarche_contact"
    assert "hors ligne" in pilot.widget("why").text
    pilot.tap("send")                                             # nothing given: asked again, why
    assert pilot.screen.name == "demarche_contact" and "hors ligne" in pilot.widget("contact-phone").error
    pilot.type("06 12 34")
    pilot.tap("key-enter")
    pilot.tap("send")
    assert "10 chiffres" in pilot.widget("contact-phone").error  # a phone number that cannot be one
    pilot.tap("contact-phone")
    for _ in range(6):
        pilot.tap("key-backspace")
    pilot.tap("contact-email")
    pilot.type("eve.lefevre@exemple.fr")
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    assert not pilot.has("tracking-code") and "par e-mail" in pilot.widget("pending-note").text   # as given
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert not any(key.startswith("demarche.") for key in pilot.app.visit.fields)


def test_a_report_offline_with_its_own_contact_needs_no_contact_step(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"
    events.NetworkStatus(online=False).post()
    pilot.settle()
    start(pilot, "signalement-voirie")
    report_pages(pilot, email="marie@exemple.fr")
    send(pilot)
    assert pilot.screen.name == "demarche_receipt" and pilot.has("pending-note")


def test_a_form_the_terminal_cannot_show_is_not_offered_and_says_why_in_the_log(town, make_pilot, caplog):
    caplog.set_level(logging.WARNING)
    conn = db.connect(town.db_path)
    with db.write(conn):                        # a town's mistake the server let through
        db.put_catalog(conn, "form", {**unsupported_widget_form(), "profiles": ["street", "counter"]})
    conn.close()
    pilot = demarches_pilot(town, make_pilot)
    pilot.tap("feature-demarches")
    assert pilot.has("demarche-acte-etat-civil") and pilot.has("demarche-signalement-voirie")
    assert not pilot.has("demarche-formulaire-signature")
    assert any("formulaire-signature" in r.getMessage() and "signature" in r.getMessage()
               for r in caplog.records)


def test_no_form_at_all_and_a_form_withdrawn_meanwhile_are_said_plainly(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    pilot.tap("feature-demarches")
    pilot.tap("demarche-signalement-voirie")
    admin.withdraw_form(town.db_path, "signalement-voirie")      # withdrawn while the person reads
    _sync_until_gone(pilot, "signalement-voirie")
    pilot.tap("start")
    assert pilot.screen.name == "demarche_before"
    assert "n’est plus proposée" in pilot.widget("unavailable").text
    admin.withdraw_form(town.db_path, "acte-etat-civil")
    _sync_until_gone(pilot, "acte-etat-civil")
    pilot.tap("back")
    pilot.tap("back")
    pilot.tap("feature-demarches")
    assert "Aucune démarche" in pilot.widget("unavailable").text and "accueil de la mairie" in said(pilot)
