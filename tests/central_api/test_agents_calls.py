"""The agents' calls (call next, recall, absent, served) and the displays' long poll, over
loopback against the reference server; `kiosk demo-api` start-up lines and `agent` commands."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from queue_api_support import WALK_IN, agenda_slot, queue_env
from timebase import test_now

from kiosk.api import models
from kiosk.demo_api import admin, agent_cli, db
from kiosk.demo_api.server import serve
from kiosk.demo_api.testing import ApiClient, ManualClock, enroll, seeded_copy

pytestmark = pytest.mark.reference_server
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path):
    with queue_env(tmp_path) as running:
        running.at("09:00")
        yield running


def test_only_an_agent_token_may_call(env):
    body = {"service_id": WALK_IN, "counter": "Guichet 1"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert env.terminal.call("POST", "/v1/agent/calls", json=body, headers=key).data["error"] == "unauthorized"
    nobody = ApiClient(env.base)
    r = nobody.call("POST", "/v1/agent/calls/{queue_number}/served", queue_number="C001", headers=key)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")


def test_call_next_takes_due_appointments_first_then_everyone_by_arrival(env):
    env.at("08:00")
    due = env.book(agenda_slot("ag-etat-civil-1", "09:10", env.clock.now))
    not_yet = env.book(agenda_slot("ag-etat-civil-1", "10:10", env.clock.now))
    env.at("09:00")
    assert env.ticket().data["queue_number"] == "C001"
    env.at("09:02")
    assert env.checkin(reference=not_yet["reference"]).data["queue_number"] == "A001"
    env.at("09:05")
    assert env.checkin(reference=due["reference"]).data["queue_number"] == "A002"
    assert env.ticket().data["queue_number"] == "C002"
    r = env.call_next("Guichet 1")
    assert r.status_code == 200 and r.data["queue_number"] == "C001"          # 09:10 has not come: by arrival
    env.at("09:11")
    assert env.call_next("Guichet 1").data["queue_number"] == "A002"          # its start has come
    assert env.call_next("Guichet 2").data["queue_number"] == "A001"          # early, but arrived before C002
    last = env.call_next("Guichet 2")
    assert last.data == {"seq": 4, "queue_number": "C002", "counter": "Guichet 2", "service_id": WALK_IN,
                         "kind": "call", "at": env.clock.now.isoformat()}
    empty = env.call_next("Guichet 1")
    assert empty.status_code == 404 and empty.data["error"] == "queue_empty"
    unknown = env.call_next("Guichet 1", service="svc-inconnu")
    assert unknown.status_code == 404 and unknown.data["error"] == "not_found"
    bad = env.agent.call("POST", "/v1/agent/calls", json={"service_id": WALK_IN, "counter": ""},
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert bad.status_code == 400 and bad.data["error"] == "validation_error"


def test_a_repeated_call_is_the_same_call_not_a_second_visitor(env):
    env.ticket()
    env.ticket()
    key = str(uuid.uuid4())
    first = env.call_next("Guichet 1", key=key)
    again = env.call_next("Guichet 1", key=key)
    assert again.data == first.data and again.headers["Idempotent-Replayed"] == "true"
    assert env.board().data["seq"] == first.data["seq"] and env.queue()["waiting"] == 1


def test_recall_three_calls_at_most_then_absent_or_served(env):
    env.at("08:00")
    made = env.book(agenda_slot("ag-etat-civil-1", "09:10", env.clock.now))
    env.at("09:10")
    number = env.checkin(reference=made["reference"]).data["queue_number"]
    r = env.act("absent", number)
    assert r.status_code == 409 and r.data["error"] == "not_called"             # absent only after a call
    assert env.act("recall", number).data["error"] == "not_called"
    assert env.act("recall", "Z999").status_code == 404
    call = env.call_next("Guichet 3").data
    recalls = [env.act("recall", number) for _ in range(3)]
    assert [r.status_code for r in recalls] == [200, 200, 409]
    assert recalls[0].data == {**call, "seq": call["seq"] + 1, "kind": "recall"}
    assert recalls[2].data["error"] == "too_many_calls" and recalls[2].data["details"] == {"calls": 3}
    absent = env.act("absent", number)
    assert absent.status_code == 204 and absent.content == b""
    assert env.act("served", number).data["error"] == "invalid_state"
    assert admin_state(env, made["id"]) == "noshow"
    env.ticket()
    served_number = env.call_next("Guichet 3").data["queue_number"]
    assert env.act("served", served_number).status_code == 204
    assert env.act("recall", served_number).data["error"] == "invalid_state"


def admin_state(env, booking_id: str) -> str:
    conn = db.connect(env.db_path)
    try:
        state: str = conn.execute("SELECT state FROM bookings WHERE id=?", (booking_id,)).fetchone()[0]
        return state
    finally:
        conn.close()


def test_the_board_lists_the_last_ten_calls_newest_first_and_who_waits(env):
    for _ in range(12):
        env.ticket()
    for _ in range(11):
        env.call_next("Guichet 1")
    board = env.board()
    assert board.data["seq"] == 11 and [c["seq"] for c in board.data["calls"]] == list(range(11, 1, -1))
    assert board.data["waiting"] == [{"letter": "C", "service_id": WALK_IN, "waiting": 1}]
    assert board.data["server_time"] == env.clock.now.isoformat()
    for bad in ({"wait": "26"}, {"after": "-1"}, {"wait": "un peu"}):
        r = env.terminal.call("GET", "/v1/calls", params=bad)
        assert r.status_code == 400 and r.data["error"] == "validation_error"


def _poll(env, after: int, wait: int, out: dict) -> None:
    started = time.monotonic()
    out["answer"] = env.board(after=after, wait=wait)
    out["at"] = time.monotonic()
    out["took"] = out["at"] - started


def test_a_held_poll_answers_within_a_second_of_a_call_and_blocks_nobody(env):
    env.ticket()
    out: dict = {}
    poller = threading.Thread(target=_poll, args=(env, 0, 10, out))
    poller.start()
    time.sleep(0.5)
    assert poller.is_alive()                                            # held: nothing newer than 0
    other = ApiClient(env.base, token=env.terminal.token)
    started = time.monotonic()
    assert other.call("GET", "/v1/queues").status_code == 200
    assert time.monotonic() - started < 0.5                             # the held request blocks no one
    called_at = time.monotonic()
    call = env.call_next("Guichet 1").data
    poller.join(timeout=5)
    assert not poller.is_alive() and out["at"] - called_at < 1.0
    assert out["answer"].data["seq"] == call["seq"] and out["answer"].data["calls"][0] == call


def test_a_poll_with_nothing_new_answers_when_its_wait_runs_out(env):
    out: dict = {}
    _poll(env, 0, 1, out)
    assert 0.9 <= out["took"] < 2.5 and out["answer"].data["seq"] == 0 and out["answer"].data["calls"] == []
    env.ticket()
    env.call_next("Guichet 1")
    _poll(env, 0, 5, out)                                               # a newer call exists: at once
    assert out["took"] < 0.5 and out["answer"].data["seq"] == 1


def test_a_display_holding_yesterdays_seq_is_answered_at_once(env):
    env.ticket()
    seq = env.call_next("Guichet 1").data["seq"]
    env.clock.now = env.clock.now.replace(hour=8) + timedelta(days=1)
    out: dict = {}
    _poll(env, seq, 5, out)
    assert out["took"] < 0.5 and out["answer"].data["seq"] == 0 and out["answer"].data["calls"] == []


def test_stopping_the_server_does_not_wait_for_held_polls(tmp_path):
    clock = ManualClock(test_now())
    db_path = tmp_path / "api.sqlite3"
    seeded_copy(db_path, clock.now)
    server, thread = serve("127.0.0.1", 0, db_path, clock=clock)
    terminal = enroll(f"http://127.0.0.1:{server.server_port}", db_path, clock)
    out: dict = {}
    poller = threading.Thread(target=_poll_raw, args=(terminal, out))
    poller.start()
    time.sleep(0.3)
    started = time.monotonic()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    poller.join(timeout=5)
    assert time.monotonic() - started < 2.0 and not poller.is_alive()
    assert out["status"] == 200


def _poll_raw(terminal: ApiClient, out: dict) -> None:
    r = requests.get(f"{terminal.base_url}/v1/calls", params={"after": 0, "wait": 25}, timeout=30,
                     headers={"Authorization": f"Bearer {terminal.token}"})
    out["status"] = r.status_code


def test_kiosk_demo_api_prints_an_agent_token_and_the_agent_commands_work(tmp_path, capsys):
    db_path = tmp_path / "demo.sqlite3"
    start = (test_now()).isoformat()
    with subprocess.Popen([sys.executable, "-m", "kiosk", "demo-api", "--port", "0", "--db", str(db_path),
                           "--now", start, "--exit-with-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split(" on ", 1)[1].split()[0]
            proc.stdout.readline()                                       # the enrolment code
            token = proc.stdout.readline().removeprefix("Agent token: ").strip()
            example = proc.stdout.readline()
            assert token.startswith("agt-") and f"--url {url} --token {token} call --service" in example
            assert agent_cli.main(["--url", url, "--token", token, "call", "--service", WALK_IN,
                                   "--counter", "Guichet 1"]) == 1
            assert "queue_empty" in capsys.readouterr().err              # nobody waits: said in a line
            assert agent_cli.main(["--url", url, "--token", "faux", "served", "C001"]) == 1
            assert "unauthorized" in capsys.readouterr().err
            assert agent_cli.main(["--url", url, "served", "C001"]) == 2  # no token, no environment variable
        finally:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=10)


def test_agent_commands_call_recall_and_serve(env, capsys, monkeypatch):
    env.ticket()
    monkeypatch.setenv(agent_cli.TOKEN_ENV, env.agent.token or "")
    assert agent_cli.main(["--url", env.base, "call", "--service", WALK_IN, "--counter", "Guichet 2"]) == 0
    assert capsys.readouterr().out == "C001 → Guichet 2 (appel n° 1)\n"
    assert agent_cli.main(["--url", env.base, "recall", "c001"]) == 0
    assert capsys.readouterr().out == "C001 → Guichet 2 (rappel n° 2)\n"
    assert agent_cli.main(["--url", env.base, "served", "C001"]) == 0
    assert capsys.readouterr().out == "C001: served\n"
    assert agent_cli.main(["--url", env.base, "absent", "C001"]) == 1
    assert "invalid_state" in capsys.readouterr().err
    assert models.CallBoard.model_validate(env.board().data).calls[0].kind == "recall"
    assert agent_cli.main(["--url", "http://127.0.0.1:9", "served", "C001"]) == 1
    assert "cannot reach" in capsys.readouterr().err


def test_agent_tokens_are_bounded(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(test_now())
    seeded_copy(db_path, clock.now)
    tokens = [admin.create_agent_token(db_path, clock=clock) for _ in range(admin.AGENT_TOKENS_KEPT + 3)]
    conn = db.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM agent_tokens").fetchone()[0] == admin.AGENT_TOKENS_KEPT
    finally:
        conn.close()
    assert len(set(tokens)) == len(tokens)
