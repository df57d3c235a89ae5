"""A call said in words, French then English (« Numéro A 12, guichet 3 »), ready for a voice.

The speech engine is another issue's work: until it exists the display keeps the words and
shows them under the number, and :class:`TextOnly` stands where the voice will be, saying
once in the log that nothing is spoken. An engine implements :class:`Announcer`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.waiting_room.board import Call

log = logging.getLogger(__name__)

_WORDS = {
    "fr": "Numéro {number}, guichet {counter}",
    "en": "Number {number}, counter {counter}",
}
_NAMED = {   # a counter the back office names itself (« Bureau 4 », « Guichet 1 »): said as named
    "fr": "Numéro {number}, {counter}",
    "en": "Number {number}, {counter}",
}


def counter_is_number(counter: str) -> bool:
    """« 3 », « 12 », « 3B »: a counter given by its number, to be preceded by « guichet »."""
    return re.fullmatch(r"[0-9]{1,4}[A-Za-z]?", counter.strip()) is not None


@dataclass(frozen=True)
class Announcement:
    language: str
    text: str


def spoken_number(number: str) -> str:
    """« A012 » as it is said: the letter, a space, the number without its leading zeros (« A 12 »)."""
    match = re.fullmatch(r"([A-Z]+)0*([0-9]+)", number.strip())
    if not match:
        return number
    return f"{match[1]} {int(match[2])}"


def announcements(call: Call, languages: Sequence[str]) -> list[Announcement]:
    """What is said for ``call``, in each language in turn (unknown languages skipped)."""
    spoken = spoken_number(call.number)
    words = _WORDS if counter_is_number(call.counter) else _NAMED
    return [Announcement(lang, words[lang].format(number=spoken, counter=call.counter.strip()))
            for lang in languages if lang in words]


class Announcer(Protocol):
    """Something that says a call aloud; it must return at once (a voice runs on its own thread)."""

    def announce(self, words: Sequence[Announcement]) -> None: ...


class TextOnly:
    """No speech engine yet: keep the last words (the screen shows them) and say so once."""

    def __init__(self) -> None:
        self.last: tuple[Announcement, ...] = ()
        self._said_why = False

    def announce(self, words: Sequence[Announcement]) -> None:
        self.last = tuple(words)
        if not self._said_why and words:
            self._said_why = True
            log.info("no speech engine is installed: calls are shown and chimed, not spoken")
