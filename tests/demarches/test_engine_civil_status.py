"""The civil-status form at engine level: the law on who may ask for which copy (every requester
link × every copy kind), said under the field in the visit's language with the town's reason; the
parents' names asked only when the copy shows them; the postal address only for delivery by post."""

from __future__ import annotations

import itertools

import pytest
from demarche_fixtures import fill_civil_status, seed_form

from kiosk.api.form_answers import shown_fields as contract_shown_fields
from kiosk.demarches import Session, parse_form

LINKS = ["self", "spouse", "ascendant", "descendant", "legal_representative", "other"]
COPIES = ["full", "with_parents", "without_parents", "multilingual"]
FAMILY = {"self", "spouse", "ascendant", "descendant", "legal_representative"}
FORM = parse_form(seed_form("acte-etat-civil"))


def _at_requester(language: str, copy_kind: str) -> Session:
    session = Session(FORM, language)
    session.set_answer("record_type", "marriage")
    session.set_answer("copy_kind", copy_kind)
    assert session.next() and session.page.id == "requester"
    return session


@pytest.mark.parametrize(("link", "copy_kind"), list(itertools.product(LINKS, COPIES)))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_who_may_ask_for_which_copy(link, copy_kind, language):
    session = _at_requester(language, copy_kind)
    session.set_answer("requester_link", link)
    allowed = link in FAMILY or copy_kind in ("without_parents", "multilingual")
    assert session.next() is allowed
    if allowed:
        assert session.page.id == "person" and session.errors() == {}
        return
    # refused: the person stays on the page, the reason under the field, in the visit's language
    view = session.page
    assert view.id == "requester"
    [field] = view.fields
    expected = FORM.errors["requester_link"]["enum"].text(language)
    assert field.error == expected == session.errors()["requester_link"]
    assert ("extrait sans filiation" if language == "fr" else "extract without parents") in expected
    # choosing a copy anyone may ask for lets the same person through
    assert session.back() and session.page.id == "record"
    session.set_answer("copy_kind", "without_parents")
    assert session.next() and session.next() and session.page.id == "person"


@pytest.mark.parametrize("copy_kind", COPIES)
def test_parents_names_are_asked_only_when_the_copy_shows_them(copy_kind):
    session = Session(FORM, "fr")
    fill_civil_status(session, copy_kind=copy_kind, link="self")
    pages = [row.page_id for row in session.summary()]
    shows_parents = copy_kind in ("full", "with_parents")
    assert ("parents" in pages) is shows_parents
    assert ("father_name" in session.answers()) is shows_parents
    # the engine agrees with the contract's own reading of the schema (the server's)
    assert set(session.answers()) <= set(contract_shown_fields(FORM.schema, session.answers()))


def test_parents_page_counts_in_the_steps_only_when_shown():
    session = Session(FORM, "fr")
    assert session.page.count == 4                      # record, requester, person, delivery
    session.set_answer("copy_kind", "full")
    assert session.page.count == 5 and session.page.number == 1


def test_changing_the_copy_kind_drops_the_parents_names_it_no_longer_shows():
    session = Session(FORM, "fr")
    fill_civil_status(session, copy_kind="full", link="descendant")
    assert session.answers()["father_name"] == "Paul Martin"
    session.edit("record")
    session.set_answer("copy_kind", "multilingual")
    assert session.next() and session.at_summary      # back to the summary: every page still valid
    assert "father_name" not in session.answers()
    assert "parents" not in [row.page_id for row in session.summary()]


def test_a_full_copy_chosen_after_the_link_other_sends_back_to_the_link_page():
    session = Session(FORM, "fr")
    fill_civil_status(session, copy_kind="without_parents", link="other")
    session.edit("record")
    session.set_answer("copy_kind", "full")
    assert session.next()                              # the record page itself is fine…
    assert not session.at_summary and session.first_page_with_errors() == "requester"


def test_delivery_by_post_asks_for_the_address_with_the_towns_words():
    session = Session(FORM, "fr")
    fill_civil_status(session, delivery="town_hall")
    session.edit("delivery")
    session.set_answer("delivery", "post")
    assert [f.name for f in session.page.fields] == ["delivery", "address"]
    assert not session.next()
    assert session.errors() == {"address": "Indiquez l'adresse où envoyer l'acte."}
    session.set_answer("address", {"street": "12 rue des Vignes", "postcode": "491", "city": "Angers"})
    assert not session.next()
    assert session.errors()["address"].startswith("Vérifiez l’adresse")
    session.set_answer("address", {"street": "12 rue des Vignes", "postcode": "49170", "city": "Angers"})
    assert session.next() and session.at_summary
    row = next(r for r in session.summary() if r.field == "address")
    assert (row.page_id, row.display) == ("delivery", "12 rue des Vignes, 49170 Angers")


def test_summary_rows_name_the_page_to_edit_in_the_visit_language():
    session = Session(FORM, "en")
    fill_civil_status(session, copy_kind="with_parents", link="self")
    rows = {r.field: r for r in session.summary()}
    assert rows["record_type"].display == "Birth" and rows["record_type"].page_id == "record"
    assert rows["event_date"].display == "Thursday 12 April 1990"
    assert rows["father_name"].page_id == "parents"
    session.language = "fr"
    assert {r.field: r for r in session.summary()}["event_date"].display == "jeudi 12 avril 1990"


def test_each_field_says_whether_it_must_be_answered():
    session = Session(FORM, "fr")
    fill_civil_status(session, copy_kind="full", link="self")
    session.edit("parents")
    assert {f.name: f.required for f in session.page.fields} == {"father_name": False, "mother_name": False}
    session.edit("delivery")
    session.set_answer("delivery", "post")
    assert {f.name: f.required for f in session.page.fields} == {"delivery": True, "address": True}
