"""What is to be said, in parts that know whether they are personal and how they are read.

Why parts and not a string: on a terminal with a loudspeaker, a name, a phone number, an
e-mail address, a reference or a typed PIN digit must not be heard by the people around
(EN 301 549 5.1.3.x: private data spoken only through a personal headset). A screen that says
« Rendez-vous au nom de Martin, référence RDV-K7QM-4P » therefore gives the name and the
reference as personal parts; :func:`spoken_text` says them or replaces each with « information
masquée » according to the output (:mod:`kiosk.speech.privacy`). A part's ``kind`` also says
how it is read: a reference letter by letter, a phone number in pairs, an address with its
« arobase » and « point ».
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk.speech.verbalise import email_aloud, phone_in_pairs, spelled, verbalise

PartKind = Literal["text", "name", "phone", "email", "reference", "pin"]
#: Kinds that are personal whatever the caller says: they are the person's own.
ALWAYS_PERSONAL: frozenset[str] = frozenset({"name", "email", "pin"})
MASKED = {"fr": "information masquée", "en": "hidden information"}


@dataclass(frozen=True)
class Part:
    text: str
    kind: PartKind = "text"
    personal: bool = False   # said only through a headset (always True for names, e-mails and PIN digits)

    @property
    def private(self) -> bool:
        return self.personal or self.kind in ALWAYS_PERSONAL


def text(words: str) -> Part:
    return Part(words)


def name(words: str) -> Part:
    return Part(words, "name", True)


def email(address: str) -> Part:
    return Part(address, "email", True)


def phone(number: str, *, personal: bool = True) -> Part:
    """A phone number; ``personal=False`` for the town's own numbers, said on any output."""
    return Part(number, "phone", personal)


def reference(code: str, *, personal: bool = True) -> Part:
    """A booking, request or tracking reference, said letter by letter."""
    return Part(code, "reference", personal)


def pin_digit(digit: str) -> Part:
    return Part(digit, "pin", True)


@dataclass(frozen=True)
class Utterance:
    """Something to say in one language ("fr" or "en"), made of parts said one after the other."""

    language: str
    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        if self.language not in MASKED:
            raise ValueError(f"no speech in language {self.language!r} (expected one of {', '.join(MASKED)})")

    @classmethod
    def of(cls, language: str, *parts: Part | str) -> Utterance:
        """``Utterance.of("fr", "Bonjour", name("Martin"))``: plain strings are ``text`` parts."""
        return cls(language, tuple(p if isinstance(p, Part) else Part(p) for p in parts))

    @property
    def has_private_parts(self) -> bool:
        return any(p.private for p in self.parts)


def part_aloud(part: Part, language: str) -> str:
    """One part as it is said (unmasked)."""
    if part.kind == "reference":
        return spelled(part.text)
    if part.kind == "phone":
        return phone_in_pairs(part.text)
    if part.kind == "email":
        return email_aloud(part.text, language)
    if part.kind == "pin":
        return " ".join(ch for ch in part.text if not ch.isspace())
    return verbalise(part.text, language)


def spoken_text(utterance: Utterance, *, private_allowed: bool) -> str:
    """The words handed to the engine: each part said, a private part masked unless allowed.
    Two masked parts in a row are said once (« information masquée », not twice)."""
    masked = MASKED[utterance.language]
    said: list[str] = []
    for part in utterance.parts:
        words = part_aloud(part, utterance.language) if private_allowed or not part.private else masked
        if words and not (words == masked and said and said[-1] == masked):
            said.append(words)
    return _joined(said)


def _joined(words: list[str]) -> str:
    """Parts joined by a space, except before the punctuation a part may start with (« , le 3 »)."""
    out = ""
    for piece in words:
        out += piece if not out or piece[:1] in ",.;:!?)" else " " + piece
    return out
