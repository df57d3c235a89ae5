"""The reference server publishes forms and streets in the catalog and files démarches.

Every answer goes through :class:`kiosk.demo_api.testing.ApiClient`, which checks it against the
contract (closed) and parses it with the terminal's models: a test of behaviour is also a test of
conformance. Time is the test's (KIOSK_TEST_NOW).
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import sqlite3
import uuid
from datetime import timedelta

import pytest
from timebase import test_now

from kiosk.api import models
from kiosk.clock import PARIS
from kiosk.demo_api import admin, published_forms
from kiosk.demo_api.testing import ApiClient, ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()
LINKS = ["self", "spouse", "ascendant", "descendant", "legal_representative", "other"]
COPIES = ["full", "with_parents", "without_parents", "multilingual"]
SURNAME = "Quiblier"            # a name found nowhere in the seed: where it goes, the test can tell
PHONE = "06 98 76 54 32"


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield enroll(base, db_path, clock), db_path, clock


def civil(copy_kind: str = "without_parents", link: str = "other", **more: object) -> dict[str, object]:
    return {"record_type": "birth", "copy_kind": copy_kind, "requester_link": link, "last_name": SURNAME,
            "first_names": "Jeanne", "event_date": "1987-03-21", "event_town": "Angers", "delivery": "town_hall",
            **more}


def report(**more: object) -> dict[str, object]:
    return {"category": "lighting", "where": {"kind": "here"}, "description": "Le lampadaire ne s'allume plus.",
            **more}


def demarche(answers: dict[str, object], form_id: str = "acte-etat-civil", version: int = 1,
             contact: dict[str, str] | None = None, **more: object) -> dict[str, object]:
    return {"form_id": form_id, "form_version": version, "answers": answers, "contact": contact, "language": "fr",
            "filed_at": START.isoformat(), **more}


def file(api: ApiClient, body: object, key: str | None = None, **headers: str):
    return api.call("POST", "/v1/demarches", json=body,
                    headers={"Idempotency-Key": key or str(uuid.uuid4()), **headers})


def rows(db_path, table: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(f"SELECT * FROM {table}").fetchall()   # the test's own table names
    finally:
        conn.close()


# ---------------------------------------------------------------- catalog
def test_the_catalog_carries_the_forms_and_the_towns_streets(env):
    api, _db, _clock = env
    catalog = api.call("GET", "/v1/catalog")
    assert catalog.status_code == 200
    forms = {form.id: form for form in catalog.model.forms}
    assert set(forms) == {"acte-etat-civil", "signalement-voirie"}
    assert forms["acte-etat-civil"].kind == "request" and forms["signalement-voirie"].kind == "report"
    assert all(form.version == 1 and form.profiles == ["street", "counter"] for form in forms.values())
    for body in catalog.data["forms"]:
        published_forms.check(body)         # what a terminal receives is what the server would publish
    streets = catalog.model.streets
    assert 25 <= len(streets) <= 40 and len({s.id for s in streets}) == len(streets)
    vignes = next(s for s in streets if s.name == "Rue des Vignes")
    assert vignes.id == "st-rue-des-vignes" and vignes.postcode == "49170" and vignes.latitude is not None
    assert next(s for s in streets if s.name == "Rue Jeanne-d'Arc").id == "st-rue-jeanne-d-arc"


def test_a_new_version_a_withdrawal_and_street_edits_travel_as_deltas(env):
    api, db_path, _clock = env
    cursor = api.call("GET", "/v1/catalog").data["cursor"]
    form = json.loads((published_forms.FORMS_DIR / "signalement-voirie.json").read_text(encoding="utf-8"))
    form["title"]["fr"] = "Signaler un problème sur la voie publique"
    assert admin.publish_form(db_path, form) == 2               # the next version, whatever the body says
    admin.put_catalog_item(db_path, "street", {"id": "st-rue-neuve", "name": "Rue Neuve", "postcode": "49170",
                                               "latitude": None, "longitude": None})
    assert admin.delete_catalog_item(db_path, "street", "st-impasse-du-moulin")
    delta = api.call("GET", "/v1/catalog", params={"since": cursor})
    assert delta.data["full"] is False
    assert [(f.id, f.version, f.title.fr) for f in delta.model.forms] == [
        ("signalement-voirie", 2, "Signaler un problème sur la voie publique")]
    assert [s.id for s in delta.model.streets] == ["st-rue-neuve"]
    assert delta.data["deleted"]["streets"] == ["st-impasse-du-moulin"] and delta.data["deleted"]["forms"] == []
    assert not any(delta.data[k] for k in ("services", "places", "pages", "events"))

    cursor = delta.data["cursor"]
    assert admin.withdraw_form(db_path, "acte-etat-civil") and not admin.withdraw_form(db_path, "acte-etat-civil")
    gone = api.call("GET", "/v1/catalog", params={"since": cursor})
    assert gone.data["deleted"]["forms"] == ["acte-etat-civil"] and gone.data["forms"] == []
    full = api.call("GET", "/v1/catalog")
    assert [f["id"] for f in full.data["forms"]] == ["signalement-voirie"]


def test_the_server_refuses_to_publish_a_form_a_terminal_could_not_show(env):
    _api, db_path, _clock = env
    good = json.loads((published_forms.FORMS_DIR / "acte-etat-civil.json").read_text(encoding="utf-8"))
    cases = {
        "unknown widget 'slider'": lambda f: f["ui"]["fields"]["copy_kind"].update(widget="slider"),
        "is not a property of the schema": lambda f: f["ui"]["pages"][0]["fields"].append("shoe_size"),
        "schema:": lambda f: f["schema"]["properties"]["record_type"].update(type="text"),
        "a choice needs one option per value": lambda f: f["ui"]["fields"]["delivery"]["options"].pop("post"),
        "title": lambda f: f["title"].pop("fr"),
        "kind": lambda f: f.update(kind="appointment"),
    }
    for reason, spoil in cases.items():
        bad = copy.deepcopy(good)
        spoil(bad)
        with pytest.raises(published_forms.FormRejected, match=reason):
            admin.publish_form(db_path, bad)
    assert [r["version"] for r in rows(db_path, "form_versions") if r["form_id"] == "acte-etat-civil"] == [1]


# ---------------------------------------------------------------- filing
def test_every_requester_link_with_every_copy_kind(env):
    api, _db, _clock = env
    for link, copy_kind in itertools.product(LINKS, COPIES):
        answer = file(api, demarche(civil(copy_kind, link)))
        if copy_kind in ("full", "with_parents") and link == "other":
            assert answer.status_code == 422, (link, copy_kind)
            assert answer.data["error"] == "invalid_answers"
            assert answer.data["details"]["errors"] == [{"field": "requester_link", "keyword": "enum"}]
        else:
            assert answer.status_code == 201, (link, copy_kind, answer.text)
            assert answer.model.status == "received" and answer.model.title == "Demande d'acte d'état civil"


def test_the_parents_names_and_the_address_follow_the_answers(env):
    api, _db, _clock = env
    names = {"father_name": "Paul Quiblier", "mother_name": "Anne Roux"}
    assert file(api, demarche(civil("full", "self", **names))).status_code == 201
    refused = file(api, demarche(civil("without_parents", "other", **names)))
    assert refused.status_code == 422 and refused.data["details"]["errors"] == [
        {"field": "father_name", "keyword": "unevaluatedProperties"},
        {"field": "mother_name", "keyword": "unevaluatedProperties"}]
    by_post = file(api, demarche(civil(delivery="post")))
    assert by_post.data["details"]["errors"] == [{"field": "address", "keyword": "required"}]
    address = {"street": "4 rue des Vignes", "postcode": "49170", "city": "Saint-Clément-des-Vignes"}
    assert file(api, demarche(civil(delivery="post", address=address))).status_code == 201


def test_an_unknown_form_or_version_is_refused(env):
    api, db_path, _clock = env
    unknown = file(api, demarche(civil(), form_id="permis-de-chasse"))
    assert (unknown.status_code, unknown.data["error"]) == (422, "form_unknown")
    version = file(api, demarche(civil(), version=7))
    assert (version.status_code, version.data["error"]) == (422, "form_version_unknown")
    assert version.data["details"] == {"form_id": "acte-etat-civil", "form_version": 7}
    admin.withdraw_form(db_path, "acte-etat-civil")
    withdrawn = file(api, demarche(civil()))
    assert (withdrawn.status_code, withdrawn.data["error"]) == (422, "form_unknown")
    assert rows(db_path, "demarches") == []


def test_a_person_finishes_on_the_version_they_started(env):
    """A form update synced while a person is in the middle of it: their answers are judged by the
    version they answered, the new version's rules apply to those who start on it."""
    api, db_path, _clock = env
    started = civil("with_parents", "self")             # answered on version 1
    updated = json.loads((published_forms.FORMS_DIR / "acte-etat-civil.json").read_text(encoding="utf-8"))
    updated["schema"]["properties"]["reason"] = {"type": "string", "minLength": 3, "maxLength": 200}
    updated["schema"]["required"].append("reason")
    updated["ui"]["fields"]["reason"] = {"widget": "text", "label": {"fr": "Motif", "en": "Reason"}}
    updated["ui"]["pages"][0]["fields"].append("reason")
    assert admin.publish_form(db_path, updated) == 2
    assert [f.version for f in api.call("GET", "/v1/catalog").model.forms if f.id == "acte-etat-civil"] == [2]
    finished = file(api, demarche(started, version=1))
    assert finished.status_code == 201, finished.text
    on_the_new_one = file(api, demarche(started, version=2))
    assert on_the_new_one.data["details"]["errors"] == [{"field": "reason", "keyword": "required"}]
    assert file(api, demarche({**started, "reason": "Mariage"}, version=2)).status_code == 201
    assert [(r["form_id"], r["form_version"]) for r in rows(db_path, "demarches")] == [
        ("acte-etat-civil", 1), ("acte-etat-civil", 2)]


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"form_id": "acte-etat-civil", "form_version": 1, "answers": {}}, 400, "validation_error"),      # fields missing
    ({**demarche(civil()), "form_version": "1"}, 400, "validation_error"),                            # "1" is no number
    ({**demarche(civil()), "answers": ["birth"]}, 400, "validation_error"),
    ({**demarche(civil()), "contact": {}}, 400, "validation_error"),                 # a contact must reach someone
    ({**demarche(civil()), "contact": {"phone": "appelez-moi"}}, 400, "validation_error"),
    ({**demarche(civil()), "filed_at": "2026-12-04T10:12:00"}, 400, "validation_error"),              # naive instant
    ({**demarche(civil()), "colour": "vert"}, 400, "validation_error"),                               # closed body
    ({**demarche(civil()), "filed_at": (START - timedelta(days=31)).isoformat()}, 400, "invalid_request"),
    ({**demarche(civil()), "filed_at": (START + timedelta(minutes=10)).isoformat()}, 400, "invalid_request"),
    ([demarche(civil())], 400, "invalid_json"),
])
def test_a_malformed_body_is_refused_and_nothing_is_filed(env, body, status, error):
    api, db_path, _clock = env
    answer = file(api, body)
    assert (answer.status_code, answer.data["error"]) == (status, error)
    assert rows(db_path, "demarches") == []


