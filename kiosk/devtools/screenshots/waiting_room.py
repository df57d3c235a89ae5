"""The waiting-room display's states for ``kiosk screenshots`` (a terminal with ``profile = "display"``).

The gallery has no server: each state is reached by posting the events the call feed would
post (a board of sample calls, an interruption), exactly what the screen reacts to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from kiosk import events
from kiosk.waiting_room.board import Board, Call, Waiting

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot

PROFILE: dict[str, object] = {"terminal.profile": "display"}


def sample_board(p: Pilot, *, calls: int = 8, recall: bool = False, base_seq: int = 10) -> Board:
    now = p.app.clock.now()
    made = [Call(seq=base_seq - i, number=f"{'AB'[i % 2]}{12 - i:03d}", counter=str(1 + i % 4),
                 service_id=("svc-etat-civil", "svc-cni")[i % 2], kind="call", at=now - timedelta(minutes=3 * i))
            for i in range(calls)]
    if recall and made:
        again = made[2]
        made.insert(0, Call(seq=base_seq + 1, number=again.number, counter=again.counter,
                            service_id=again.service_id, kind="recall", at=now))
    waiting = (Waiting("A", "svc-etat-civil", 4, "État civil"),
               Waiting("B", "svc-cni", 1, "Carte d'identité et passeport"),
               Waiting("U", "svc-urbanisme", 0, "Urbanisme"))
    return Board(day=now.date(), seq=max((c.seq for c in made), default=0), calls=tuple(made), waiting=waiting,
                 server_time=now)


def _post(p: Pilot, event: events.KioskEvent) -> None:
    event.post()
    p.settle()


def _calls(calls: int = 8, recall: bool = False, base_seq: int = 10) -> Callable[[Pilot], None]:
    def reach(p: Pilot) -> None:
        board = sample_board(p, calls=calls, recall=recall, base_seq=base_seq)
        _post(p, events.CallBoardReceived(board=board, received_at=p.app.clock.now()))
    return reach


def _new_call(p: Pilot) -> None:
    _calls(calls=7, base_seq=9)(p)      # the display's baseline, then one call more: it chimes and pulses
    _calls()(p)


def _pulse(p: Pilot) -> None:
    """The newest call's other colour, shown in turn until the next call."""
    _new_call(p)
    p.advance(0.8)


def _interrupted(p: Pilot) -> None:
    _calls()(p)
    since = p.app.clock.now()
    p.advance(7 * 60)
    _post(p, events.CallFeedDown(since=since, reason="gallery"))


def _never_reached(p: Pilot) -> None:
    _post(p, events.CallFeedDown(since=None, reason="gallery"))


STATES: dict[str, dict[str, Callable[[Pilot], object]]] = {
    "waiting_room": {
        "starting": lambda p: None,
        "no-call-yet": _calls(calls=0),
        "calls": _new_call,
        "pulse": _pulse,
        "recall": _calls(recall=True),
        "interrupted": _interrupted,
        "never-reached": _never_reached,
    },
}
