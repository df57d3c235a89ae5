"""The calls as the display knows them: plain values, built from one answer of the central API.

Each long-poll answer is complete (today's last calls, the people waiting), so the display is
rebuilt from one answer and a lost answer costs nothing. These are the display's own frozen
types, not the contract's models, so that the screen never imports the API client; the
feed converts (:func:`board_from_api`). There is no field for a name: none can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.api.models import CallBoard

MAX_CALLS = 10      # the contract sends today's last 10; never keep more
MAX_SERVICES = 40   # per-service waiting lines kept (a town hall has a handful)


@dataclass(frozen=True)
class Call:
    seq: int
    number: str          # "A012", as printed on the ticket
    counter: str         # "3"
    service_id: str
    kind: str            # "call" or "recall"
    at: datetime


@dataclass(frozen=True)
class Waiting:
    letter: str
    service_id: str
    waiting: int
    service: str = ""    # the service's name from the catalog, when the terminal has it


@dataclass(frozen=True)
class Board:
    day: date
    seq: int
    calls: tuple[Call, ...]     # newest first
    waiting: tuple[Waiting, ...]
    server_time: datetime | None = None


def board_from_api(answer: CallBoard, service_names: dict[str, str] | None = None) -> Board:
    """The display's board from the contract's ``CallBoard``, bounded."""
    names = service_names or {}
    calls = tuple(
        Call(seq=c.seq, number=c.queue_number, counter=c.counter, service_id=c.service_id, kind=c.kind, at=c.at)
        for c in answer.calls[:MAX_CALLS])
    waiting = tuple(
        Waiting(letter=w.letter, service_id=w.service_id, waiting=w.waiting, service=names.get(w.service_id, ""))
        for w in answer.waiting[:MAX_SERVICES])
    return Board(day=answer.day, seq=int(answer.seq), calls=tuple(sorted(calls, key=lambda c: -c.seq)),
                 waiting=waiting, server_time=answer.server_time)
