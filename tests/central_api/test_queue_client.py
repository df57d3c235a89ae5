"""The terminal's own client (kiosk.api.client) on the queue operations, against the reference
server on loopback: typed answers, typed refusals, the outbox path (send_action with the
queue_ticket kind) and a long poll whose read timeout covers its wait."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pytest
from queue_api_support import DAY_START, WALK_IN, paris, queue_env

from kiosk.api import models
from kiosk.api.action_kinds import QUEUE_TICKET, action_kind
from kiosk.api.client import ApiClient
from kiosk.api.errors import Conflict, FinalRefusal
from kiosk.clock import PARIS
from kiosk.demo_api import admin

pytestmark = pytest.mark.reference_server
TERMINAL = {"hostname": "borne-accueil", "kind": "counter", "app_version": "1.4.0"}


@pytest.fixture
def env(tmp_path):
    with queue_env(tmp_path) as running:
        running.at("09:00")
        client = ApiClient(running.base, credentials_path=tmp_path / "credentials.json", now=running.clock,
                           sleep=lambda s: None)
        client.enroll(admin.create_enrolment_code(running.db_path, running.clock), TERMINAL)
        yield running, client
        client.close()


def test_number_blocks_for_today_and_tomorrow(env):
    running, client = env
    today = running.clock.now.astimezone(PARIS).date()
    block = client.number_block(today)
    assert block == models.NumberBlock(day=today, first=960, last=999)
    assert client.number_block(today + timedelta(days=1)).first == 960
    with pytest.raises(FinalRefusal) as refused:
        client.number_block(today + timedelta(days=3))
    assert refused.value.code == "invalid_request"


def test_a_walk_in_through_the_outbox_path_and_directly(env):
    running, client = env
    body = models.QueueTicketCreate(service_id=WALK_IN, terminal_id=client.device_id, taken_at=running.clock.now)
    key = str(uuid.uuid4())
    sent = client.send_action(action_kind("queue_ticket"), body, key)
    assert isinstance(sent, models.QueueTicket) and sent.queue_number == "C001"
    assert client.create_queue_ticket(body, key) == sent                       # the same key: the same number
    second = client.create_queue_ticket(body, str(uuid.uuid4()))
    assert (second.queue_number, second.people_ahead, second.estimated_wait_minutes) == ("C002", 1, 15)
    with pytest.raises(Conflict) as refused:
        client.send_action(QUEUE_TICKET, {**body.model_dump(mode="json"), "service_id": "svc-cni"}, str(uuid.uuid4()))
    assert refused.value.code == "not_walk_in"


def test_the_queues_and_a_long_poll_of_the_calls(env):
    running, client = env
    client.create_queue_ticket({"service_id": WALK_IN, "terminal_id": client.device_id,
                                "taken_at": paris(running.clock.now)}, str(uuid.uuid4()))
    board = client.queues()
    state = next(q for q in board.queues if q.service_id == WALK_IN)
    assert state.status == "open" and state.waiting == 1 and board.day == DAY_START.date()
    first = client.calls(after=0, wait_s=0)
    assert first.seq == 0 and first.calls == [] and first.waiting[0].waiting == 1
    result: dict = {}

    def poll() -> None:
        result["board"] = client.clone().calls(after=0, wait_s=15)
    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    call = running.call_next("Guichet 4").data
    poller.join(timeout=5)
    assert not poller.is_alive() and result["board"].calls[0] == models.Call.model_validate(call)


def test_a_long_poll_outlasts_the_clients_read_timeout(env):
    _running, client = env
    impatient = client.clone(read_timeout_s=0.5)             # a long poll holds longer than that by design
    started = time.monotonic()
    board = impatient.calls(after=0, wait_s=1.5)              # whole seconds: 1
    assert 0.9 <= time.monotonic() - started < 3 and board.seq == 0
