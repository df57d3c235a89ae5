"""schemathesis against the reference server: the document and the server agree, operation by
operation, under every check schemathesis has.

The real server (``kiosk demo-api --now <test instant>``) runs on loopback in a child process;
the test enrols as a terminal does, with a one-time code, and sends its bearer token. Each
operation gets its examples, the coverage phase (boundaries, missing headers, undeclared
methods: 405 with ``Allow``) and a bounded, seeded fuzzing phase, positive and negative; then a
stateful run follows the contract's links: enrol → catalog → slots → book → cancel with the
ticket's QR code, and booking request → where it stands.

A terminal stamps its actions with its own clock and sends them as itself: positive cases do
the same (``terminal_id`` is the enrolled device, ``created_at``/``scanned_at`` the server's
time, one fresh ``Idempotency-Key`` per action). Otherwise every generated value goes as
generated. A schema-valid request may still be refused by a rule the contract states in prose
(« Plausibility »: instants, a slot of another service, a token that is not genuine; « References »:
a terminal's reference whose check character is wrong): 400 ``invalid_request`` / ``invalid_token`` /
``invalid_reference`` is accepted for those, and the extra check
:func:`no_shape_refusal_of_valid_data` fails any other 400 of a schema-valid request, so the
schemas and the server's models must agree exactly.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from timebase import test_now

from kiosk.api import SPEC_PATH, models
from kiosk.demo_api import admin

pytestmark = pytest.mark.reference_server

REPO = Path(__file__).resolve().parents[2]
SEED = 20261203
EXAMPLES = 12          # fuzzed cases per operation (plus its examples and the coverage phase)
STATEFUL_SCENARIOS = 20
STATEFUL_STEPS = 8
# 400s the contract states in prose (« Plausibility »; « References »: a check character)
SEMANTIC_REFUSALS = {"invalid_request", "invalid_token", "invalid_reference"}
STAMPED = ("created_at", "scanned_at", "filed_at")
ID = re.compile(models.ID)
# The answers every stateful run reaches (how far a scenario goes past them, to a booking and its
# cancellation, depends on the server's state: a slot taken, references drawn at random).
CHAIN = ["POST /v1/devices/enroll 201", "GET /v1/catalog 200", "GET /v1/agendas/{agenda_id}/slots 200"]


@dataclass
class Server:
    """The running reference server and the terminal the test enrolled on it."""

    url: str
    db_path: Path
    token: str
    device_id: str
    process: subprocess.Popen[str]
    agent_token: str = ""
    keys: Iterator[int] = field(default_factory=itertools.count)
    agenda_services: dict[str, str] = field(default_factory=dict)

    def new_key(self) -> str:
        """A fresh, deterministic Idempotency-Key (one per action, as the outbox does)."""
        return str(uuid.UUID(int=SEED * 2**64 + next(self.keys)))

    def new_enrolment_code(self) -> str:
        return admin.create_enrolment_code(self.db_path, test_now)


def _enrol(url: str, code: str) -> dict[str, Any]:
    terminal = {"hostname": "borne-schemathesis", "kind": "totem", "app_version": "1.4.0"}
    r = requests.post(f"{url}/v1/devices/enroll", timeout=10, json={"enrolment_code": code, "terminal": terminal})
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db_path = tmp_path_factory.mktemp("schemathesis") / "api.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "demo-api", "--host", "127.0.0.1", "--port", "0", "--db", str(db_path),
         "--now", test_now().isoformat(), "--exit-with-stdin"],
        cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" on ", 1)[1].split()[0]      # "Kiosk Sync API v1 on http://…"
        code = process.stdout.readline().rsplit(": ", 1)[1].strip()          # "One-time enrolment code: …"
        enrolled = _enrol(url, code)
        running = Server(url, db_path, enrolled["token"], enrolled["device_id"], process,
                         agent_token=admin.create_agent_token(db_path, clock=test_now))
        catalog = requests.get(f"{url}/v1/catalog", timeout=10,
                               headers={"Authorization": f"Bearer {running.token}"}).json()
        running.agenda_services = {agenda: svc["id"] for svc in catalog["services"] for agenda in svc["agenda_ids"]}
        yield running
    finally:
        if process.stdin:
            process.stdin.close()      # --exit-with-stdin: the server stops
        process.wait(timeout=10)


def _config() -> SchemathesisConfig:
    """Everything but the server's address and token, known only once it runs (``base_url`` and the
    ``Authorization`` header are given with each call)."""
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "request-timeout": 10,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none", "deterministic": True},
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        "checks": {
            "enabled": True,
            # the prose rules of the contract (see the module docstring); any other 400 still fails
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409"]},
        },
        # a démarche's answers are judged by the form the town published (its id, its version, its
        # JSON Schema): a schema-valid body names a form or breaks a rule of it, refused with 422
        "operations": [{"include-operation-id": "fileDemarche", "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "403", "404", "422"]}}}],
    })


contract = schemathesis.openapi.from_path(SPEC_PATH, config=_config())
# The coverage phase's cases are made when tests are collected, before the server runs: they carry
# this stand-in, replaced with the terminal's token when the case is sent.
TOKEN_STAND_IN = "Bearer the-terminal-token"


@contract.auth(refresh_interval=None)
class TerminalToken:
    """``Authorization: Bearer <token>`` as the contract says, left out where schemathesis tests
    the absence of credentials (missing header, ignored auth)."""

    def get(self, case: Any, ctx: Any) -> str:
        return TOKEN_STAND_IN

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


@schemathesis.check
def no_shape_refusal_of_valid_data(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request is never refused for its shape (``validation_error``,
    ``invalid_json``…): only by a rule the contract states in prose."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    if not case.operation.label.split(" ", 1)[1].startswith("/v1/"):
        return None        # checks are global: another document's test (Open311) has its own error shape
    try:
        code = response.json().get("error")
    except ValueError:
        code = None
    if code not in SEMANTIC_REFUSALS:
        raise AssertionError(f"a schema-valid request was refused as {code!r}: {response.text[:300]}")
    return None


def act_as_the_terminal(case: Any, server: Server, device_id: str, token: str) -> None:
    """What a terminal does to every action it sends: its token, its own id, its clock, a new key."""
    if case.headers and case.headers.get("Authorization") == TOKEN_STAND_IN:
        # the agents' operations take an agent's token (the back office), the others the terminal's
        agent = case.operation.label.split(" ", 1)[1].startswith("/v1/agent/")
        case.headers["Authorization"] = f"Bearer {server.agent_token if agent else token}"
    # a well-formed id stands for this terminal's, so that a negative case reaches the check of the
    # component it breaks instead of stopping at 403 (an id outside its pattern stays as generated)
    if isinstance(case.body, dict) and ID.match(str(case.body.get("terminal_id", ""))):
        case.body["terminal_id"] = device_id
    if case.path_parameters and ID.match(str(case.path_parameters.get("device_id", ""))):
        case.path_parameters["device_id"] = device_id
    # a long poll of the calls holds up to `wait` seconds by design (its own tests time it): here it
    # answers at once, whatever else the case holds
    if case.operation.label == "GET /v1/calls" and isinstance(case.query, dict) and str(case.query.get("wait", "")) \
            in {str(n) for n in range(1, 26)}:
        case.query["wait"] = 0
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if isinstance(case.body, dict):
        for name in STAMPED:
            if name in case.body:
                case.body[name] = test_now().isoformat()
        if "wanted_start" in case.body:      # a time in the coming days (the limits have their own tests)
            case.body["wanted_start"] = (test_now() + timedelta(days=2)).isoformat()
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = server.new_key()


@contract.parametrize()
def test_every_operation_keeps_the_contract(case: Any, server: Server) -> None:
    act_as_the_terminal(case, server, server.device_id, server.token)
    case.call_and_validate(base_url=server.url, additional_checks=[no_shape_refusal_of_valid_data])


def test_stateful_links_keep_the_contract(server: Server) -> None:
    """enrol → catalog → slots → book → cancel; booking request → where it stands."""
    base = contract.as_state_machine()
    reached: collections.Counter[str] = collections.Counter()
    failures: list[BaseException] = []

    class Terminal(base):  # type: ignore[misc,valid-type]  # a class made by schemathesis at run time
        def setup(self) -> None:
            self.token, self.device_id = server.token, server.device_id
            self.tickets: dict[str, str] = {}      # booking id -> its check-in token (the ticket's QR code)

        def before_call(self, case: Any) -> None:
            if case.operation.label == "POST /v1/devices/enroll" and isinstance(case.body, dict):
                case.body["enrolment_code"] = server.new_enrolment_code()   # a technician's fresh code
            act_as_the_terminal(case, server, self.device_id, self.token)
            positive = case.meta is not None and case.meta.generation.mode.is_positive
            if positive and case.operation.label == "GET /v1/agendas/{agenda_id}/slots" and case.query:
                for name in ("from", "to", "since"):        # a terminal asks for the coming weeks
                    case.query.pop(name, None)
            if case.operation.label == "POST /v1/bookings" and isinstance(case.body, dict):
                agenda = str(case.body.get("slot_id", "")).rsplit("-", 1)[0]
                if agenda in server.agenda_services:   # the service of the slot's agenda, as the screen knows it
                    case.body["service_id"] = server.agenda_services[agenda]
            booking_id = (case.path_parameters or {}).get("booking_id")
            if positive and isinstance(case.body, dict) and booking_id in self.tickets:
                case.body["token"] = self.tickets[booking_id]   # the citizen shows the ticket's QR code,
                case.body.pop("last_name", None)                 # and types no name

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": server.url}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            reached[f"{case.operation.label} {response.status_code}"] += 1
            if case.operation.label == "POST /v1/devices/enroll" and response.status_code == 201:
                enrolled = response.json()
                self.token, self.device_id = enrolled["token"], enrolled["device_id"]
            if case.operation.label == "POST /v1/bookings" and response.status_code == 201:
                booked = response.json()
                self.tickets[booked["id"]] = booked["checkin_token"]

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            try:
                super().validate_response(response, case, additional_checks=[no_shape_refusal_of_valid_data],
                                          **kwargs)
            except Exception as exc:
                failures.append(exc)
                raise

    # Derandomized, a run follows one fixed path through the links given the server's answers; on a
    # server whose state other tests of this module moved first (under xdist, whichever ran on the same
    # worker), that path once never took the slots link. Each attempt makes longer scenarios, hence
    # another fixed path: still reproducible, no longer hostage to one unlucky one.
    for steps in (STATEFUL_STEPS, STATEFUL_STEPS + 4, STATEFUL_STEPS + 8):
        settings = hypothesis.settings(max_examples=STATEFUL_SCENARIOS, stateful_step_count=steps,
                                       derandomize=True, database=None, deadline=None,
                                       # no shrinking: replaying on a server whose state moved on
                                       # would report a flaky strategy instead of the failure
                                       phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                                       suppress_health_check=list(hypothesis.HealthCheck))
        # Flaky: Hypothesis met a scenario prefix again and the server, whose state moved on since (slots
        # taken, ids drawn at random), answered otherwise: not a contract failure (schemathesis' own runner
        # treats it so too); a check that failed before is in `failures`
        with contextlib.suppress(hypothesis.errors.Flaky):
            Terminal.run(settings=settings)
        if failures or all(reached[step] for step in CHAIN):
            break
    assert not failures, failures[0]
    assert all(reached[step] for step in CHAIN), f"the links were not all followed: {dict(reached)}"
