"""A démarche queued in the terminal's real outbox reaches the reference server through the real sync
worker: filed once, its personal part purged after the acknowledgement, a refusal kept without the
answers. This is the path an offline démarche takes (the terminal's feature code is dem-engine's; the
outbox row here is built as the contract says, answers and contact in the personal part)."""

from __future__ import annotations

import sqlite3

import pytest
from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock as KioskClock
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.sync import SyncWorker
from offline_cache.db import open_cache
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

START = test_now()
SURNAME = "Quiblier"
CONTACT = {"phone": "06 98 76 54 32"}
TERMINAL = {"hostname": "borne-hall", "kind": "totem", "app_version": "1.4.0"}


def civil(copy_kind: str, link: str) -> dict[str, object]:
    return {"record_type": "marriage", "copy_kind": copy_kind, "requester_link": link, "last_name": SURNAME,
            "first_names": "Jeanne", "event_date": "2012-06-30", "event_town": "Angers", "delivery": "town_hall"}


@pytest.fixture
def terminal(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ManualClock(START)
    with running_server(db_path, server_clock) as base:
        clock = KioskClock(START)
        client = ApiClient(base, credentials_path=tmp_path / "credentials.json", now=clock.now, max_attempts=1)
        client.enroll(admin.create_enrolment_code(db_path, server_clock), TERMINAL)
        cache = tmp_path / "cache.sqlite3"
        worker = SyncWorker(cache, client, clock=clock, post=lambda *_a, **_k: None)
        ui = open_cache(cache)
        try:
            yield Outbox(ui, clock), worker, client, db_path, tmp_path
        finally:
            ui.close()


def enqueue(outbox: Outbox, answers: dict[str, object]) -> str:
    payload = {"form_id": "acte-etat-civil", "form_version": 1, "language": "fr", "filed_at": START.isoformat()}
    return outbox.enqueue("demarche", payload, personal={"answers": answers, "contact": CONTACT})


def server_rows(db_path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT tracking_code, form_id FROM demarches").fetchall()
    finally:
        conn.close()


def test_an_offline_demarche_is_filed_once_and_its_personal_part_purged(terminal):
    outbox, worker, client, db_path, tmp_path = terminal
    key = enqueue(outbox, civil("full", "descendant"))
    first = worker.run_once()
    assert first.error is None and first.push.acknowledged == [key]
    [(code, form_id)] = server_rows(db_path)
    assert form_id == "acte-etat-civil"
    row = outbox.get(key)
    assert row.personal is None and row.server_status == 201
    again = worker.run_once(force=True)          # nothing left to send: still one démarche on the server
    assert again.push.acknowledged == [] and len(server_rows(db_path)) == 1
    assert client.tracked_request(code).steps[0].label == "Demande reçue"
    outbox.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in tmp_path.glob("cache.sqlite3*"):
        assert SURNAME.encode() not in path.read_bytes() and CONTACT["phone"].encode() not in path.read_bytes()


def test_a_refused_demarche_is_final_and_keeps_no_answer(terminal):
    outbox, worker, _client, db_path, _tmp = terminal
    key = enqueue(outbox, civil("with_parents", "other"))
    report = worker.run_once()
    assert [r.uuid for r in report.push.refused] == [key]
    row = outbox.get(key)
    assert row.state == "failed" and row.server_status == 422 and row.personal is None
    assert row.server_message.startswith("invalid_answers: ") and "requester_link" in row.server_message
    assert SURNAME not in row.server_message and server_rows(db_path) == []
