"""Queue numbers: terminals' offline blocks, the online counter that never enters them, offline
numbers kept only inside their terminal's block, and the daily restart at the town's midnight
(the nights the clocks change included)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queue_api_support import WALK_IN, agenda_slot, paris, queue_env

from kiosk.clock import PARIS
from kiosk.demo_api import admin, db, numbering, queues
from kiosk.demo_api.errors import ApiError

pytestmark = pytest.mark.reference_server


@pytest.fixture
def env(tmp_path):
    with queue_env(tmp_path) as running:
        running.at("09:00")
        yield running


def block(terminal, day: date):
    return terminal.call("GET", "/v1/number-blocks", params={"day": day.isoformat()})


def test_each_terminal_gets_its_own_block_of_40_counted_down_from_999_and_keeps_it(env):
    today = env.clock.now.astimezone(PARIS).date()
    other = env.enroll()
    first = block(env.terminal, today)
    assert first.status_code == 200 and first.data == {"day": today.isoformat(), "first": 960, "last": 999}
    assert block(other, today).data == {"day": today.isoformat(), "first": 920, "last": 959}
    assert block(env.terminal, today).data == first.data                    # the same block on every call
    tomorrow = today + timedelta(days=1)
    assert block(other, tomorrow).data == {"day": tomorrow.isoformat(), "first": 960, "last": 999}
    for day in (today - timedelta(days=1), today + timedelta(days=2)):
        r = block(env.terminal, day)
        assert r.status_code == 400 and r.data["error"] == "invalid_request" and r.data["details"]["field"] == "day"
    for bad in ({"day": "demain"}, {}):
        r = env.terminal.call("GET", "/v1/number-blocks", params=bad)
        assert r.status_code == 400 and r.data["error"] == "invalid_request"
    assert env.agent.call("GET", "/v1/number-blocks", params={"day": today.isoformat()}).status_code == 401


def test_blocks_run_out_above_the_online_numbers(env):
    today = env.clock.now.astimezone(PARIS).date()
    assert env.ticket().data["queue_number"] == "C001"
    blocks = [block(env.enroll(), today) for _ in range(24)]
    assert [b.data["first"] for b in blocks[:3]] == [960, 920, 880] and blocks[23].data["first"] == 40
    refused = block(env.enroll(), today)
    assert refused.status_code == 409 and refused.data["error"] == "no_block_left"
    assert refused.data["details"] == {"day": today.isoformat()}


def test_an_offline_number_is_kept_inside_the_terminals_block_only(env):
    today = env.clock.now.astimezone(PARIS).date()
    other = env.enroll()
    block(env.terminal, today)                                             # 960-999
    block(other, today)                                                    # 920-959
    r = env.ticket(offline_number="C960")
    assert r.status_code == 200 and r.data["queue_number"] == "C960"
    for number, reason in (("C960", "taken"), ("C920", "outside_block"), ("C100", "outside_block"),
                           ("T961", "letter")):
        r = env.ticket(offline_number=number)
        assert r.status_code == 409 and r.data["error"] == "number_not_reserved", number
        assert r.data["details"]["reason"] == reason, number
    r = env.ticket(terminal=other, offline_number="C920")
    assert r.status_code == 200 and r.data["queue_number"] == "C920"
    assert env.ticket().data["queue_number"] == "C001"                     # online numbers count up apart


def test_an_offline_checkin_number_is_kept_and_checked_like_a_ticket(env):
    today = env.clock.now.astimezone(PARIS).date()
    env.at("08:00")
    first = env.book(agenda_slot("ag-etat-civil-1", "09:10", env.clock.now))
    second = env.book(agenda_slot("ag-etat-civil-1", "09:30", env.clock.now))
    env.at("09:00")
    r = env.checkin(reference=first["reference"], offline_number="A961")
    assert r.status_code == 409 and r.data["details"]["reason"] == "outside_block"   # no block fetched yet
    block(env.terminal, today)
    r = env.checkin(reference=first["reference"], offline_number="A961")
    assert r.status_code == 200 and r.data["queue_number"] == "A961"
    r = env.checkin(reference=second["reference"], offline_number="C962")
    assert r.status_code == 409 and r.data["details"]["reason"] == "letter"
    assert env.checkin(reference=second["reference"]).data["queue_number"] == "A001"


def _always_open(env) -> None:
    """The back office opens the walk-in service around the clock (a night the numbers restart)."""
    service = env.service(WALK_IN)
    admin.put_catalog_item(env.db_path, "service", {**service, "walk_in": {**service["walk_in"], "hours": "24/7"}})


def _numbers_at(env, instants: list[datetime]) -> list[str]:
    numbers = []
    for when in instants:
        env.clock.now = when
        r = env.ticket()
        assert r.status_code == 200, r.text
        numbers.append(r.data["queue_number"])
    return numbers


def test_numbers_restart_at_midnight_in_paris_not_in_utc(tmp_path):
    evening = datetime(2026, 12, 31, 23, 40, tzinfo=PARIS)            # 22:40 UTC
    with queue_env(tmp_path, evening - timedelta(hours=1)) as env:
        _always_open(env)
        # 23:40 and 23:59 in Paris, then 00:01 and 01:10 (still 31 December in UTC: 23:01 and 00:10)
        instants = [evening, evening + timedelta(minutes=19), evening + timedelta(minutes=21),
                    evening + timedelta(hours=1, minutes=30)]
        assert _numbers_at(env, instants) == ["C001", "C002", "C001", "C002"]
        board = env.board()
        assert board.data["day"] == "2027-01-01" and board.data["waiting"][0]["waiting"] == 2


@pytest.mark.parametrize("day", [date(2026, 10, 25), date(2027, 3, 28)], ids=["autumn-25h", "spring-23h"])
def test_a_day_the_clocks_change_is_one_day_of_numbers(tmp_path, day):
    # in UTC: an aware Paris datetime plus an hour is an hour of wall time, not of elapsed time
    start = (datetime.combine(day, datetime.min.time(), PARIS) + timedelta(minutes=5)).astimezone(UTC)
    with queue_env(tmp_path, start - timedelta(minutes=10)) as env:
        _always_open(env)
        # every hour of the day in UTC steps: 25 of them in October, 23 in March, both 02:xx in October
        instants, when = [], start
        while when.astimezone(PARIS).date() == day:
            instants.append(when)
            when += timedelta(hours=1)
        instants.append(when)                                          # 00:05 the next day
        numbers = _numbers_at(env, instants)
        hours_in_day = len(instants) - 1
        assert hours_in_day == (25 if day.month == 10 else 23)
        assert numbers == [f"C{n:03d}" for n in range(1, hours_in_day + 1)] + ["C001"]
        today = instants[-1].astimezone(PARIS).date()
        assert block(env.terminal, today).data["day"] == today.isoformat()
        assert block(env.terminal, day).status_code == 400             # yesterday in Paris, whatever UTC says


# ---------------------------------------------------------------- the allocator itself, on a real database
def _database(path: Path) -> sqlite3.Connection:
    conn = db.connect(path)
    db.create_schema(conn)
    return conn


Step = tuple[str, int]   # ("block", terminal) or ("online", letter index)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.tuples(st.just("block"), st.integers(0, 30)),
                          st.tuples(st.just("online"), st.integers(0, 2))), max_size=120),
       st.integers(0, 900))
def test_blocks_never_overlap_and_online_numbers_never_enter_them(tmp_path_factory, steps: list[Step], head: int):
    conn = _database(tmp_path_factory.mktemp("numbers") / "n.sqlite3")
    day = date(2026, 12, 7)
    blocks: dict[int, tuple[int, int]] = {}
    online: list[int] = []
    with db.write(conn):
        for letter in "ABC":   # the day has already given ``head`` numbers of each letter
            conn.execute("INSERT INTO counters VALUES (?, ?)", (f"queue:{letter}:{day.isoformat()}", head))
        for kind, which in steps:
            if kind == "block":
                try:
                    got = numbering.reserve_block(conn, f"dev-{which}", day)
                except ApiError as exc:
                    assert exc.code == "no_block_left"
                    continue
                assert blocks.setdefault(which, got) == got               # the same block again
            else:
                number = numbering.next_online(conn, "ABC"[which], day)
                if number is not None:
                    online.append(number)
    spans = sorted(blocks.values())
    assert all(last - first + 1 == 40 and last <= 999 for first, last in spans)
    assert all(a_last < b_first for (_a, a_last), (b_first, _b) in zip(spans, spans[1:], strict=False))
    assert all(not first <= n <= last for n in online for first, last in spans)
    assert all(n > head for n in online)
    conn.close()


def test_the_online_counter_stops_below_the_lowest_block(tmp_path):
    conn = _database(tmp_path / "n.sqlite3")
    day = date(2026, 12, 7)
    with db.write(conn):
        numbering.reserve_block(conn, "dev-a", day)                        # 960-999
        conn.execute("INSERT INTO counters VALUES (?, 958)", (f"queue:C:{day.isoformat()}",))
        assert numbering.next_online(conn, "C", day) == 959
        assert numbering.next_online(conn, "C", day) is None               # 960 is dev-a's
        with pytest.raises(ApiError, match="bloc"):
            numbering.reserve_block(conn, "dev-b", day)                    # 920-959 is below a given number
    conn.close()


def test_a_night_between_two_days_in_utc_is_one_town_day():
    assert numbering.town_day(datetime.fromisoformat("2027-03-27T23:30:00+00:00")) == date(2027, 3, 28)
    assert numbering.town_day(datetime.fromisoformat("2026-10-25T22:59:00+00:00")) == date(2026, 10, 25)
    assert numbering.town_day(datetime.fromisoformat("2026-10-25T23:00:00+00:00")) == date(2026, 10, 26)
    assert paris(datetime.fromisoformat("2026-10-25T00:30:00+00:00")).endswith("+02:00")


def test_a_month_of_queues_is_kept_not_more(tmp_path):
    conn = _database(tmp_path / "n.sqlite3")
    first = date(2026, 12, 7)

    def visitor(day: date, n: int) -> None:
        when = datetime.combine(day, datetime.min.time(), PARIS) + timedelta(hours=9)
        queues.add_entry(conn, queues.NewEntry(f"qt-{day:%Y%m%d}-{n}", day, "C", n, WALK_IN, "walk_in", when, "dev-a"))

    with db.write(conn):
        numbering.reserve_block(conn, "dev-a", first)
        for offset in range(0, 40, 3):
            visitor(first + timedelta(days=offset), 1)
    days = [row[0] for row in conn.execute("SELECT DISTINCT day FROM queue_entries ORDER BY day")]
    last = first + timedelta(days=39)
    assert days[0] >= (last - timedelta(days=queues.KEPT_DAYS)).isoformat() and days[-1] == last.isoformat()
    assert conn.execute("SELECT count(*) FROM number_blocks").fetchone()[0] == 0
    conn.close()
