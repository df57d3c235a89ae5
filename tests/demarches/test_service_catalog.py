"""The démarches a terminal offers come from the catalog the sync stores: the current version of each
form, only for the profiles it names; a definition the terminal cannot show is stored as unavailable,
logged once with its reason, and never offered; a form updated while a person is filling it in does
not change their session; the town's streets are searched as typed, accents and case ignored."""

from __future__ import annotations

import copy
import logging
from datetime import UTC, datetime

import pytest
from demarche_fixtures import fill_report, invalid_schema_form, pet_form, seed_form, unsupported_widget_form

from kiosk.clock import ManualClock
from kiosk.demarches import DemarchesService, FormUnavailable
from kiosk.demarches.form import form_problem
from offline_cache.db import open_cache
from offline_cache.forms import stored_forms
from offline_cache.from_api import apply_catalog

AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
NO_DELETIONS = {"services": [], "places": [], "pages": [], "events": []}
STREETS = [{"id": "st-vignes", "name": "Rue des Vignes", "postcode": "49170", "latitude": 47.39, "longitude": -0.77},
           {"id": "st-eglise", "name": "Place de l'Église", "postcode": "49170", "latitude": 47.4, "longitude": -0.76},
           {"id": "st-victor", "name": "Avenue Victor-Hugo", "postcode": "49170", "latitude": None, "longitude": None}]


def catalog(forms, *, full=True, streets=STREETS, deleted_forms=(), cursor="1"):
    return {"cursor": cursor, "full": full, "services": [], "places": [], "pages": [], "events": [],
            "forms": forms, "streets": streets, "deleted": {**NO_DELETIONS, "forms": list(deleted_forms)}}


@pytest.fixture
def conn(tmp_path):
    c = open_cache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


def service(conn, profile="street") -> DemarchesService:
    return DemarchesService(lambda: conn, clock=ManualClock(AT), profile=profile)


def store(conn, forms, **kw):
    return apply_catalog(conn, catalog(forms, **kw), AT, check_form=form_problem)


def test_the_terminal_offers_the_forms_of_its_profile_in_its_language(conn):
    counter_only = copy.deepcopy(pet_form())
    counter_only["profiles"] = ["counter"]
    counts = store(conn, [seed_form("acte-etat-civil"), seed_form("signalement-voirie"), counter_only])
    assert counts["forms"] == 3 and counts["streets"] == 3
    street = service(conn).offered("fr")
    assert [c.id for c in street] == ["acte-etat-civil", "signalement-voirie"]
    assert street[0].title == "Demande d'acte d'état civil" and street[0].before.cost == "Gratuit"
    assert street[1].kind == "report"
    english = service(conn).offered("en")
    assert english[0].title == "Civil-status record request" and not english[0].in_french_only
    assert [c.id for c in service(conn, "counter").offered("en")] == ["acte-etat-civil", "declaration-chien",
                                                                      "signalement-voirie"]
    assert service(conn, "display").offered("fr") == []


def test_an_unshowable_definition_is_stored_unavailable_with_one_log_line(conn, caplog):
    caplog.set_level(logging.WARNING, logger="offline_cache.forms")
    forms = [seed_form("signalement-voirie"), unsupported_widget_form(), invalid_schema_form()]
    store(conn, forms)
    store(conn, forms, cursor="2")                      # the next sync brings them again: no new line
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["form formulaire-signature version 1 is unavailable on this terminal: "
                     "field 'owner_name' has the unsupported widget 'signature'",
                     "form formulaire-casse version 1 is unavailable on this terminal: "
                     "its schema is invalid ('two' is not of type 'integer')"]
    stored = {f.id: f for f in stored_forms(conn)}
    assert not stored["formulaire-signature"].available and stored["signalement-voirie"].available
    assert [c.id for c in service(conn).offered("fr")] == ["signalement-voirie"]
    with pytest.raises(FormUnavailable):
        service(conn).start("formulaire-signature", "fr")
    fixed = copy.deepcopy(unsupported_widget_form())
    fixed["version"] = 2
    fixed["ui"]["fields"]["owner_name"]["widget"] = "text"
    store(conn, [seed_form("signalement-voirie"), fixed], full=False)   # the town fixes it
    assert "formulaire-signature" in [c.id for c in service(conn).offered("fr")]


def test_a_form_update_mid_visit_does_not_change_the_session(conn):
    store(conn, [pet_form(version=1)])
    demarches = service(conn)
    session = demarches.start("declaration-chien", "fr")
    session.set_answer("category", "none")
    assert session.next()
    newer = pet_form(version=2)
    newer["title"]["fr"] = "Déclarer un chien (nouveau)"
    newer["ui"]["pages"][1]["fields"].remove("phone")
    del newer["schema"]["properties"]["phone"]
    newer["ui"]["fields"].pop("phone")
    store(conn, [newer], full=False, cursor="2")      # synced while the person is on page 2
    assert [f.version for f in stored_forms(conn)] == [2]                    # only the current version is kept
    assert session.form.version == 1 and session.title == "Déclarer un chien"
    assert [f.name for f in session.page.fields] == ["owner_name", "phone", "muzzle"]
    session.set_answer("owner_name", "Léa Martin")
    session.set_answer("muzzle", True)
    assert session.next() and session.next() and session.at_summary
    action = demarches.action(session)                                     # filed on the version started
    assert (action.payload["form_id"], action.payload["form_version"]) == ("declaration-chien", 1)
    later = demarches.start("declaration-chien", "fr")                      # the next person gets the new one
    assert later.form.version == 2 and later.title == "Déclarer un chien (nouveau)"


def test_deleted_and_withdrawn_forms_are_no_longer_offered(conn):
    store(conn, [seed_form("acte-etat-civil"), seed_form("signalement-voirie")])
    store(conn, [], full=False, deleted_forms=["acte-etat-civil"], cursor="2")
    assert [c.id for c in service(conn).offered("fr")] == ["signalement-voirie"]
    store(conn, [], full=True, streets=[], cursor="3")   # a whole catalog without them: none left
    assert service(conn).offered("fr") == [] and service(conn).search_streets("rue") == []


def test_streets_are_searched_as_typed(conn):
    store(conn, [])
    demarches = service(conn)
    assert [s.id for s in demarches.search_streets("eglise")] == ["st-eglise"]
    assert [s.id for s in demarches.search_streets("VICTOR hug")] == ["st-victor"]
    assert [s.id for s in demarches.search_streets("vi")] == ["st-victor", "st-vignes"]    # a word starting so first
    assert [s.name for s in demarches.search_streets("des vignes")] == ["Rue des Vignes"]
    assert demarches.search_streets("100%_") == [] and len(demarches.search_streets("", limit=2)) == 2


def test_a_location_in_the_street_list_reads_as_number_and_street(conn):
    store(conn, [seed_form("signalement-voirie")])
    session = service(conn).start("signalement-voirie", "fr")
    fill_report(session, where={"kind": "street", "street_id": "st-vignes", "number": "12 bis"})
    assert next(r.display for r in session.summary() if r.field == "where") == "12 bis Rue des Vignes"
