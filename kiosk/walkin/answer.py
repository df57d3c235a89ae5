"""One live read of the queue board, as its event carries it (no import of ``kiosk.events``
here: the event module names this type, so this module must not name the event module)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.api.models import QueueBoard

__all__ = ["BoardAnswer", "QueueBoard"]


@dataclass(frozen=True)
class BoardAnswer:
    """``board`` when it came, else ``problem`` (a word for the log, never shown)."""

    read_id: int
    board: QueueBoard | None
    problem: str = ""
