"""The wait estimate against a scripted day: arrivals, calls and services at set times on the
server's clock, and the estimate asserted at chosen instants (openapi.yaml, « Wait estimate »):
the service's duration while fewer than 3 handling times are known, then the median of the
last 10; the counters that called in the last hour share the queue."""

from __future__ import annotations

import pytest
from queue_api_support import queue_env

pytestmark = pytest.mark.reference_server


@pytest.fixture
def env(tmp_path):
    with queue_env(tmp_path) as running:
        yield running


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def ticket(env, hhmm: str) -> dict:
    env.at(hhmm)
    r = env.ticket()
    assert r.status_code == 200, r.text
    return r.data


def call(env, hhmm: str, counter: str) -> str:
    env.at(hhmm)
    r = env.call_next(counter)
    assert r.status_code == 200, r.text
    return str(r.data["queue_number"])


def served(env, hhmm: str, number: str) -> None:
    env.at(hhmm)
    assert env.act("served", number).status_code == 204


def estimate(env, hhmm: str) -> tuple[int, int | None]:
    env.at(hhmm)
    state = env.queue()
    return state["waiting"], state["estimated_wait_minutes"]


def test_a_morning_at_the_walk_in_counter(env):
    # four arrivals before the counter opens its queue: nothing known, 15 minutes each (the service's)
    arrivals = [ticket(env, f"08:3{i}") for i in range(4)]
    assert [a["queue_number"] for a in arrivals] == ["C001", "C002", "C003", "C004"]
    assert [(a["people_ahead"], a["estimated_wait_minutes"]) for a in arrivals] == [(0, 0), (1, 15), (2, 30), (3, 45)]

    assert call(env, "08:40", "Guichet 1") == "C001"
    assert estimate(env, "08:41") == (3, 45)
    served(env, "08:50", "C001")                                   # 10 minutes: one handling time known
    assert call(env, "08:50", "Guichet 1") == "C002"
    assert estimate(env, "08:51") == (2, 30)                       # still the service's 15 minutes
    assert call(env, "08:58", "Guichet 1") == "C003"               # C002 ends with the counter's next call: 8
    assert estimate(env, "08:59") == (1, 15)                       # two known: not yet
    served(env, "09:04", "C003")                                   # 6: three known, median of 10, 8, 6 = 8
    assert estimate(env, "09:04") == (1, 8)

    later = [ticket(env, "09:05"), ticket(env, "09:05")]
    assert [(t["queue_number"], t["people_ahead"], t["estimated_wait_minutes"]) for t in later] == [
        ("C005", 1, 8), ("C006", 2, 16)]

    assert call(env, "09:06", "Guichet 2") == "C004"               # a second counter opens
    assert estimate(env, "09:06") == (2, 8)                        # ceil(2 × 8 / 2)
    c007 = ticket(env, "09:07")
    assert (c007["people_ahead"], c007["estimated_wait_minutes"]) == (2, 8)
    served(env, "09:10", "C004")                                   # 4: median of 10, 8, 6, 4 = 7
    assert estimate(env, "09:10") == (3, 11)                       # ceil(3 × 7 / 2) = ceil(10.5)

    # an hour without calls from Guichet 1 (last at 08:58): one counter left, then none (still at least one)
    assert estimate(env, "10:05") == (3, 21)
    assert estimate(env, "10:07") == (3, 21)

    board = env.board().data
    assert [c["queue_number"] for c in board["calls"]] == ["C004", "C003", "C002", "C001"]
    assert board["waiting"] == [{"letter": "C", "service_id": "svc-listes-electorales", "waiting": 3}]


def test_the_estimate_follows_the_last_ten_handling_times_of_the_day(env):
    env.at("08:30")
    numbers = [env.ticket().data["queue_number"] for _ in range(20)]
    minute = 8 * 60 + 30
    # ten quick visitors (3 minutes), then eight long ones (20 minutes): all 18 have a median of 3,
    # the last 10 (eight of 20, two of 3) a median of 20
    for number, length in zip(numbers, [3] * 10 + [20] * 8, strict=False):
        assert call(env, hhmm(minute), "Guichet 1") == number
        minute += length
        served(env, hhmm(minute), number)
    assert estimate(env, hhmm(minute)) == (2, 40)                  # 11:40: ceil(2 × 20 / 1)


def test_a_recall_does_not_restart_the_handling_time(env):
    for _ in range(4):
        ticket(env, "09:00")
    for start in (9 * 60, 9 * 60 + 10, 9 * 60 + 20):
        number = call(env, hhmm(start), "Guichet 1")
        env.at(hhmm(start + 2))
        assert env.act("recall", number).status_code == 200       # two minutes later, called again
        served(env, hhmm(start + 9), number)                       # nine minutes after the first call
    assert estimate(env, "09:30") == (1, 9)
