"""The registry of action kinds is the single source: everything else follows from it."""

from __future__ import annotations

import pytest

from kiosk.api import contract
from kiosk.api.action_kinds import ACTION_KINDS, KIND_NAMES, Kind, action_kind
from kiosk.demo_api import routes
from kiosk.services.action_kinds import TERMINAL_SIDE, admin_words
from kiosk.services.outcomes import MESSAGES, Outcome
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox


def test_every_kind_is_declared_once_on_each_side():
    assert list(ACTION_KINDS) == list(Kind) and tuple(k.value for k in Kind) == KIND_NAMES
    assert all(name == kind.name for name, kind in ACTION_KINDS.items())
    assert set(TERMINAL_SIDE) == set(Kind)
    assert set(admin_words()) == set(KIND_NAMES) and all(admin_words().values())


def test_every_kind_is_an_operation_of_the_contract_with_its_success_status():
    for kind in ACTION_KINDS.values():
        operation = contract.spec()["paths"][kind.path][kind.method.lower()]
        assert str(kind.success_status) in operation["responses"]
        assert contract.response_schema_name(kind.method, kind.path, kind.success_status) == kind.response.__name__
        schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert schema.rsplit("/", 1)[-1] == kind.request.__name__


def test_the_reference_server_serves_every_kind_and_nothing_else_by_hand():
    assert set(routes.ACTION_HANDLERS) == set(KIND_NAMES)
    for kind in ACTION_KINDS.values():
        handler, _auth, _params = routes.match(kind.method, kind.path.replace("{booking_id}", "b-1"))
        assert handler is routes.ACTION_HANDLERS[kind.name]


def test_every_refusal_code_of_a_kind_has_its_sentence():
    for wording in TERMINAL_SIDE.values():
        assert all(code in MESSAGES for code in wording.refusals)
        for code in wording.refusals:
            assert Outcome(Kind.BOOKING, "refused", code=code).message


def test_the_outbox_accepts_exactly_the_registrys_kinds(tmp_path):
    conn = open_cache(tmp_path / "c.sqlite3")
    outbox = Outbox(conn)
    for name in KIND_NAMES:
        assert outbox.get(outbox.enqueue(name, {}, personal=None)).kind == name
    with pytest.raises(ValueError, match="unknown outbox kind 'parking_permit'"):
        outbox.enqueue("parking_permit", {}, personal=None)
    # the schema itself holds no list of kinds any more (schema v5): the registry decides
    schema = conn.execute("SELECT sql FROM actions.sqlite_master WHERE name = 'outbox'").fetchone()[0]   # its own file
    assert "'booking'" not in schema
    conn.close()


def test_request_paths_come_from_the_registry():
    body = {"booking_id": "b/1", "reference": "RDV-1", "last_name": "X"}
    assert action_kind("cancellation").request_path(body) == "v1/bookings/b%2F1/cancel"
    assert body == {"reference": "RDV-1", "last_name": "X"}                    # the id only names the booking
    assert action_kind("cancellation").request_path({"reference": "RDV-1"}) == "v1/bookings/RDV-1/cancel"
    assert action_kind("booking").request_path({"slot_id": "s"}) == "v1/bookings"
    assert action_kind("queue_ticket").request_path({"service_id": "svc-x"}) == "v1/queue-tickets"
    with pytest.raises(ValueError, match="unknown action kind"):
        action_kind("parking_permit")


def test_outcomes_take_the_registrys_kinds_only():
    with pytest.raises(ValueError):
        Outcome("parking_permit", "done")   # type: ignore[arg-type]  # a plain string that names no kind
    assert Outcome("booking", "done").kind is Kind.BOOKING


