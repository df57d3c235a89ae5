"""A printed ticket read aloud (issue 15: « after a ticket is printed, its content is offered spoken »).

Why from the printed :class:`~kiosk.printing.document.Ticket` and not from the screen: what a
person who cannot see takes away is the paper, and they should hear what it says — the same
lines, in the same order, in the language it was printed in (the visit's) — not a second text
kept by hand that would drift from it.

What is not for the ear is left out: rules and blank lines, and a line that is only a web
address (its QR code is announced as « code QR » just before; a long address spelt out helps
nobody, and it is on the paper for whoever reads it to them). A line's marked piece
(:class:`~kiosk.printing.document.Marked`, set by the builder that put the value there) is
read in its own way — a reference letter by letter, a phone number in pairs, a queue number as
it is called — and, when it is personal, masked on a loudspeaker by :mod:`kiosk.speech.privacy`
like any other personal part.
"""

from __future__ import annotations

import re

from kiosk.printing.document import Line, Marked, QrCode, Ticket
from kiosk.speech.utterance import Part, Utterance
from kiosk.speech.verbalise import queue_number_aloud

#: Said where the ticket has a QR code.
QR_WORDS = {"fr": "code QR", "en": "QR code"}
#: Said before the ticket, so that the person knows the words that follow are the paper's.
OPENING = {"fr": "Votre ticket.", "en": "Your ticket."}

_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = tuple(".!?:;…")


def ticket_utterance(ticket: Ticket, language: str) -> Utterance:
    """``ticket`` as it is said in ``language`` ("fr" or "en"): title, then each block in order."""
    return Utterance(language, ticket_parts(ticket, language))


def ticket_parts(ticket: Ticket, language: str) -> tuple[Part, ...]:
    """The parts of :func:`ticket_utterance` (a screen hands them to ``app.say``)."""
    if language not in OPENING:
        raise ValueError(f"no speech in language {language!r}")
    parts: list[Part] = [Part(OPENING[language])]
    if ticket.title.strip():
        parts += _sentence([Part(ticket.title.strip())])
    for block in ticket.blocks:
        if isinstance(block, Line):
            parts += _line_parts(block)
        elif isinstance(block, QrCode):
            parts += _sentence([Part(QR_WORDS[language])])
        # Rule, Feed: nothing to hear
    return tuple(parts)


def _line_parts(line: Line) -> list[Part]:
    words = line.text.strip()
    if words.startswith("- "):              # a printed list item: the dash is for the eye
        words = words[2:].strip()
    if not words or _WEB_ADDRESS.fullmatch(words):
        return []
    if line.marked is None or line.marked.words not in words:
        return _sentence([Part(words)])
    before, _, after = words.rpartition(line.marked.words)
    pieces = [Part(before.strip())] if before.strip() else []
    pieces.append(_marked_part(line.marked))
    if after.strip():
        pieces.append(Part(after.strip()))
    return _sentence(pieces)


def _marked_part(marked: Marked) -> Part:
    if marked.spoken_as == "name":
        return Part(marked.words, "name", True)
    if marked.spoken_as == "phone":
        return Part(marked.words, "phone", marked.personal)
    if marked.spoken_as == "reference":
        return Part(marked.words, "reference", marked.personal)
    if marked.spoken_as == "queue_number":
        return Part(queue_number_aloud(marked.words), "text", marked.personal)
    return Part(marked.words, "text", marked.personal)


def _sentence(pieces: list[Part]) -> list[Part]:
    """A printed line is a sentence for the ear: a full stop after it, unless it has its own
    punctuation, so that the voice pauses where the paper goes to the next line."""
    if pieces and not pieces[-1].text.rstrip().endswith(_SENTENCE_END):
        pieces.append(Part("."))
    return pieces
