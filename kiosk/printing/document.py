"""A ticket as the application describes it: plain data, no ESC/POS.

Screens and services build tickets (a booking confirmation, a queue number, the
admin's test ticket) without knowing which printer, code page or QR method will be
used; :mod:`drivers.printer.render` turns a ticket into bytes for one capability
profile, and the simulated twin can draw the same bytes. Keeping the document
free of printer details means the same ticket can also be shown on screen when
printing is disabled (``type = "none"``).

Tickets are frozen so a job queued in the worker thread cannot be changed by the
UI thread after it was handed over.

It lives with the printing service, not in ``drivers/``, so that the feature code and
the screens that build documents never import a driver; the drivers import it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict, Unpack

Align = Literal["left", "center", "right"]
Size = Literal["normal", "tall", "wide", "large"]  # large = double width and height
Cut = Literal["full", "partial", "none"]

#: How a marked piece of a line is read aloud (:mod:`kiosk.speech.ticket_aloud`): a reference letter
#: by letter, a phone number in pairs, a queue number as it is called (« A douze »), a name or
#: other words as words.
SpokenAs = Literal["words", "name", "phone", "reference", "queue_number"]

#: Width and height multipliers of each size (ESC/POS GS ! n).
SIZE_FACTORS: dict[str, tuple[int, int]] = {
    "normal": (1, 1), "tall": (1, 2), "wide": (2, 1), "large": (2, 2),
}


@dataclass(frozen=True)
class Marked:
    """The piece of a line's text that is not plain words for the ear: a reference, a name, a
    phone number. Why on the line: a ticket is read aloud after it is printed, and a person's
    reference or name must then be masked on a loudspeaker (EN 301 549 5.1.3.x); the builder
    that put the value into the line is the one that knows what it is. ``words`` is the value
    exactly as it stands in the line's text (checked), so what is heard is what was printed."""

    words: str
    spoken_as: SpokenAs = "words"
    personal: bool = True     # False: the town's own data (its phone number), said on any output

    def __post_init__(self) -> None:
        if not self.words.strip():
            raise ValueError("a marked piece needs words")
        if self.spoken_as not in ("words", "name", "phone", "reference", "queue_number"):
            raise ValueError(f"unknown way to speak {self.spoken_as!r}")


@dataclass(frozen=True)
class Line:
    """One paragraph of text; the renderer wraps it to the paper width. ``marked``: the piece of
    ``text`` read aloud in its own way (and masked on a loudspeaker when personal); the
    printer ignores it."""

    text: str
    bold: bool = False
    size: Size = "normal"
    align: Align = "left"
    underline: bool = False
    marked: Marked | None = None

    def __post_init__(self) -> None:
        if self.marked is not None and self.marked.words not in self.text:
            raise ValueError(f"the marked words {self.marked.words!r} are not in the line")
        if self.size not in SIZE_FACTORS:
            raise ValueError(f"unknown size {self.size!r}")
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"unknown alignment {self.align!r}")


@dataclass(frozen=True)
class QrCode:
    """A QR code holding ``data``; ``module`` is the dot size of one module (1–16)."""

    data: str
    module: int = 6
    align: Align = "center"

    def __post_init__(self) -> None:
        if not self.data:
            raise ValueError("a QR code needs data")
        if not 1 <= self.module <= 16:
            raise ValueError("module must be 1 to 16 dots")


@dataclass(frozen=True)
class Rule:
    """A horizontal separator line made of ``char`` across the paper."""

    char: str = "-"


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


Block = Line | QrCode | Rule | Feed


@dataclass(frozen=True)
class Letterhead:
    """The town's identity at the top of every ticket: its logo (a PNG's path, printed dithered)
    and its name. The printing service puts it on each ticket it is given, so that no ticket
    builder has to remember it; a ticket whose title is already the town's name does not get
    the name twice."""

    town: str
    logo: str | None = None


@dataclass(frozen=True)
class Ticket:
    """A whole ticket: an optional title, blocks in order, then the cut."""

    title: str = ""
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    cut: Cut = "full"
    letterhead: Letterhead | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        if self.cut not in ("full", "partial", "none"):
            raise ValueError(f"unknown cut {self.cut!r}")

    def plain_text(self) -> str:
        """The ticket's words, for showing on screen instead of printing."""
        parts = [self.title] if self.title else []
        for block in self.blocks:
            if isinstance(block, Line):
                parts.append(block.text)
            elif isinstance(block, QrCode):
                parts.append(block.data)
        return "\n".join(parts)


class LineStyle(TypedDict, total=False):
    """The keyword arguments of :meth:`TicketBuilder.line` (the fields of :class:`Line`)."""

    bold: bool
    size: Size
    align: Align
    underline: bool
    marked: Marked | None


class TicketBuilder:
    """Fluent helper so screens write ``TicketBuilder("Rendez-vous").line(...).qr(...).build()``."""

    def __init__(self, title: str = "", cut: Cut = "full") -> None:
        self._title = title
        self._cut: Cut = cut
        self._blocks: list[Block] = []

    def line(self, text: str = "", **style: Unpack[LineStyle]) -> TicketBuilder:
        self._blocks.append(Line(text, **style))
        return self

    def qr(self, data: str, module: int = 6, align: Align = "center") -> TicketBuilder:
        self._blocks.append(QrCode(data, module, align))
        return self

    def rule(self, char: str = "-") -> TicketBuilder:
        self._blocks.append(Rule(char))
        return self

    def feed(self, lines: int = 1) -> TicketBuilder:
        self._blocks.append(Feed(lines))
        return self

    def build(self) -> Ticket:
        return Ticket(self._title, tuple(self._blocks), self._cut)


def admin_test_ticket(terminal: str, when: str, state: str = "") -> Ticket:
    """The admin screen's « imprimer un ticket de test »: accents, sizes, alignments, a QR, a cut.

    It exercises everything a real ticket uses, so a technician sees at once a wrong code
    page (garbled « é œ € »), a wrong paper width (wrapped rule) or a printer without QR.
    """
    return (TicketBuilder("Ticket de test")
            .line(terminal, align="center")
            .line(when, align="center")
            .rule()
            .line("Accents\u00a0: é è à ù ç œ Œ É «\u00a0»\u00a0€ ’", bold=True)
            .line("Normal")
            .line("Haut", size="tall")
            .line("Large", size="wide")
            .line("Grand", size="large")
            .line("à droite", align="right")
            .line(f"État\u00a0: {state or '—'}")
            .rule()
            .qr(f"TEST:{terminal}:{when}")
            .line("Si ce QR code se lit, l’impression fonctionne.", align="center")
            .build())
