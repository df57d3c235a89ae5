"""The OpenAPI document is coherent, its examples obey its schemas, and the pydantic
models the kiosk uses agree with it."""

from __future__ import annotations

import pytest
import yaml
from pydantic import BaseModel

from kiosk.api import OPEN311_SPEC_PATH, contract, models
from kiosk.demo_api import routes

SPEC = contract.spec()
SCHEMAS = SPEC["components"]["schemas"]
OPERATIONS = [(path, method, op) for path, item in SPEC["paths"].items() for method, op in item.items()]


def test_document_is_openapi_3_1_with_bearer_auth():
    assert SPEC["openapi"] == "3.1.0"
    assert SPEC["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert SPEC["security"] == [{"bearer": []}]


@pytest.mark.parametrize("path,method,op", OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_documents_its_errors(path, method, op):
    codes = set(op["responses"])
    if op.get("security") != []:
        assert "401" in codes, "an authenticated operation must document 401"
    if method == "post":
        assert "400" in codes
    for code in op["responses"]:
        if code != "304" and not code.startswith("2"):
            assert contract.response_schema_name(method, path, int(code)) == "Error"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_component_schemas_are_valid_json_schema(name):
    from jsonschema import Draft202012Validator
    Draft202012Validator.check_schema(SCHEMAS[name])


def test_every_ref_resolves():
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in set(refs(SPEC)):
        node = SPEC
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def test_state_changing_posts_require_an_idempotency_key():
    for path, method, op in OPERATIONS:
        if method == "post" and "/devices/" not in path and not op.get("x-changes-nothing"):
            refs = [p.get("$ref") for p in op.get("parameters", [])]
            assert "#/components/parameters/IdempotencyKey" in refs, path
            assert "422" in op["responses"], path


def test_routes_of_the_reference_server_are_exactly_the_documented_operations():
    served = {(method.lower(), pattern.pattern) for method, pattern, _h, _a in routes.ROUTES}
    open311 = yaml.safe_load(OPEN311_SPEC_PATH.read_text(encoding="utf-8"))
    base = SPEC["x-open311"]["base_path"]
    documented = {(m, routes._route(m.upper(), p, None)[1].pattern) for p, m, _ in OPERATIONS}
    documented |= {(m, routes._route(m.upper(), base + p, None)[1].pattern)
                   for p, item in open311["paths"].items() for m in item}
    assert served == documented


def _examples():
    for path, method, op in OPERATIONS:
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body and "example" in body:
            yield f"{method} {path} request", body["schema"]["$ref"].rsplit("/", 1)[-1], body["example"]
        for code, response in op["responses"].items():
            content = response.get("content", {}).get("application/json", {})
            if "example" in content:
                yield f"{method} {path} {code}", content["schema"]["$ref"].rsplit("/", 1)[-1], content["example"]
    for name, response in SPEC["components"]["responses"].items():
        content = response["content"]["application/json"]
        if "example" in content:
            yield f"response {name}", "Error", content["example"]


EXAMPLES = list(_examples())


@pytest.mark.parametrize("where,schema,example", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_examples_obey_their_schema_and_model(where, schema, example):
    contract.validator(schema, closed=True).validate(example)
    models.ALL_MODELS[schema].model_validate(example)


def test_409_example_alternatives_are_alternatives():
    example = SPEC["paths"]["/v1/bookings"]["post"]["responses"]["409"]["content"]["application/json"]["example"]
    for alt in example["details"]["alternatives"]:
        contract.validator("Alternative", closed=True).validate(alt)


def _required(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items() if field.is_required()}


def _names(model: type[BaseModel]) -> set[str]:
    """The fields' names on the wire (``FormDefinition.json_schema`` travels as ``schema``)."""
    return {field.alias or name for name, field in model.model_fields.items()}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_model_agrees_with_schema(name):
    schema, model = SCHEMAS[name], models.ALL_MODELS[name]
    assert set(schema["properties"]) == _names(model), "same field names"
    required = set(schema.get("required", []))
    assert required <= _names(model)
    closed = schema.get("additionalProperties") is False
    assert (model.model_config.get("extra") == "forbid") == closed, "requests closed, responses open"
    if closed:  # what we send: exactly the same obligations
        assert _required(model) == required
    else:  # what we receive: the model may be more lenient, never stricter
        assert _required(model) <= required


def test_every_model_has_a_schema():
    assert set(models.ALL_MODELS) == set(SCHEMAS)


def test_received_models_ignore_new_fields_and_sent_models_refuse_them():
    slot = {"id": "s", "start": "2026-12-01T08:30:00+01:00", "end": "2026-12-01T08:50:00+01:00",
            "places_left": 1, "colour": "vert"}
    assert models.Slot.model_validate(slot).id == "s"
    with pytest.raises(ValueError):
        models.BookingCancel.model_validate({"reference": "R", "last_name": "N", "terminal_id": "t", "x": 1})


def test_an_offline_request_needs_a_contact_a_booking_does_not():
    no_contact = {"last_name": "Martin", "first_name": "Léa"}
    with pytest.raises(ValueError, match="phone number or an e-mail"):
        models.ContactPerson.model_validate(no_contact)
    contract.validator("ContactPerson").validate({**no_contact, "email": "lea@exemple.fr"})
    assert list(contract.validator("ContactPerson").iter_errors(no_contact))
    assert models.Person.model_validate(no_contact).phone is None
    contract.validator("Person").validate(no_contact)
    assert list(contract.validator("Person").iter_errors({**no_contact, "phone": "appelez-moi"}))


def test_checkin_needs_exactly_one_of_token_and_reference():
    base = {"terminal_id": "t", "scanned_at": "2026-12-01T08:24:00+01:00"}
    with pytest.raises(ValueError):
        models.CheckinCreate.model_validate(base)
    with pytest.raises(ValueError):
        models.CheckinCreate.model_validate({**base, "token": "a.b", "reference": "RDV-AAAA-BB"})
    assert models.CheckinCreate.model_validate({**base, "reference": "RDV-AAAA-BB"}).token is None


def test_received_numbers_and_flags_the_kiosk_acts_on_are_strict():
    slot = {"id": "s", "start": "2026-12-01T08:30:00+01:00", "end": "2026-12-01T08:50:00+01:00"}
    assert models.Slot.model_validate({**slot, "places_left": 2}).places_left == 2
    for bad in ("2", 2.0, True, -1):
        with pytest.raises(ValueError):
            models.Slot.model_validate({**slot, "places_left": bad})
    with pytest.raises(ValueError):
        models.Slot.model_validate({**slot, "places_left": 1, "start": "2026-12-01T08:30:00"})  # naive time
    with pytest.raises(ValueError):
        models.TrackingStep.model_validate({"label": "Instruction", "date": None, "done": "yes"})


CONSTRAINTS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "const", "enum")


def _constraints(node: dict) -> dict:
    """Constraints of one property schema, looking through pydantic's anyOf-with-null."""
    found = {k: node[k] for k in CONSTRAINTS if k in node}
    for branch in node.get("anyOf", []):
        found.update({k: branch[k] for k in CONSTRAINTS if k in branch})
    if "exclusiveMinimum" in node:
        found["exclusiveMinimum"] = node["exclusiveMinimum"]
    return found


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_field_constraints_agree(name):
    """Same patterns, lengths, bounds and enumerations in the YAML and in pydantic."""
    generated = models.ALL_MODELS[name].model_json_schema(ref_template="#/{model}")["properties"]
    for field, spec_node in SCHEMAS[name]["properties"].items():
        ours = _constraints(generated[field])
        theirs = _constraints(spec_node)
        if "enum" in theirs and "const" in ours:  # pydantic writes a one-value Literal as const
            ours["enum"] = [ours.pop("const")]
        if "const" in theirs and "enum" in ours and len(ours["enum"]) == 1:
            ours["const"] = ours.pop("enum")[0]
        if "enum" in theirs:
            assert set(ours.pop("enum")) == set(theirs.pop("enum")), field
        assert ours == theirs, field
