"""schemathesis against the reference server's Open311 side: ``open311.yaml`` and the server agree.

As ``tests/central_api/test_contract_schemathesis.py`` does for the contract: each operation gets
its examples, the coverage phase and a bounded, seeded fuzzing phase, positive and negative, under
every check schemathesis has. A positive case posts as a terminal does: its token as ``api_key``
and a fresh ``Idempotency-Key``; everything else goes as generated (a random ``service_code`` is
then a 404, which Open311 documents).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from timebase import test_now

from kiosk.api import OPEN311_SPEC_PATH
from kiosk.demo_api.testing import ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

SEED = 20261204
EXAMPLES = 15


@dataclass
class Server:
    url: str
    token: str
    keys: Iterator[int] = field(default_factory=itertools.count)

    def new_key(self) -> str:
        return str(uuid.UUID(int=SEED * 2**64 + next(self.keys)))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db_path = tmp_path_factory.mktemp("open311-schemathesis") / "api.sqlite3"
    clock = ManualClock(test_now())
    with running_server(db_path, clock) as base:
        yield Server(f"{base}/open311/v2", enroll(base, db_path, clock).token or "")


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "request-timeout": 10,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none", "deterministic": True},
        "checks": {
            "enabled": True,
            # a schema-valid post may still name a service that does not exist (404) or a street the
            # catalog lacks, or be too vague about its place (400): Open311 states those in prose
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404"]},
        },
    })


document = schemathesis.openapi.from_path(OPEN311_SPEC_PATH, config=_config())


def act_as_the_terminal(case: Any, server: Server) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if isinstance(case.body, dict) and case.operation.label == "POST /requests.json":
        case.body["api_key"] = server.token
        case.headers = {**(case.headers or {}), "Idempotency-Key": server.new_key()}


@document.parametrize()
def test_every_open311_operation_keeps_its_document(case: Any, server: Server) -> None:
    act_as_the_terminal(case, server)
    case.call_and_validate(base_url=server.url)
