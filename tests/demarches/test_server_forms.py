"""The seed's form definitions obey the contract, and the civil-status form states the law.

Every requester link × every copy kind is judged by the form's own JSON Schema, read the way the
contract says (:mod:`kiosk.api.form_answers`); the reference server applies the same schema to a
filed démarche (tests/demarches/test_server_demarches.py).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from kiosk.api import OPEN311_SPEC_PATH, contract, models
from kiosk.api.form_answers import AnswerError, answer_errors, shown_fields

FORMS = Path(contract.__file__).resolve().parents[1] / "demo_api" / "forms"
SEED_FORMS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(FORMS.glob("*.json"))}
LINKS = ["self", "spouse", "ascendant", "descendant", "legal_representative", "other"]
COPIES = ["full", "with_parents", "without_parents", "multilingual"]
RESTRICTED = {"full", "with_parents"}


def _texts(node, path=""):
    """Every LocalizedText of a form (an object with a French text), with where it is."""
    if isinstance(node, dict):
        if "fr" in node and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for key, value in node.items():
            if key != "schema":
                yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def test_the_seed_publishes_the_two_demarches():
    assert set(SEED_FORMS) == {"acte-etat-civil", "signalement-voirie"}
    assert {form["kind"] for form in SEED_FORMS.values()} == {"request", "report"}


@pytest.mark.parametrize("name", sorted(SEED_FORMS))
def test_a_seed_form_obeys_the_contract(name):
    form = SEED_FORMS[name]
    assert form["id"] == name
    Draft202012Validator.check_schema(form["schema"])
    contract.validator("FormDefinition", closed=True).validate(form)
    parsed = models.FormDefinition.model_validate(form)
    assert parsed.json_schema == form["schema"] and parsed.kind in models.FORM_KINDS
    ui = form["ui"]
    for page in ui["pages"]:
        for field in page["fields"]:
            assert field in ui["fields"], f"{page['id']}: {field} has no ui"
    paged = [field for page in ui["pages"] for field in page["fields"]]
    assert sorted(paged) == sorted(set(paged)) == sorted(ui["fields"]), "each field on exactly one page"
    assert {spec["widget"] for spec in ui["fields"].values()} <= set(models.FORM_WIDGETS)
    for field, spec in ui["fields"].items():
        if spec["widget"] == "choice":
            enum = form["schema"]["properties"][field]["enum"]
            assert list(spec["options"]) == enum, f"{field}: one tile per value"
    texts = list(_texts(form))
    assert len(texts) > 20
    for where, text in texts:
        assert text["fr"].strip() and text.get("en", "x").strip(), where
        assert set(text) == {"fr", "en"}, f"{where}: French and English"


def test_the_contract_example_is_the_seed_report_form():
    example = contract.spec()["components"]["schemas"]["FormDefinition"]["examples"][0]
    assert example == SEED_FORMS["signalement-voirie"]


def _civil(copy_kind: str, link: str, **more: object) -> dict[str, object]:
    return {"record_type": "birth", "copy_kind": copy_kind, "requester_link": link, "last_name": "Moreau",
            "first_names": "Jeanne", "event_date": "1987-03-21", "event_town": "Angers", "delivery": "town_hall",
            **more}


@pytest.mark.parametrize("record_type", ["birth", "marriage", "death"])
@pytest.mark.parametrize(("link", "copy_kind"), list(itertools.product(LINKS, COPIES)))
def test_the_civil_status_rule_for_every_link_and_copy_kind(link, copy_kind, record_type):
    schema = SEED_FORMS["acte-etat-civil"]["schema"]
    errors = answer_errors(schema, _civil(copy_kind, link, record_type=record_type))
    if copy_kind in RESTRICTED and link == "other":
        assert errors == [AnswerError("requester_link", "enum")]
        sentence = SEED_FORMS["acte-etat-civil"]["ui"]["errors"]["requester_link"]["enum"]
        assert "extrait sans filiation" in sentence["fr"] and "extract without parents" in sentence["en"]
    else:
        assert errors == []


def test_the_parents_names_are_asked_only_when_the_copy_shows_them():
    schema = SEED_FORMS["acte-etat-civil"]["schema"]
    for copy_kind in COPIES:
        shown = shown_fields(schema, _civil(copy_kind, "self"))
        assert ("father_name" in shown and "mother_name" in shown) == (copy_kind in RESTRICTED)
    with_names = _civil("without_parents", "self", father_name="Paul Moreau")
    assert answer_errors(schema, with_names) == [AnswerError("father_name", "unevaluatedProperties")]
    assert answer_errors(schema, _civil("full", "self", father_name="Paul Moreau", mother_name="Anne Roux")) == []


def test_delivery_by_post_needs_the_address():
    schema = SEED_FORMS["acte-etat-civil"]["schema"]
    by_post = _civil("without_parents", "other", delivery="post")
    assert answer_errors(schema, by_post) == [AnswerError("address", "required")]
    address = {"street": "12 rue des Vignes", "postcode": "49170", "city": "Saint-Clément-des-Vignes"}
    assert answer_errors(schema, {**by_post, "address": address}) == []
    assert answer_errors(schema, {**by_post, "address": {**address, "postcode": "4917"}}) == [
        AnswerError("address", "pattern")]
    assert answer_errors(schema, {**_civil("full", "self"), "event_date": "1987-02-30"}) == [
        AnswerError("event_date", "format")]


def test_a_report_needs_a_place_and_a_description_of_10_to_500_characters():
    schema = SEED_FORMS["signalement-voirie"]["schema"]
    report = {"category": "lighting", "where": {"kind": "here"}, "description": "Lampadaire éteint."}
    assert answer_errors(schema, report) == []
    nowhere = {k: v for k, v in report.items() if k != "where"}
    assert answer_errors(schema, nowhere) == [AnswerError("where", "required")]
    assert answer_errors(schema, {**report, "description": "Trou"}) == [AnswerError("description", "minLength")]
    assert answer_errors(schema, {**report, "description": "x" * 501}) == [AnswerError("description", "maxLength")]
    street = {"kind": "street", "street_id": "st-rue-des-vignes", "number": "12 bis"}
    assert answer_errors(schema, {**report, "where": street}) == []
    assert answer_errors(schema, {**report, "where": {"kind": "street"}}) == [AnswerError("where", "oneOf")]
    assert answer_errors(schema, {**report, "category": "noise"}) == [AnswerError("category", "enum")]
    categories = schema["properties"]["category"]["enum"]
    assert categories == ["roads", "lighting", "cleanliness", "green_spaces", "street_furniture", "other"]
    assert list(SEED_FORMS["signalement-voirie"]["open311_service_codes"]) == categories


def test_the_open311_document_is_openapi_with_valid_schemas():
    document = yaml.safe_load(OPEN311_SPEC_PATH.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/services.json", "/requests.json", "/requests/{service_request_id}.json"}
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert contract.spec()["x-open311"]["document"] == OPEN311_SPEC_PATH.name
