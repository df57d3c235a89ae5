"""The display's state machine: what the wall shows for each answer, interruption and midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kiosk.clock import PARIS
from kiosk.waiting_room.announce import announcements, spoken_number
from kiosk.waiting_room.board import MAX_CALLS, Board, Call, Waiting
from kiosk.waiting_room.state import DisplayState

DAY = date(2026, 12, 1)
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=PARIS)


def call(seq: int, number: str, counter: str = "3", kind: str = "call") -> Call:
    return Call(seq=seq, number=number, counter=counter, service_id="svc-etat-civil", kind=kind,
                at=NOON + timedelta(minutes=seq))


def board(*calls: Call, day: date = DAY, waiting: tuple[Waiting, ...] = ()) -> Board:
    ordered = tuple(sorted(calls, key=lambda c: -c.seq))
    return Board(day=day, seq=max((c.seq for c in calls), default=0), calls=ordered, waiting=waiting)


def test_the_first_answer_is_a_baseline_then_each_new_call_is_fresh_and_on_top() -> None:
    state = DisplayState()
    assert state.status == "starting" and state.current is None
    assert state.receive(board(call(1, "A001"), call(2, "A002")), NOON, 0.0) == []   # no chime for old calls
    assert state.status == "live" and state.current is not None and state.current.number == "A002"
    fresh = state.receive(board(call(1, "A001"), call(2, "A002"), call(3, "B001", "1")), NOON, 1.0)
    assert [c.number for c in fresh] == ["B001"]
    assert [c.number for c in state.calls] == ["B001", "A002", "A001"]
    assert [c.number for c in state.earlier(6)] == ["A002", "A001"]
    assert state.receive(board(call(1, "A001"), call(2, "A002"), call(3, "B001", "1")), NOON, 2.0) == []


def test_a_recall_brings_the_number_back_on_top_once() -> None:
    state = DisplayState()
    state.receive(board(call(1, "A001"), call(2, "A002")), NOON, 0.0)
    fresh = state.receive(board(call(1, "A001"), call(2, "A002"), call(3, "A001", kind="recall")), NOON, 1.0)
    assert [(c.number, c.kind) for c in fresh] == [("A001", "recall")]
    assert [c.number for c in state.calls] == ["A001", "A002"]     # one line per number


def test_an_interruption_stops_showing_calls_as_current_and_the_next_answer_brings_the_missed_ones() -> None:
    state = DisplayState()
    state.receive(board(call(1, "A001")), NOON, 0.0)
    state.lost(NOON, NOON + timedelta(seconds=3))
    assert state.status == "interrupted" and state.interrupted_since == NOON
    assert state.current is None and [c.number for c in state.earlier(6)] == ["A001"]
    state.lost(NOON + timedelta(minutes=1), NOON + timedelta(minutes=1))   # still the first instant
    assert state.interrupted_since == NOON
    later = NOON + timedelta(minutes=5)
    fresh = state.receive(board(call(1, "A001"), call(2, "A002"), call(3, "B001")), later, 9.0)
    assert [c.number for c in fresh] == ["A002", "B001"]               # oldest first
    assert state.status == "live" and state.current is not None and state.current.number == "B001"
    assert state.interrupted_since is None


def test_a_display_that_never_had_an_answer_says_so_without_inventing_a_time() -> None:
    state = DisplayState()
    state.lost(None, NOON)
    assert state.status == "interrupted" and state.last_received is None


def test_midnight_in_paris_clears_yesterdays_calls_even_while_interrupted() -> None:
    state = DisplayState()
    state.receive(board(call(1, "A001"), waiting=(Waiting("A", "svc", 4),)), NOON, 0.0)
    state.lost(NOON, NOON)
    assert not state.new_day(datetime(2026, 12, 1, 23, 59, 59, tzinfo=PARIS))
    # 23:30 UTC on 1 December is already 2 December in Paris
    assert state.new_day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert state.calls == [] and state.waiting == [] and state.day == date(2026, 12, 2)
    # the server still on yesterday (its clock behind): nothing of it is shown as today's
    after = datetime(2026, 12, 2, 0, 5, tzinfo=PARIS)
    assert state.receive(board(call(1, "A001")), after, 1.0) == []
    assert state.calls == []
    # today's first call is new, whatever its sequence number
    fresh = state.receive(board(call(1, "A001"), day=date(2026, 12, 2)), after, 2.0)
    assert [c.number for c in fresh] == ["A001"]


def test_a_new_day_from_the_server_replaces_everything_and_its_calls_are_new() -> None:
    state = DisplayState()
    state.receive(board(call(7, "A007")), NOON, 0.0)
    tomorrow = NOON + timedelta(days=1)
    fresh = state.receive(board(call(1, "A001"), day=DAY + timedelta(days=1)), tomorrow, 1.0)
    assert [c.number for c in fresh] == ["A001"] and [c.number for c in state.calls] == ["A001"]


def test_the_calls_kept_are_bounded() -> None:
    state = DisplayState()
    many = [call(i, f"A{i:03d}") for i in range(1, 200)]
    state.receive(board(*many), NOON, 0.0)
    assert len(state.calls) == MAX_CALLS and state.calls[0].number == "A199"


def test_the_call_is_worded_for_speech_in_french_then_english() -> None:
    words = announcements(call(1, "A012", "3"), ["fr", "en"])
    assert [(w.language, w.text) for w in words] == [
        ("fr", "Numéro A 12, guichet 3"), ("en", "Number A 12, counter 3")]
    assert spoken_number("B100") == "B 100" and spoken_number("A000") == "A 0" and spoken_number("?") == "?"
    assert announcements(call(1, "A012"), []) == []
    # a counter the back office names itself is said as named, not « guichet Guichet 1 »
    assert [w.text for w in announcements(call(1, "C004", "Guichet 1"), ["fr", "en"])] == [
        "Numéro C 4, Guichet 1", "Number C 4, Guichet 1"]
    assert [w.text for w in announcements(call(1, "C004", "12B"), ["fr"])] == ["Numéro C 4, guichet 12B"]
