"""Parsing a published definition: the seed's two forms and ours are read whole; a definition the
terminal cannot show entirely is refused with a reason naming the form, never half-read."""

from __future__ import annotations

import copy

import pytest
from demarche_fixtures import invalid_schema_form, pet_form, seed_form, unsupported_widget_form

from kiosk.demarches import FormUnavailable, Widget, parse_form
from kiosk.demarches.form import form_problem


def test_the_seed_forms_are_read_whole():
    acte = parse_form(seed_form("acte-etat-civil"))
    assert (acte.id, acte.kind, acte.profiles) == ("acte-etat-civil", "request", ("street", "counter"))
    assert [p.id for p in acte.pages] == ["record", "requester", "person", "parents", "delivery"]
    assert acte.fields["copy_kind"].widget is Widget.CHOICE
    assert [v for v, _ in acte.fields["copy_kind"].options] == ["full", "with_parents", "without_parents",
                                                                 "multilingual"]
    assert acte.fields["last_name"].personal and not acte.fields["record_type"].personal
    assert acte.errors["requester_link"]["enum"].fr.startswith("Une copie intégrale")
    assert acte.before.cost is not None and acte.before.cost.text("en") == "Free"
    report = parse_form(seed_form("signalement-voirie"))
    assert report.kind == "report" and report.open311_service_codes["lighting"] == "eclairage"
    assert report.fields["where"].widget is Widget.LOCATION


def test_english_falls_back_to_french_where_the_town_wrote_none():
    form = parse_form(pet_form())
    assert form.fields["where"].label.text("en") == "Place"          # no English given: the French
    assert form.pages[2].title.text("en") == "Où vit-il ?"
    assert form.summary is not None and not form.summary.has_english


@pytest.mark.parametrize(("break_it", "reason"), [
    (lambda f: f["ui"]["fields"]["owner_name"].update(widget="signature"), "unsupported widget 'signature'"),
    (lambda f: f["schema"]["properties"]["owner_name"].update(minLength="two"), "schema is invalid"),
    (lambda f: f.update(schema={"type": "array"}), "not a JSON Schema of type object"),
    (lambda f: f["title"].pop("fr"), "title has no French text"),
    (lambda f: f["ui"]["pages"][0]["fields"].append("ghost"), "'ghost', which has no ui field"),
    (lambda f: f["ui"]["pages"].pop(), "'where' is on no page"),
    (lambda f: f.update(kind="survey"), "neither 'request' nor 'report'"),
    (lambda f: f.update(version=0), "version is not a positive integer"),
    (lambda f: f["ui"]["fields"]["category"].update(options={}), "has no options"),
    (lambda f: f.update(before="tout le monde"), "cannot be read"),
    (lambda f: f["schema"]["properties"]["owner_name"].update({"$ref": "https://exemple.fr/nom.json"}),
     "refers to 'https://exemple.fr/nom.json', outside itself"),
    (lambda f: f["schema"]["properties"]["owner_name"].update({"$ref": "#/$defs/nom"}),
     "refers to '#/$defs/nom', which it does not hold"),
])
def test_a_definition_the_terminal_cannot_show_is_refused_with_its_reason(break_it, reason):
    form = copy.deepcopy(pet_form())
    break_it(form)
    with pytest.raises(FormUnavailable) as refused:
        parse_form(form)
    assert refused.value.form_id == "declaration-chien"
    assert reason in str(refused.value) or reason in refused.value.reason
    assert form_problem(form) is not None and "declaration-chien" in str(refused.value)


def test_form_problem_says_none_for_a_good_form_and_why_for_the_others():
    assert form_problem(seed_form("acte-etat-civil")) is None
    assert form_problem(unsupported_widget_form()) == "field 'owner_name' has the unsupported widget 'signature'"
    assert "schema is invalid" in (form_problem(invalid_schema_form()) or "")


def test_a_reference_inside_the_schema_is_followed():
    from kiosk.demarches import Session

    form = copy.deepcopy(pet_form())
    form["schema"]["$defs"] = {"name": {"type": "string", "minLength": 2, "maxLength": 40}}
    form["schema"]["properties"]["owner_name"] = {"$ref": "#/$defs/name"}
    session = Session(parse_form(form), "en")
    session.set_answer("category", "none")
    assert session.next()
    session.set_answer("owner_name", "X")
    session.set_answer("muzzle", True)
    assert not session.next() and session.errors() == {"owner_name": "The name needs at least 2 letters."}
