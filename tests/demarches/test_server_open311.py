"""The reference server's Open311 GeoReport v2 side, for reports (``kiosk/api/open311.yaml``).

Requests go as an Open311 client sends them (form-encoded, ``api_key`` in the body); every answer
is checked against the Open311 document's schemas. The request id is the tracking code, so the
contract's tracking route finds a report filed here.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from datetime import datetime
from functools import cache
from typing import Any

import pytest
import requests
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from timebase import test_now

from kiosk.api import OPEN311_SPEC_PATH, contract
from kiosk.demo_api import admin, published_forms
from kiosk.demo_api.testing import ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()
EMAIL = "quiblier.signale@exemple.fr"
DESCRIPTION = "Le lampadaire devant le numéro 12 ne s'allume plus depuis lundi."


@cache
def _document() -> dict[str, Any]:
    return dict(yaml.safe_load(OPEN311_SPEC_PATH.read_text(encoding="utf-8")))


def conforms(path: str, method: str, response: requests.Response) -> Any:
    """The answer's JSON, after checking it against the Open311 document (status documented, body valid)."""
    operation = _document()["paths"][path][method]
    documented = operation["responses"][str(response.status_code)]
    if "$ref" in documented:
        documented = _document()["components"]["responses"][documented["$ref"].rsplit("/", 1)[-1]]
    assert response.headers["Content-Type"].startswith("application/json")
    registry: Registry[Any] = Registry().with_resource(
        "urn:open311", Resource.from_contents(_document(), default_specification=DRAFT202012))
    schema = documented["content"]["application/json"]["schema"]
    schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:open311#/components'))
    body = response.json()
    Draft202012Validator(schema, registry=registry, format_checker=FormatChecker()).validate(body)
    return body


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield enroll(base, db_path, clock), db_path, f"{base}/open311/v2"


def post(url: str, fields: dict[str, object], **headers: str) -> requests.Response:
    return requests.post(f"{url}/requests.json", data=fields, headers=headers, timeout=10)


def lamp(api_key: str, **more: object) -> dict[str, object]:
    return {"api_key": api_key, "service_code": "eclairage", "lat": "47.3947", "long": "-0.7721",
            "description": DESCRIPTION, **more}