def test_not_json_no_key_or_no_token_is_refused(env):
    api, db_path, _clock = env
    raw = api.session.post(f"{api.base_url}/v1/demarches", data="form_id=acte-etat-civil",
                           headers={"Authorization": f"Bearer {api.token}", "Idempotency-Key": str(uuid.uuid4()),
                                    "Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    assert (raw.status_code, raw.json()["error"]) == (415, "unsupported_media_type")
    broken = api.session.post(f"{api.base_url}/v1/demarches", data=b"{\"form_id\": ", timeout=10,
                              headers={"Authorization": f"Bearer {api.token}", "Idempotency-Key": str(uuid.uuid4()),
                                       "Content-Type": "application/json"})
    assert (broken.status_code, broken.json()["error"]) == (400, "invalid_json")
    no_key = api.call("POST", "/v1/demarches", json=demarche(civil()))
    assert (no_key.status_code, no_key.data["error"]) == (400, "missing_idempotency_key")
    anonymous = api.call("POST", "/v1/demarches", json=demarche(civil()), auth=False,
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert anonymous.status_code == 401
    assert rows(db_path, "demarches") == []


def test_the_terminal_id_the_outbox_adds_must_be_this_terminals(env):
    api, db_path, _clock = env
    assert file(api, demarche(civil(), terminal_id=api.device_id)).status_code == 201
    other = file(api, demarche(civil(), terminal_id="dev-not-me"))
    assert (other.status_code, other.data["error"]) == (403, "forbidden")
    assert len(rows(db_path, "demarches")) == 1


def test_a_replay_gives_the_same_tracking_code_and_files_once(env):
    api, db_path, clock = env
    key = str(uuid.uuid4())
    first = file(api, demarche(civil(), contact={"phone": PHONE}), key)
    clock.advance(minutes=20)                              # the answer was lost; the outbox sends again later
    again = file(api, demarche(civil(), contact={"phone": PHONE}), key)
    assert first.status_code == again.status_code == 201
    assert again.data == first.data and again.headers["Idempotent-Replayed"] == "true"
    other = file(api, demarche(civil(first_names="Louise")), key)
    assert (other.status_code, other.data["error"]) == (422, "idempotency_key_reused")
    assert [r["tracking_code"] for r in rows(db_path, "demarches")] == [first.data["tracking_code"]]
    refusal_key = str(uuid.uuid4())
    refused = file(api, demarche(civil("full", "other")), refusal_key)
    assert file(api, demarche(civil("full", "other")), refusal_key).data == refused.data   # the same verdict


def test_a_filed_request_is_followed_by_its_code_without_personal_data(env, caplog):
    api, db_path, _clock = env
    caplog.set_level(logging.DEBUG)
    filed = file(api, demarche(civil("full", "self", delivery="post", father_name="Paul Quiblier",
                                     address={"street": "4 rue des Vignes", "postcode": "49170",
                                              "city": "Saint-Clément-des-Vignes"}),
                               contact={"phone": PHONE, "email": "jeanne.quiblier@exemple.fr"}))
    assert filed.status_code == 201
    code = filed.model.tracking_code
    tracked = api.call("GET", "/v1/requests/{tracking_code}", tracking_code=code)
    assert tracked.status_code == 200
    today = START.astimezone(PARIS).date()
    assert [(s.label, s.date, s.done) for s in tracked.model.steps] == [
        ("Demande reçue", today, True), ("Instruction", None, False), ("Envoi", None, False)]
    assert tracked.model.status == "in_progress" and tracked.model.current_step == "Instruction"
    assert tracked.model.request_type == "Demande d'acte d'état civil" and tracked.model.message is None
    for personal in (SURNAME, "Jeanne", PHONE, "exemple.fr", "rue des Vignes", "1987"):
        assert personal not in tracked.text and personal not in filed.text, personal
        assert personal not in caplog.text, personal
    # the démarche's row is the one place that holds them
    conn = sqlite3.connect(db_path)
    try:
        holders = {line.split('"')[1] for line in conn.iterdump() if SURNAME in line or PHONE in line}
    finally:
        conn.close()
    assert holders == {"demarches"}


def test_a_request_to_collect_at_the_town_hall_says_so(env):
    api, _db, _clock = env
    code = file(api, demarche(civil())).data["tracking_code"]
    steps = api.call("GET", "/v1/requests/{tracking_code}", tracking_code=code).model.steps
    assert [s.label for s in steps] == ["Demande reçue", "Instruction", "Mise à disposition en mairie"]


def test_a_report_says_where_and_has_its_own_steps(env):
    api, db_path, _clock = env
    street = {"kind": "street", "street_id": "st-rue-des-vignes", "number": "12 bis"}
    filed = file(api, demarche(report(where=street), form_id="signalement-voirie"))
    assert filed.status_code == 201 and filed.model.title == "Signaler un problème dans la rue"
    steps = api.call("GET", "/v1/requests/{tracking_code}", tracking_code=filed.model.tracking_code).model.steps
    assert [s.label for s in steps] == ["Signalement reçu", "Instruction", "Intervention"]
    row = rows(db_path, "demarches")[0]
    assert (row["kind"], row["service_code"], row["channel"]) == ("report", "eclairage", "kiosk")
    assert row["address"] == "12 bis Rue des Vignes, 49170 Saint-Clément-des-Vignes" and row["latitude"] is not None

    english = file(api, demarche(report(where={"kind": "place", "place_id": "pl-mediatheque"}),
                                 form_id="signalement-voirie", language="en"))
    assert english.status_code == 201 and english.model.title == "Report a problem in the street"
    assert rows(db_path, "demarches")[1]["address"].startswith("Médiathèque Louise-Bodin, ")

    for where, keyword in (({"kind": "street", "street_id": "st-rue-de-nulle-part"}, "unknown"),
                           ({"kind": "place", "place_id": "pl-atlantide"}, "unknown"),
                           ({"kind": "street"}, "oneOf")):
        refused = file(api, demarche(report(where=where), form_id="signalement-voirie"))
        assert refused.data["details"]["errors"] == [{"field": "where", "keyword": keyword}], where
    nowhere = {k: v for k, v in report().items() if k != "where"}
    refused = file(api, demarche(nowhere, form_id="signalement-voirie"))
    assert refused.data["details"]["errors"] == [{"field": "where", "keyword": "required"}]
    assert len(rows(db_path, "demarches")) == 2


def test_the_answer_is_the_contracts_model():
    example = {"id": "x", "tracking_code": "ABCD-1234", "form_id": "f", "status": "received", "title": "T"}
    assert models.DemarcheFiled.model_validate(example).tracking_code == "ABCD-1234"
    with pytest.raises(ValueError):
        models.DemarcheFiled.model_validate({**example, "tracking_code": "abcd-1234"})
