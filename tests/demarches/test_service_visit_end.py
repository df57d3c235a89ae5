"""The answers of a démarche live only in memory, in the visit: the idle reset (or any end of the
visit) wipes the session itself, whoever still holds it — the next person finds nothing."""

from __future__ import annotations

from demarche_fixtures import fill_civil_status, seed_form

from kiosk.demarches import Session, parse_form


def test_idle_reset_wipes_a_session_kept_in_the_visit(make_pilot):
    pilot = make_pilot(overrides={"idle.warn_after_s": 10, "idle.reset_after_s": 5})
    session = Session(parse_form(seed_form("acte-etat-civil")), "fr")
    fill_civil_status(session, copy_kind="full", link="self", delivery="post")
    session.set_contact(phone="06 12 34 56 78")
    pilot.tap("help")                                   # somewhere in a visit
    pilot.app.visit.drafts["demarche"] = session
    assert pilot.app.visit.has_personal_data
    pilot.advance(15)                                   # the warning, then the reset
    assert pilot.screen.name == "home" and pilot.app.visit.drafts == {}
    assert session.wiped and session.answers() == {} and not session.contact
    assert session.summary() == [] and session.page.number == 1
