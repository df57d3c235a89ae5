"""« Demande d'acte d'état civil » at the terminal, against the reference server: filed end to end
in French and in English (the tracking number shown, printed and found by « Suivre ma demande »),
the law's refusal said under the question, « Modifier » from the summary."""

from __future__ import annotations

import pytest
import zxingcpp
from booking_town import said
from screens_steps import civil_status_pages, demarches_pilot, send, start, step

pytestmark = pytest.mark.reference_server


def test_a_full_copy_by_post_filed_in_french_gives_a_tracking_number_the_town_knows(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    start(pilot, "acte-etat-civil")
    assert step(pilot).startswith("Étape 1 sur")
    civil_status_pages(pilot, copy="full", link="self", father="Jean Lefèvre")
    words = said(pilot)
    for shown in ("Naissance", "Copie intégrale", "Lefèvre-Müller", "Ève Marie", "mercredi 14 décembre 2016",
                  "Angers", "Jean Lefèvre", "12 bis rue des Vignes, 49290 Chalonnes-sur-Loire"):
        assert shown in words, shown
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    code = pilot.widget("tracking-code").text
    assert len(code) == 9 and code[4] == "-"
    assert "Suivre ma demande" in said(pilot)
    tracked = town.client.tracked_request(code)          # the town has it, under that number
    assert tracked.tracking_code == code and tracked.steps[0].done
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    receipt = pilot.app.devices.printer.backend.receipts[-1]
    found = zxingcpp.read_barcodes(receipt.convert("L"))
    assert found and code in found[0].text
    # nothing typed stays: the session is wiped and « Retour » leads nowhere near the answers
    assert not any(key.startswith("demarche.") for key in pilot.app.visit.fields)
    assert "demarche" not in pilot.app.visit.drafts
    assert [s.name for s in pilot.app.nav.stack] == ["home", "demarche_receipt"]
    pilot.tap("finish")
    assert pilot.screen.name == "home"


def test_an_extract_collected_at_the_town_hall_filed_in_english(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    pilot.tap("language")
    start(pilot, "acte-etat-civil")
    assert step(pilot).startswith("Step 1 of") and "Civil-status record request" in step(pilot)
    civil_status_pages(pilot, record="death", copy="without_parents", link="other", delivery="town_hall")
    words = said(pilot)
    assert "Check your request" in words and "Death" in words and "Extract without parents" in words
    assert "Jean" not in words                           # no parents' page for this copy
    send(pilot)
    assert pilot.screen.name == "demarche_receipt", said(pilot)
    assert "Follow my request" in said(pilot)
    assert town.client.tracked_request(pilot.widget("tracking-code").text)


def test_a_full_copy_asked_by_someone_else_is_refused_with_the_reason_under_the_question(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    start(pilot, "acte-etat-civil")
    pilot.tap("choice-record_type-birth")
    pilot.tap("choice-copy_kind-full")
    pilot.tap("continue")
    pilot.tap("choice-requester_link-other")
    before = pilot.widget("continue").rect.copy()
    pilot.tap("continue")
    assert pilot.screen.page_id == "requester"                    # the page stays
    error = pilot.widget("error-requester_link").text
    assert "ne peut être demandé que par la personne" in error and "extrait sans filiation" in error
    assert pilot.widget("continue").rect == before                # nothing moved under the finger
    pilot.tap("language")                                         # the reason, in English too
    assert "may only be requested by" in pilot.widget("error-requester_link").text
    assert pilot.widget("step").text.startswith("Step 2 of")
    pilot.tap("choice-requester_link-descendant")                 # a grandchild may ask
    assert pilot.widget("error-requester_link").text == ""
    pilot.tap("continue")
    assert pilot.screen.page_id == "person"


def test_modifier_on_the_summary_opens_that_page_and_comes_back(town, make_pilot):
    pilot = demarches_pilot(town, make_pilot)
    start(pilot, "acte-etat-civil")
    civil_status_pages(pilot, copy="without_parents", link="other", delivery="town_hall")
    pilot.tap("edit-person")
    assert pilot.screen.name == "demarche_page" and pilot.screen.page_id == "person"
    assert pilot.widget("input-last_name").value == "Lefèvre-Müller"     # what was typed is there
    pilot.tap("input-last_name")
    for _ in range(len("-Müller")):
        pilot.tap("key-backspace")
    pilot.tap("continue")
    assert pilot.screen.name == "demarche_summary"                # straight back, not page by page
    assert pilot.widget("summary-last_name").text == "Lefèvre"
    # a change that needs more: by post now asks for the address on that page
    pilot.tap("edit-delivery")
    pilot.tap("choice-delivery-post")
    pilot.tap("continue")
    assert pilot.screen.page_id == "delivery" and pilot.widget("error-address").text
    pilot.type("3 place du Marché")
    pilot.tap("key-enter")
    pilot.type("49290")
    pilot.tap("key-enter")
    pilot.type("Saint-Clément")
    pilot.tap("continue")
    assert pilot.screen.name == "demarche_summary"
    assert "3 place du Marché" in said(pilot)
    assert [s.name for s in pilot.app.nav.stack].count("demarche_summary") == 1

