"""The reference server's tracked requests agree with themselves, as the contract says a
TrackedRequest must (issue 14, defect 7: the seed named the last step done as the current
one, and a refused request had every step done, the work it refused included)."""

from __future__ import annotations

import pytest
from timebase import test_now

from kiosk.api import models
from kiosk.demo_api import db, seed
from kiosk.demo_api.seed_data import DEMO_TRACKING_CODES

pytestmark = pytest.mark.reference_server


@pytest.fixture(scope="module")
def requests(tmp_path_factory) -> list[models.TrackedRequest]:
    conn = db.connect(tmp_path_factory.mktemp("seed") / "api.sqlite3")
    try:
        db.create_schema(conn)
        seed.seed(conn, test_now())
        rows = conn.execute("SELECT body FROM tracking").fetchall()
        return [models.TrackedRequest.model_validate_json(body) for (body,) in rows]
    finally:
        conn.close()


def test_every_seeded_request_names_the_step_its_timeline_is_at(requests):
    for req in requests:
        pending = [s for s in req.steps if not s.done]
        if req.status in ("in_progress", "waiting_citizen"):
            assert pending and req.current_step == pending[0].label, req.tracking_code
            first = req.steps.index(pending[0])
            assert all(s.done for s in req.steps[:first]) and not any(s.done for s in req.steps[first:])
        else:
            assert not pending and req.current_step == req.steps[-1].label, req.tracking_code
        assert all((s.date is not None) == s.done for s in req.steps), req.tracking_code


def test_a_refused_request_lists_only_what_happened(requests):
    refused = [r for r in requests if r.status == "rejected"]
    assert refused
    for req in refused:
        assert req.steps[-1].label == "Demande refusée" and req.current_step == "Demande refusée"
        kinds = seed.TRACKING_TYPES[req.request_type]
        happened = [s.label for s in req.steps[:-1]]
        assert happened and happened == kinds[:len(happened)] and len(happened) < len(kinds), req.tracking_code


def test_the_demo_numbers_keep_their_status(requests):
    by_code = {r.tracking_code: r.status for r in requests}
    assert {code: by_code.get(code) for code in DEMO_TRACKING_CODES} == DEMO_TRACKING_CODES
