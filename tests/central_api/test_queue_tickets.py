"""Walk-in tickets, the state of the queues and the extended check-in, over loopback against the
reference server (its clock held by the test); every answer is checked against the contract."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from queue_api_support import APPOINTMENT_ONLY, WALK_IN, WALK_IN_DATA, agenda_slot, on_day, paris, queue_env

from kiosk.api import contract, models
from kiosk.demo_api import admin, seed_data

pytestmark = pytest.mark.reference_server


@pytest.fixture
def env(tmp_path):
    with queue_env(tmp_path) as running:
        running.at("09:00")
        yield running


def test_a_walk_in_gets_a_number_where_to_wait_and_an_estimate(env):
    first = env.ticket()
    assert first.status_code == 200, first.text
    assert first.data["queue_number"] == "C001" and first.data["waiting_area"] == WALK_IN_DATA["waiting_area"]
    assert first.data["people_ahead"] == 0 and first.data["estimated_wait_minutes"] == 0
    second = env.ticket()
    assert second.data["queue_number"] == "C002" and second.data["people_ahead"] == 1
    assert second.data["estimated_wait_minutes"] == 15        # no handling time known yet: the service's 15 minutes
    assert second.data["id"] != first.data["id"]


def test_pressing_twice_is_one_number_and_a_reused_key_is_refused(env):
    key = str(uuid.uuid4())
    first = env.ticket(key=key)
    again = env.ticket(key=key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data == first.data
    other = env.ticket(key=key, service_id="svc-ccas")
    assert other.status_code == 422 and other.data["error"] == "idempotency_key_reused"
    assert env.ticket().data["queue_number"] == "C002"      # the replay took no number


def test_refusals_of_a_walk_in_each_with_its_code(env):
    r = env.ticket(APPOINTMENT_ONLY)
    assert r.status_code == 409 and r.data["error"] == "not_walk_in"
    assert env.ticket("svc-inconnu").status_code == 404
    env.at("12:10")                                          # between the morning and the afternoon
    r = env.ticket()
    assert r.status_code == 409 and r.data["error"] == "walk_in_closed"
    assert r.data["details"]["opens_at"] == paris(on_day("13:30", env.clock.now))
    env.at("16:40")                                          # after the last stretch: nothing later today
    r = env.ticket()
    assert r.data["error"] == "walk_in_closed" and r.data["details"] == {}
    env.at("09:00")
    r = env.ticket(terminal_id="dev-autre")
    assert r.status_code == 403
    r = env.ticket(taken_at=paris(on_day("09:30", env.clock.now)))   # half an hour ahead of the server
    assert r.status_code == 400 and r.data["error"] == "invalid_request" and r.data["details"]["field"] == "taken_at"
    r = env.ticket(offline_number="c001")
    assert r.status_code == 400 and r.data["error"] == "validation_error"


def test_the_daily_capacity_is_a_hard_stop_and_the_queue_says_full(env):
    service = env.service(WALK_IN)
    admin.put_catalog_item(env.db_path, "service", {**service, "walk_in": {**service["walk_in"], "daily_capacity": 2}})
    assert [env.ticket().data["queue_number"] for _ in range(2)] == ["C001", "C002"]
    r = env.ticket()
    assert r.status_code == 409 and r.data["error"] == "walk_in_full" and r.data["details"]["daily_capacity"] == 2
    state = env.queue()
    assert state["status"] == "full" and state["remaining_today"] == 0 and state["estimated_wait_minutes"] is None


def test_the_queues_say_open_closing_soon_closed_and_appointment_only(env):
    env.ticket()
    state = env.queue()
    assert state == {"service_id": WALK_IN, "letter": "C", "accepts_walk_ins": True, "status": "open", "waiting": 1,
                     "estimated_wait_minutes": 15, "opens_at": None,
                     "closes_at": paris(on_day("11:45", env.clock.now)), "remaining_today": 39}
    env.at("11:31")
    assert env.queue()["status"] == "closing_soon"
    env.at("11:29")
    assert env.queue()["status"] == "open"
    env.at("12:00")
    state = env.queue()
    assert state["status"] == "closed" and state["opens_at"] == paris(on_day("13:30", env.clock.now))
    assert state["closes_at"] is None and state["estimated_wait_minutes"] is None
    cni = env.queue(APPOINTMENT_ONLY)
    assert cni["accepts_walk_ins"] is False and cni["letter"] == "A" and cni["remaining_today"] is None
    board = env.terminal.call("GET", "/v1/queues")
    assert board.model.day == env.clock.now.date() and board.data["generated_at"] == env.clock.now.isoformat()
    walk_ins = {q["service_id"] for q in board.data["queues"] if q["accepts_walk_ins"]}
    assert walk_ins == {"svc-listes-electorales", "svc-urbanisme", "svc-ccas"}


def test_a_service_whose_walk_in_hours_cannot_be_read_hands_out_nothing(env):
    service = env.service(WALK_IN)
    unreadable = {**service["walk_in"], "hours": "quand on peut"}
    admin.put_catalog_item(env.db_path, "service", {**service, "walk_in": unreadable})
    r = env.ticket()
    assert r.status_code == 409 and r.data["error"] == "walk_in_closed"
    assert env.queue()["status"] == "closed"


def test_checkin_joins_the_queue_with_people_ahead_and_the_time_left_before_the_appointment(env):
    env.at("08:00")
    early = env.book(agenda_slot("ag-etat-civil-1", "09:10", env.clock.now))
    late = env.book(agenda_slot("ag-etat-civil-1", "09:30", env.clock.now))
    env.at("08:50")
    r = env.checkin(token=early["checkin_token"])
    assert r.status_code == 200, r.text
    assert r.data["queue_number"] == "A001" and r.data["service_id"] == WALK_IN and r.data["people_ahead"] == 0
    assert r.model.start == models.Booking.model_validate(early).start
    assert r.data["estimated_wait_minutes"] == 20                    # the 20 minutes left before 09:10
    r = env.checkin(reference=late["reference"])
    assert r.data["queue_number"] == "A002" and r.data["people_ahead"] == 1
    assert r.data["estimated_wait_minutes"] == 40                    # 09:30 is later than 1 × 15 minutes


def test_scanned_twice_gives_the_same_number_never_a_second_one(env):
    env.at("08:00")
    made = env.book(agenda_slot("ag-etat-civil-1", "09:10", env.clock.now))
    env.at("09:00")
    key = str(uuid.uuid4())
    first = env.checkin(token=made["checkin_token"], key=key)
    assert env.checkin(token=made["checkin_token"], key=key).data == first.data      # a retry: replayed
    for again in (env.checkin(token=made["checkin_token"]), env.checkin(reference=made["reference"])):
        assert again.status_code == 409 and again.data["error"] == "already_checked_in"
        checkin = again.data["details"]["checkin"]
        contract.validator("Checkin", closed=True).validate(checkin)
        assert models.Checkin.model_validate(checkin).queue_number == first.data["queue_number"] == "A001"
        assert checkin["booking_id"] == first.data["booking_id"] and checkin["counter"] == first.data["counter"]
    assert env.queue(APPOINTMENT_ONLY)["letter"] == "A"
    assert env.board().data["waiting"] == [{"letter": "A", "service_id": WALK_IN, "waiting": 1}]


def test_an_old_checkin_sent_the_next_day_has_no_estimate(env):
    env.at("08:00")
    made = env.book(agenda_slot("ag-etat-civil-1", "16:30", env.clock.now))
    env.at("16:20")
    scanned = paris(env.clock.now)
    env.clock.now = on_day("08:00", env.clock.now + timedelta(days=1))
    r = env.checkin(reference=made["reference"], scanned_at=scanned)   # the outbox after a night offline
    assert r.status_code == 200 and r.data["queue_number"] == "A001"
    assert r.data["estimated_wait_minutes"] is None and r.data["people_ahead"] == 0


def test_two_tickets_taken_at_the_same_instant_queue_in_the_order_received(env):
    """Two terminals, one press each at the same instant (same second, same microsecond): the second
    received has the first ahead of it, waits longer, and the agent calls the first one first."""
    other = env.enroll()
    first, second = env.ticket(), env.ticket(terminal=other)
    assert first.data["taken_at"] == second.data["taken_at"]
    assert (first.data["people_ahead"], second.data["people_ahead"]) == (0, 1)
    assert first.data["estimated_wait_minutes"] < second.data["estimated_wait_minutes"]
    third = env.ticket()
    assert third.data["people_ahead"] == 2
    called = [env.call_next(f"Guichet {n}").data["queue_number"] for n in (1, 2, 3)]
    assert called == [first.data["queue_number"], second.data["queue_number"], third.data["queue_number"]]


def test_the_catalog_says_the_letter_of_each_agenda_and_older_catalogs_stay_valid(env):
    """What an offline counter terminal numbers a check-in with (see tests/checkin)."""
    r = env.terminal.call("GET", "/v1/catalog")
    assert r.status_code == 200
    letters = {a[0]: a[3] for a in seed_data.AGENDAS}
    for service in r.data["services"]:
        assert service["agenda_letters"] == {a: letters[a] for a in service["agenda_ids"]}, service["id"]
    cni = next(s for s in r.data["services"] if s["id"] == APPOINTMENT_ONLY)
    assert cni["agenda_letters"] == {"ag-etat-civil-1": "A", "ag-etat-civil-2": "B"}
    older = {k: v for k, v in cni.items() if k != "agenda_letters"}
    assert models.Service.model_validate(older).agenda_letters == {}
    with pytest.raises(ValueError, match="agenda_letters"):
        models.Service.model_validate({**cni, "agenda_letters": {"ag-etat-civil-1": "a"}})
