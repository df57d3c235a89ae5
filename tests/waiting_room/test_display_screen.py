"""The wall screen of a display terminal, driven by the events the call feed posts (no server here:
the feed against the reference server is in test_display_feed.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pygame
import pytest

from kiosk import events
from kiosk.clock import PARIS, ManualClock
from kiosk.devtools.pilot import Pilot
from kiosk.devtools.screenshots.waiting_room import PROFILE, sample_board
from kiosk.waiting_room.board import Board, Call
from kiosk.waiting_room.spoken_calls import SpokenCalls
from screens.waiting_room.display import PulseCard, WaitingRoomScreen

NOON = datetime(2026, 12, 1, 12, 4, tzinfo=PARIS)
LATE = datetime(2026, 12, 1, 23, 58, tzinfo=PARIS)


@pytest.fixture
def wall(make_pilot) -> Pilot:
    return make_pilot(overrides=dict(PROFILE), clock=ManualClock(NOON))


def post(p: Pilot, event: events.KioskEvent) -> None:
    assert event.post()
    p.settle()


def one_more(board: Board, number: str, counter: str, kind: str = "call") -> Board:
    seq = board.seq + 1
    new = Call(seq=seq, number=number, counter=counter, service_id="svc-etat-civil", kind=kind,
               at=board.calls[0].at + timedelta(minutes=1))
    return Board(day=board.day, seq=seq, calls=(new, *board.calls[:9]), waiting=board.waiting)


def test_a_display_terminal_opens_on_the_calls_with_no_tile_no_footer_and_no_language_button(wall: Pilot) -> None:
    assert isinstance(wall.screen, WaitingRoomScreen)
    assert wall.app.offered_features() == []
    assert not wall.has("footer") and not wall.has("language") and not any(
        w.id and w.id.startswith("feature-") for w in wall.widgets())
    assert "Connexion aux appels en cours" in wall.text()


def test_a_call_shows_large_with_its_words_and_rings_once_and_a_recall_comes_back_on_top(wall: Pilot) -> None:
    room = wall.app.waiting_room
    assert room is not None
    first = sample_board(wall)
    post(wall, events.CallBoardReceived(board=first, received_at=wall.clock.now()))
    assert wall.widget("current-number").visible_text() == "A012" and room.chime.rung == 0   # a baseline
    second = one_more(first, "B013", "4")
    post(wall, events.CallBoardReceived(board=second, received_at=wall.clock.now()))
    assert wall.widget("current-number").visible_text() == "B013"
    assert wall.widget("current-counter").visible_text() == "Guichet 4"
    assert "Numéro B 13, guichet 4" in wall.widget("say-fr").visible_text()
    assert "Number B 13, counter 4" in wall.widget("say-en").visible_text()
    assert isinstance(room.announcer, SpokenCalls)       # announce = "speech"; no sound card here: only shown
    assert room.chime.rung == 1 and room.announcer.last[0].text == "Numéro B 13, guichet 4"
    assert wall.widget("call-0-number").visible_text() == "A012"
    # the same answer again (a poll that timed out): nothing rings
    post(wall, events.CallBoardReceived(board=second, received_at=wall.clock.now()))
    assert room.chime.rung == 1
    recalled = one_more(second, "A012", "1", kind="recall")
    post(wall, events.CallBoardReceived(board=recalled, received_at=wall.clock.now()))
    assert wall.widget("current-number").visible_text() == "A012" and room.chime.rung == 2
    assert wall.widget("call-0-number").visible_text() == "B013"
    assert "A012" not in [wall.widget(f"call-{i}-number").visible_text() for i in range(3)]


def test_the_newest_call_pulses_until_the_next_and_the_wall_never_dims(wall: Pilot) -> None:
    post(wall, events.CallBoardReceived(board=sample_board(wall), received_at=wall.clock.now()))
    card = wall.widget("current-call")
    assert isinstance(card, PulseCard)
    phases = set()
    for _ in range(6):
        wall.advance(0.4, step=0.1)
        phases.add(card.bg)
    assert phases == {"primary", "ok"}
    wall.advance(wall.app.config.idle.dim_after_s + 5, step=1)
    assert not wall.has("dim") and isinstance(wall.screen, WaitingRoomScreen)


def test_an_interruption_is_said_plainly_and_stale_calls_are_not_shown_as_current(wall: Pilot) -> None:
    since = wall.clock.now()
    post(wall, events.CallBoardReceived(board=sample_board(wall), received_at=since))
    wall.advance(120, step=10)
    post(wall, events.CallFeedDown(since=since, reason="test"))
    assert "Affichage interrompu\u00a0: appels non reçus depuis 12\u00a0h\u00a004" in wall.text()
    assert not wall.has("current-number")
    assert "Derniers appels reçus avant l’interruption" in wall.text()
    post(wall, events.CallBoardReceived(board=one_more(sample_board(wall), "B013", "2"),
                                        received_at=wall.clock.now()))
    assert not wall.has("interrupted") and wall.widget("current-number").visible_text() == "B013"


def test_paris_midnight_clears_yesterdays_calls_even_without_an_answer(make_pilot) -> None:
    wall = make_pilot(overrides=dict(PROFILE), clock=ManualClock(LATE))
    post(wall, events.CallBoardReceived(board=sample_board(wall), received_at=wall.clock.now()))
    assert wall.has("current-number")
    wall.advance(150, step=30)                        # 00:00:30 on 2 December in Paris
    assert wall.clock.now().date() == LATE.date() + timedelta(days=1)
    assert not wall.has("current-number") and not wall.has("earlier")
    assert "Aucun numéro appelé pour l’instant aujourd’hui." in wall.text()


def test_english_and_large_text_keep_the_number_whole(make_pilot) -> None:
    p = make_pilot((1920, 1080), overrides={**PROFILE, "languages.default": "en", "accessibility.large_text": True})
    post(p, events.CallBoardReceived(board=sample_board(p), received_at=p.app.clock.now()))
    number = p.widget("current-number")
    assert number.visible_text() == "A012" and "Counter 1" in p.text()
    assert p.screen is not None and p.screen.content is not None
    assert not p.screen.content.scrollable      # nothing on a wall is out of sight


def test_a_screen_error_comes_back_to_the_calls_not_to_home_tiles(wall: Pilot) -> None:
    post(wall, events.CallBoardReceived(board=sample_board(wall), received_at=wall.clock.now()))
    screen = wall.screen
    assert screen is not None

    def broken(event: pygame.event.Event) -> None:
        raise RuntimeError("deliberate")
    screen.handle_event = broken  # type: ignore[method-assign]  # a screen bug, on purpose
    post(wall, events.CallFeedDown(since=None, reason="test"))
    assert len(wall.take_errors()) == 1
    assert isinstance(wall.app.nav.stack[0], WaitingRoomScreen)