def demarches(db_path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM demarches").fetchall()
    finally:
        conn.close()


def test_the_services_are_the_report_forms_categories(env):
    _api, db_path, url = env
    services = conforms("/services.json", "get", requests.get(f"{url}/services.json", timeout=10))
    form = json.loads((published_forms.FORMS_DIR / "signalement-voirie.json").read_text(encoding="utf-8"))
    assert [s["service_code"] for s in services] == list(form["open311_service_codes"].values())
    lighting = next(s for s in services if s["service_code"] == "eclairage")
    assert lighting == {"service_code": "eclairage", "service_name": "Éclairage public",
                        "description": "Éclairage public", "metadata": False, "type": "realtime",
                        "keywords": "lighting", "group": "Signaler un problème dans la rue"}
    admin.withdraw_form(db_path, "signalement-voirie")
    assert conforms("/services.json", "get", requests.get(f"{url}/services.json", timeout=10)) == []


def test_a_report_posted_form_encoded_is_followed_by_its_tracking_code(env, caplog):
    api, db_path, url = env
    caplog.set_level(logging.DEBUG)
    filed = post(url, lamp(api.token, email=EMAIL, address_string="12 rue des Vignes, 49170 Saint-Clément-des-Vignes",
                           **{"attribute[urgent]": "oui"}))
    assert filed.status_code == 201, filed.text
    [answer] = conforms("/requests.json", "post", filed)
    code = answer["service_request_id"]
    assert answer["account_id"] is None and code in answer["service_notice"]

    tracked = api.call("GET", "/v1/requests/{tracking_code}", tracking_code=code)
    assert [s.label for s in tracked.model.steps] == ["Signalement reçu", "Instruction", "Intervention"]
    assert tracked.model.request_type == "Signaler un problème dans la rue"

    got = requests.get(f"{url}/requests/{code}.json", timeout=10)
    [request] = conforms("/requests/{service_request_id}.json", "get", got)
    assert request["service_request_id"] == code and request["status"] == "open"
    assert (request["service_code"], request["service_name"]) == ("eclairage", "Éclairage public")
    assert (request["lat"], request["long"]) == (47.3947, -0.7721) and request["description"] == DESCRIPTION
    assert request["address"] == "12 rue des Vignes, 49170 Saint-Clément-des-Vignes"
    assert request["status_notes"] == "Instruction"
    assert datetime.fromisoformat(request["requested_datetime"]) == START.replace(microsecond=0)
    assert EMAIL not in got.text and EMAIL not in tracked.text and EMAIL not in caplog.text
    [row] = demarches(db_path)
    assert (row["channel"], row["kind"], json.loads(row["contact"])) == ("open311", "report", {"email": EMAIL})
    assert json.loads(row["answers"]) == {"category": "lighting", "description": DESCRIPTION,
                                          "where": {"kind": "here", "latitude": 47.3947, "longitude": -0.7721}}


def test_a_street_of_the_catalog_gives_the_place(env):
    api, db_path, url = env
    filed = post(url, {"api_key": api.token, "service_code": "voirie", "address_id": "st-rue-des-vignes",
                       "description": "Un nid-de-poule profond au milieu de la chaussée."})
    [answer] = conforms("/requests.json", "post", filed)
    [request] = requests.get(f"{url}/requests/{answer['service_request_id']}.json", timeout=10).json()
    assert request["address"] == "Rue des Vignes, 49170 Saint-Clément-des-Vignes" and request["lat"] is not None
    unknown = post(url, {"api_key": api.token, "service_code": "voirie", "address_id": "st-rue-de-nulle-part",
                         "description": "Un nid-de-poule profond au milieu de la chaussée."})
    assert unknown.status_code == 400 and "address_id" in conforms("/requests.json", "post", unknown)[0]["description"]
    assert len(demarches(db_path)) == 1


def test_the_api_key_is_the_terminals_token(env):
    api, db_path, url = env
    for fields, headers in ((lamp("not-a-token"), {}), ({**lamp(""), "api_key": ""}, {}),
                            ({k: v for k, v in lamp("").items() if k != "api_key"}, {})):
        refused = post(url, fields, **headers)
        assert refused.status_code == 403
        assert conforms("/requests.json", "post", refused)[0]["code"] == 403
    bearer = post(url, {k: v for k, v in lamp("").items() if k != "api_key"}, Authorization=f"Bearer {api.token}")
    assert bearer.status_code == 201
    admin.revoke_device(db_path, api.device_id)
    revoked = post(url, lamp(api.token))
    assert revoked.status_code == 403 and "révoqué" in revoked.json()[0]["description"]
    assert len(demarches(db_path)) == 1


@pytest.mark.parametrize(("change", "status", "words"), [
    ({"service_code": "lampadaires"}, 404, "service_code inconnu"),
    ({"service_code": ""}, 400, "service_code manquant"),
    ({"lat": "", "long": ""}, 400, "emplacement manquant"),
    ({"long": ""}, 400, "lat et long vont ensemble"),
    ({"lat": "nord"}, 400, "lat : un nombre"),
    ({"lat": "91"}, 400, "lat : hors des bornes"),
    ({"long": "nan"}, 400, "long : hors des bornes"),
    ({"description": "Trou"}, 400, "description : minLength"),
    ({"description": "x" * 501}, 400, "description : maxLength"),
])
def test_a_bad_post_gets_an_open311_error_and_files_nothing(env, change, status, words):
    api, db_path, url = env
    refused = post(url, lamp(api.token, **change))
    assert refused.status_code == status
    [error] = conforms("/requests.json", "post", refused)
    assert error["code"] == status and words in error["description"]
    assert demarches(db_path) == []


def test_only_a_form_encoded_body_is_read(env):
    api, db_path, url = env
    as_json = requests.post(f"{url}/requests.json", json=lamp(api.token), timeout=10)
    assert as_json.status_code == 400 and "x-www-form-urlencoded" in conforms("/requests.json", "post", as_json)[0][
        "description"]
    garbled = requests.post(f"{url}/requests.json", data=b"api_key=\xff\xfe&service_code=eclairage", timeout=10,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert garbled.status_code == 400
    assert demarches(db_path) == []


def test_an_unknown_request_is_an_open311_404(env):
    _api, _db, url = env
    missing = requests.get(f"{url}/requests/ZZZZ-0000.json", timeout=10)
    assert missing.status_code == 404
    assert conforms("/requests/{service_request_id}.json", "get", missing) == [
        {"code": 404, "description": "aucun signalement ZZZZ-0000"}]


def test_a_path_the_open311_side_does_not_serve_is_an_open311_404(env):
    api, _db, url = env
    nothing = [{"code": 404, "description": "aucune ressource à cette adresse"}]
    for path in ("/requests/%C2%84.json", "/discovery.json"):
        odd = requests.get(f"{url}{path}", timeout=10)
        assert (odd.status_code, odd.json()) == (404, nothing)
    lower = requests.get(f"{url}/requests/abcd-1234.json", timeout=10)     # codes are upper case
    assert (lower.status_code, lower.json()[0]["code"]) == (404, 404)
    elsewhere = requests.get(f"{api.base_url}/v2/requests.json", timeout=10)
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "not_found")     # the contract's shape


def test_a_civil_status_request_is_not_an_open311_request(env):
    api, _db, url = env
    body = {"form_id": "acte-etat-civil", "form_version": 1, "language": "fr", "filed_at": START.isoformat(),
            "answers": {"record_type": "death", "copy_kind": "without_parents", "requester_link": "other",
                        "last_name": "Quiblier", "first_names": "Jean", "event_date": "2001-05-02",
                        "event_town": "Angers", "delivery": "town_hall"}}
    code = api.call("POST", "/v1/demarches", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).data[
        "tracking_code"]
    assert requests.get(f"{url}/requests/{code}.json", timeout=10).status_code == 404


def test_the_idempotency_key_makes_a_retry_the_same_report(env):
    api, db_path, url = env
    key = str(uuid.uuid4())
    first = post(url, lamp(api.token), **{"Idempotency-Key": key})
    again = post(url, dict(reversed(list(lamp(api.token).items()))), **{"Idempotency-Key": key})   # any order
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    other = post(url, lamp(api.token, description="Un autre lampadaire, rue du Stade, clignote."),
                 **{"Idempotency-Key": key})
    assert other.status_code == 422 and conforms("/requests.json", "post", other)[0]["code"] == 422
    refusal_key = str(uuid.uuid4())
    refused = post(url, lamp(api.token, service_code="lampadaires"), **{"Idempotency-Key": refusal_key})
    assert post(url, lamp(api.token, service_code="lampadaires"), **{"Idempotency-Key": refusal_key}).json() == \
        refused.json()
    bad_key = post(url, lamp(api.token), **{"Idempotency-Key": "not-a-uuid"})
    assert bad_key.status_code == 400 and conforms("/requests.json", "post", bad_key)[0]["code"] == 400
    assert [r["tracking_code"] for r in demarches(db_path)] == [first.json()[0]["service_request_id"]]
    without_key = post(url, lamp(api.token))            # Open311 itself has no key: each post is new
    assert without_key.status_code == 201 and len(demarches(db_path)) == 2


def test_the_contract_points_to_the_open311_document():
    extension = contract.spec()["x-open311"]
    assert extension["document"] == OPEN311_SPEC_PATH.name and extension["base_path"] == "/open311/v2"


def test_a_report_the_town_has_dealt_with_is_closed(env):
    api, db_path, url = env
    code = post(url, lamp(api.token)).json()[0]["service_request_id"]
    assert admin.advance_demarche(db_path, code, clock=lambda: START) == "in_progress"      # examined
    [request] = requests.get(f"{url}/requests/{code}.json", timeout=10).json()
    assert (request["status"], request["status_notes"]) == ("open", "Intervention")
    assert admin.advance_demarche(db_path, code, clock=lambda: START) == "completed"        # repaired
    [request] = conforms("/requests/{service_request_id}.json", "get",
                         requests.get(f"{url}/requests/{code}.json", timeout=10))
    assert (request["status"], request["status_notes"]) == ("closed", "Intervention")
    tracked = api.call("GET", "/v1/requests/{tracking_code}", tracking_code=code).model
    assert tracked.status == "completed" and all(step.done for step in tracked.steps)
    with pytest.raises(ValueError, match="already completed"):
        admin.advance_demarche(db_path, code)
    with pytest.raises(KeyError):
        admin.advance_demarche(db_path, "ZZZZ-0000")
