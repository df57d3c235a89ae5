"""Calls said aloud in the waiting room with real espeak-ng, heard through the recording twin:
each call whole, French then English, a call that comes during another waits its turn, the
waiting line is bounded; without a sound card the calls are only shown (one log line)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from kiosk.config import SpeechConfig, WaitingRoomConfig
from kiosk.waiting_room.announce import TextOnly, announcements
from kiosk.waiting_room.board import Call
from kiosk.waiting_room.spoken_calls import MAX_WAITING_CALLS, SpokenCalls, make_announcer, spoken_calls

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")
AT = datetime(2027, 6, 15, 9, 0, tzinfo=UTC)


def call(number: str, counter: str = "3") -> Call:
    return Call(seq=1, number=number, counter=counter, service_id="svc", kind="call", at=AT)


def words(number: str, counter: str = "3"):
    return announcements(call(number, counter), ("fr", "en"))


@pytest.fixture
def voice():
    made: list[SpokenCalls] = []

    def factory(pace: float | None = 4.0) -> tuple[SpokenCalls, RecordingOutput]:
        output = RecordingOutput(pace=pace)
        calls = spoken_calls(SpeechConfig(), output=output, forward=lambda *a, **k: True)
        assert calls.player.wait_ready() and calls.player.silent_reason is None
        made.append(calls)
        return calls, output

    yield factory
    for calls in made:
        calls.close()


def test_the_number_is_shown_with_a_space_and_said_without_its_zeros() -> None:
    fr, en = words("A012")
    assert (fr.text, fr.aloud) == ("Numéro A 12, guichet 3", "Numéro A12, guichet 3")
    assert (en.text, en.aloud) == ("Number A 12, counter 3", "Number A12, counter 3")
    named = announcements(call("B007", "Bureau 4"), ("fr",))[0]
    assert named.aloud == "Numéro B7, Bureau 4"


def test_two_calls_close_together_are_both_said_whole_french_then_english(voice) -> None:
    calls, output = voice()
    calls.announce(words("A012"))
    calls.announce(words("B013", "4"))          # while the first is being said: it waits
    take = output.wait_for(4, ended=True, timeout=30)
    assert take.ended == "finished"
    assert list(calls.said) == ["Numéro A12, guichet 3", "Number A12, counter 3",
                                "Numéro B13, guichet 4", "Number B13, counter 4"]
    takes = [output.wait_for(n, ended=True) for n in (1, 2, 3, 4)]
    assert [t.ended for t in takes] == ["finished"] * 4            # nothing cut
    for t in takes:                                               # about two seconds each at 160 words a minute
        assert 0.8 < t.seconds < 6.0, t.seconds
    for earlier, later in zip(takes, takes[1:], strict=False):    # one after the other, never over each other
        assert later.began_at >= earlier.began_at + earlier.seconds / 4 * 0.9


def test_the_waiting_line_is_bounded_and_the_calls_it_kept_are_said(voice) -> None:
    calls, output = voice(pace=None)
    with calls._changed:            # hold the voice back: six calls come before it can say one
        for number in ("A001", "A002", "A003", "A004", "A005", "A006"):
            calls.announce(words(number))
        assert calls.waiting == MAX_WAITING_CALLS == 4 and calls.dropped == 2
        assert calls.last[0].aloud == "Numéro A6, guichet 3"     # the screen's words: the newest call
    output.wait_for(8, ended=True, timeout=30)
    assert [w for w in calls.said if w.startswith("Numéro")] == [
        "Numéro A3, guichet 3", "Numéro A4, guichet 3", "Numéro A5, guichet 3", "Numéro A6, guichet 3"]


def test_without_a_sound_card_the_calls_are_only_shown_and_the_log_says_why_once(caplog) -> None:
    with caplog.at_level(logging.INFO):
        calls = make_announcer(WaitingRoomConfig(), SpeechConfig())   # SDL_AUDIODRIVER=dummy: no sound card
        try:
            assert isinstance(calls, SpokenCalls) and calls.player.wait_ready()
            calls.announce(words("A012"))
            calls.announce(words("A013"))
            assert calls.last[0].text == "Numéro A 13, guichet 3"
        finally:
            calls.close()
    why = [r.getMessage() for r in caplog.records if "silent" in r.getMessage()]
    assert len(why) == 1 and "no audio output" in why[0]


def test_announce_text_never_speaks() -> None:
    announcer = make_announcer(WaitingRoomConfig(announce="text"), SpeechConfig())
    assert isinstance(announcer, TextOnly)
    announcer.announce(words("A012"))
    assert announcer.last[1].text == "Number A 12, counter 3"
