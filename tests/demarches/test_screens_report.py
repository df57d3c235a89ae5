"""« Signaler un problème dans la rue » at the terminal, against the reference server: a street
picked from the town's list as one types, the description judged, filed in French and English."""

from __future__ import annotations

import pytest
from booking_town import said
from screens_steps import demarches_pilot, report_pages, send, start

pytestmark = pytest.mark.reference_server


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_report_in_a_street_is_filed_and_followed(town, make_pilot, language):
    pilot = demarches_pilot(town, make_pilot)
    if language == "en":
        pilot.tap("language")
    start(pilot, "signalement-voirie")
    pilot.tap("choice-category-lighting")
    pilot.tap("continue")
    assert pilot.widget("where-where-here").selected                    # « ici » until said otherwise
    pilot.tap("where-where-street")
    pilot.type("vign")
    assert "Rue des Vignes" in pilot.widget("search-where-match-0").visible_text()
    pilot.tap("search-where-match-0")
    pilot.type("12 bis")
    pilot.tap("continue")
    assert pilot.screen.page_id == "description"
    pilot.type("Eteint")
    pilot.tap("continue")                                         # too short: said under the field
    assert pilot.screen.page_id == "description"
    assert "10" in pilot.widget("input-description").error
    pilot.type(" depuis lundi soir")
    pilot.tap("continue")
    pilot.tap("continue")                                         # no contact: it is optional online
    words = said(pilot)
    assert ("12 bis Rue des Vignes" in words) and ("Eteint depuis lundi soir" in words)
    assert ("Éclairage public" if language == "fr" else "Street lighting") in words
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    code = pilot.widget("tracking-code").text
    assert town.client.tracked_request(code).tracking_code == code


def test_here_is_the_default_place_and_needs_no_typing(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    start(pilot, "signalement-voirie")
    report_pages(pilot, street="", email="marie@exemple.fr")
    assert "Ici, près de cette borne" in said(pilot)
    send(pilot)
    assert pilot.screen.name == "demarche_receipt"
