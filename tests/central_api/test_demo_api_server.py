"""Reference server over loopback: enrolment, authentication, revocation, heartbeat,
request tracking, keys, and the error shape for bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from timebase import test_now

from kiosk.api import contract
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ApiClient, ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield base, db_path, clock


@pytest.fixture
def client(env):
    base, db_path, clock = env
    return enroll(base, db_path, clock)


def facts():
    return {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


def test_serve_binds_a_free_loopback_port(env):
    base, _db, _clock = env
    assert base.startswith("http://127.0.0.1:") and not base.endswith(":0")


def test_enrolment_code_is_one_time(env):
    base, db_path, clock = env
    code = admin.create_enrolment_code(db_path, clock)
    api = ApiClient(base)
    first = api.call("POST", "/v1/devices/enroll", auth=False, json={"enrolment_code": code, "terminal": facts()})
    assert first.status_code == 201 and first.data["token_type"] == "Bearer"
    again = api.call("POST", "/v1/devices/enroll", auth=False, json={"enrolment_code": code, "terminal": facts()})
    assert again.status_code == 401 and again.data["error"] == "invalid_enrolment_code"


def test_expired_and_unknown_codes_are_refused(env):
    base, db_path, clock = env
    code = admin.create_enrolment_code(db_path, lambda: START - timedelta(days=365))   # long expired
    api = ApiClient(base)
    for c in (code, "SCV-XXXX-YYYY"):
        r = api.call("POST", "/v1/devices/enroll", auth=False, json={"enrolment_code": c, "terminal": facts()})
        assert r.status_code == 401 and r.data["error"] == "invalid_enrolment_code"


def test_tokens_are_stored_hashed(env, client):
    _base, db_path, _clock = env
    import hashlib
    import sqlite3
    c = sqlite3.connect(db_path)
    row = c.execute("SELECT * FROM devices WHERE id=?", (client.device_id,)).fetchone()
    c.close()
    assert hashlib.sha256(client.token.encode()).hexdigest() in row
    assert not any(client.token in str(value) for value in row)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope-not-a-token", "Basic dXNlcjpwYXNz"])
def test_missing_or_bad_token_is_401_unauthorized(env, header):
    base, _db, _clock = env
    r = ApiClient(base).call("GET", "/v1/keys", headers={"Authorization": header} if header else None)
    assert r.status_code == 401 and r.data["error"] == "unauthorized"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_device_gets_401_device_revoked(env, client):
    _base, db_path, _clock = env
    assert client.call("GET", "/v1/keys").status_code == 200
    assert admin.revoke_device(db_path, client.device_id)
    r = client.call("GET", "/v1/catalog")
    assert r.status_code == 401 and r.data["error"] == "device_revoked"
    r = client.call("POST", "/v1/bookings", json={},
                    headers={"Idempotency-Key": "8b0e7d0c-1c5d-4a6e-9d2c-3f1f0e1a2b3c"})
    assert r.data["error"] == "device_revoked"


def heartbeat_body(**over):
    return {"version": "1.4.0", "uptime_s": 3600, "device_states": {"printer": "ok", "scanner": "degraded"},
            "outbox_depth": 2, "last_sync": "2026-05-04T06:58:00+02:00", "usage": {"booking": 3, "tracking": 1},
            "sent_at": "2026-05-04T07:00:00+02:00", **over}


def test_heartbeat_returns_overrides(env, client):
    _base, db_path, _clock = env
    r = client.call("POST", "/v1/devices/{device_id}/heartbeat", device_id=client.device_id, json=heartbeat_body())
    assert r.status_code == 200 and r.data["config_overrides"] == {}
    assert datetime.fromisoformat(r.data["server_time"]) == START
    admin.set_config_overrides(db_path, client.device_id, {"idle_timeout_s": 90})
    r = client.call("POST", "/v1/devices/{device_id}/heartbeat", device_id=client.device_id, json=heartbeat_body())
    assert r.data["config_overrides"] == {"idle_timeout_s": 90}


def test_heartbeat_for_another_device_is_403(client):
    r = client.call("POST", "/v1/devices/{device_id}/heartbeat", device_id="dev-other", json=heartbeat_body())
    assert r.status_code == 403 and r.data["error"] == "forbidden"


@pytest.mark.parametrize("body,field", [
    (heartbeat_body(uptime_s=-1), "uptime_s"),
    (heartbeat_body(uptime_s="5"), "uptime_s"),
    (heartbeat_body(device_states={"printer": "on fire"}), "device_states.printer"),
    (heartbeat_body(sent_at="hier"), "sent_at"),
    (heartbeat_body(sent_at="2026-05-04T07:00:00"), "sent_at"),
    (heartbeat_body(extra=True), "extra"),
    ({"version": "1.4.0"}, "uptime_s"),
])
def test_invalid_heartbeat_is_400_naming_the_field(client, body, field):
    r = client.call("POST", "/v1/devices/{device_id}/heartbeat", device_id=client.device_id, json=body)
    assert r.status_code == 400 and r.data["error"] == "validation_error"
    assert field in [e["field"] for e in r.data["details"]["errors"]]


def test_malformed_json_and_wrong_content_type(env, client):
    base, _db, _clock = env
    url = f"{base}/v1/devices/{client.device_id}/heartbeat"
    auth = {"Authorization": f"Bearer {client.token}"}
    cases = [(b"{not json", "application/json", 400, "invalid_json"),
             (b"[1, 2]", "application/json", 400, "invalid_json"),
             (b"{}", "text/plain", 415, "unsupported_media_type"),
             (b"x" * 70_000, "application/json", 413, "payload_too_large")]
    for data, ctype, status, code in cases:
        r = requests.post(url, data=data, headers={**auth, "Content-Type": ctype}, timeout=5)
        assert r.status_code == status and r.json()["error"] == code
        contract.validator("Error", closed=True).validate(r.json())


def test_unknown_route_and_method_use_the_error_shape(env, client):
    base, _db, _clock = env
    auth = {"Authorization": f"Bearer {client.token}"}
    r = requests.get(f"{base}/v1/nothing", headers=auth, timeout=5)
    assert r.status_code == 404
    contract.validator("Error").validate(r.json())
    r = requests.delete(f"{base}/v1/catalog", headers=auth, timeout=5)
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
    contract.validator("Error", closed=True).validate(r.json())


def _codes(db_path):
    import sqlite3
    c = sqlite3.connect(db_path)
    rows = c.execute("SELECT code, body FROM tracking ORDER BY code").fetchall()
    c.close()
    return {code: json.loads(body) for code, body in rows}


def test_request_tracking_without_personal_data(env, client):
    _base, db_path, _clock = env
    codes = _codes(db_path)
    waiting = next(code for code, body in codes.items() if body["status"] == "waiting_citizen")
    r = client.call("GET", "/v1/requests/{tracking_code}", tracking_code=waiting)
    assert r.status_code == 200 and r.data["message"]
    assert r.model.steps[0].done is True
    assert client.call("GET", "/v1/requests/{tracking_code}", tracking_code=waiting.lower()).status_code == 400
    r = client.call("GET", "/v1/requests/{tracking_code}",
                    tracking_code="ZZZZ-0000" if "ZZZZ-0000" not in codes else "ZZZZ-0001")
    assert r.status_code == 404
    r = client.call("GET", "/v1/requests/{tracking_code}", tracking_code="1234-ABCD")
    assert r.status_code == 400 and "ABCD-1234" in r.data["message"]


def test_keys_list_the_active_key_and_the_revoked_one(client):
    r = client.call("GET", "/v1/keys")
    assert r.status_code == 200
    year = START.astimezone(UTC).year              # the seed names its keys after the year it runs in
    assert [k["kid"] for k in r.data["keys"]] == [f"scv-{year}-01"]
    assert [k["kid"] for k in r.data["revoked_keys"]] == [f"scv-{year - 1}-01"]


def test_the_server_serves_its_own_contract(env):
    base, _db, _clock = env
    r = ApiClient(base).call("GET", "/v1/openapi.yaml", auth=False)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/yaml")
    import yaml
    assert yaml.safe_load(r.content) == contract.spec()


def test_date_header_follows_the_server_clock(env, client):
    from email.utils import parsedate_to_datetime
    r = client.call("GET", "/v1/keys")
    assert parsedate_to_datetime(r.headers["Date"]) == START


def test_weak_etag_is_accepted(client):
    etag = client.call("GET", "/v1/catalog").headers["ETag"]
    assert client.call("GET", "/v1/catalog", headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_a_server_bug_answers_500_in_the_error_shape(tmp_path):
    import sqlite3
    db_path = tmp_path / "broken.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        api = enroll(base, db_path, clock)
        conn = sqlite3.connect(db_path)
        conn.execute("UPDATE catalog SET body='{broken' WHERE id='pg-horaires'")
        conn.commit()
        conn.close()
        r = api.call("GET", "/v1/catalog")
        assert r.status_code == 500 and r.data["error"] == "internal_error"
        assert api.call("GET", "/v1/keys").status_code == 200, "the server keeps serving"
