"""Helpers for tests that talk to a real reference server over loopback.

Every answer that goes through :meth:`ApiClient.call` is checked against the OpenAPI
document (closed: no undocumented field) *and* parsed with the pydantic model the kiosk
will use, so a test of behaviour is also a test of conformance.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import requests

from kiosk.api import contract, models

from . import admin
from .server import open_database, serve

_TEMPLATES: dict[datetime, Path] = {}


@dataclass
class ManualClock:
    """The server's clock, moved by the test."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class ApiResponse(requests.Response):
    """What :meth:`ApiClient.call` returns: the response, its JSON body parsed (``data``)
    and read as the contract's model for that answer (``model``, None when it has none)."""

    data: Any
    model: Any


class ApiClient:
    def __init__(self, base_url: str, token: str | None = None, device_id: str | None = None,
                 clock: admin.Clock | None = None) -> None:
        self.base_url, self.token, self.device_id = base_url, token, device_id
        self.clock = clock   # the server's clock, when the test holds it: actions are stamped with it
        self.session = requests.Session()

    def call(self, method: str, template: str, *, json: Any = None, params: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None, auth: bool = True, **path: object) -> ApiResponse:
        """Request ``template`` (e.g. ``/v1/agendas/{agenda_id}/slots``) and check the answer
        against the contract; the parsed body is in ``response.data``."""
        sent = dict(headers or {})
        if auth and self.token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        r = self.session.request(method, self.base_url + template.format(**path), json=json,
                                 params=params, headers=sent, timeout=10)
        is_json = r.headers.get("Content-Type", "").startswith("application/json")
        body = r.json() if r.content and is_json else None
        contract.check_response(method, template, r.status_code, body, closed=True)
        name = contract.response_schema_name(method, template, r.status_code)
        answer = cast(ApiResponse, r)  # made one by the two attributes set here
        answer.data = body
        answer.model = models.ALL_MODELS[name].model_validate(body) if name else None
        return answer


def enroll(base_url: str, db_path: str | Path, clock: admin.Clock | None = None, kind: str = "totem") -> ApiClient:
    code = admin.create_enrolment_code(db_path, clock) if clock else admin.create_enrolment_code(db_path)
    client = ApiClient(base_url, clock=clock)
    r = client.call("POST", "/v1/devices/enroll", auth=False, json={
        "enrolment_code": code,
        "terminal": {"hostname": f"borne-{uuid.uuid4().hex[:6]}", "kind": kind, "app_version": "1.4.0"}})
    assert r.status_code == 201, r.text
    client.token, client.device_id = r.data["token"], r.data["device_id"]
    return client


def seeded_copy(db_path: str | Path, now: datetime) -> None:
    """Put a freshly seeded database at ``db_path``, seeding once per start time per test
    run and copying afterwards (seeding ~800 slots and 200 places each time is slow).
    Copies share their signing keys, which is harmless in tests."""
    template = _TEMPLATES.get(now)
    if template is None:
        template = Path(tempfile.mkdtemp(prefix="demo-api-template-")) / "seed.sqlite3"
        open_database(template, lambda: now)
        _TEMPLATES[now] = template
    shutil.copyfile(template, db_path)


@contextmanager
def running_server(db_path: str | Path, clock: ManualClock) -> Iterator[str]:
    """Start on a free loopback port; yield its base URL; stop it. A missing database is
    seeded at ``clock.now``."""
    if not Path(db_path).exists():
        seeded_copy(db_path, clock.now)
    server, thread = serve("127.0.0.1", 0, db_path, clock=clock)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
