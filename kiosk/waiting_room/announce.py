"""A call said in words, French then English (« Numéro A 12, guichet 3 »), shown and spoken.

The display shows the words under the number; an :class:`Announcer` says them.
``[waiting_room] announce = "speech"`` speaks them through the speech player
(:mod:`kiosk.waiting_room.spoken_calls`, which also picks the announcer); ``"text"`` (or a
display without a sound card, which the player then says once in the log) only shows them,
as :class:`TextOnly` does.

The number is written « A 12 » on the screen but said from « A12 » (:attr:`Announcement.aloud`):
without its padding zeros, as a waiting room calls it (« A douze »), the letter glued to the
number so that the English voice says the letter, not the article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.speech.verbalise import queue_number_aloud
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
    text: str          # as shown
    spoken: str = ""   # as said, when it differs from the text

    @property
    def aloud(self) -> str:
        return self.spoken or self.text


def spoken_number(number: str) -> str:
    """« A012 » as it is said: the letter, a space, the number without its leading zeros (« A 12 »)."""
    match = re.fullmatch(r"([A-Z]+)0*([0-9]+)", number.strip())
    if not match:
        return number
    return f"{match[1]} {int(match[2])}"


def announcements(call: Call, languages: Sequence[str]) -> list[Announcement]:
    """What is said for ``call``, in each language in turn (unknown languages skipped)."""
    shown, said = spoken_number(call.number), queue_number_aloud(call.number)
    words = _WORDS if counter_is_number(call.counter) else _NAMED
    counter = call.counter.strip()
    return [Announcement(lang, words[lang].format(number=shown, counter=counter),
                         words[lang].format(number=said, counter=counter))
            for lang in languages if lang in words]


class Announcer(Protocol):
    """Something that says a call aloud; it must return at once (a voice runs on its own thread)."""

    def announce(self, words: Sequence[Announcement]) -> None: ...

    def close(self) -> None: ...


class TextOnly:
    """Calls not spoken (``announce = "text"``): keep the last words (the screen shows them) and say so once."""

    def __init__(self) -> None:
        self.last: tuple[Announcement, ...] = ()
        self._said_why = False

    def announce(self, words: Sequence[Announcement]) -> None:
        self.last = tuple(words)
        if not self._said_why and words:
            self._said_why = True
            log.info("calls are shown and chimed, not spoken ([waiting_room] announce = \"text\")")

    def close(self) -> None:
        pass

