"""Render a :class:`~kiosk.printing.document.Ticket` to ESC/POS bytes for one printer profile.

python-escpos's ``Dummy`` printer collects the bytes of its styling, QR, image and cut
commands, so we reuse its knowledge of the protocol and of printer capability profiles.
Text is the exception: python-escpos 3.1's "magic encoding" picks a code page per
character and switches (``ESC t``) in the middle of a line, and never re-selects it
after ``ESC @``; a printer whose table differs from the profile's then prints garbage
for the rest of the line. So we choose **one** code page per profile (CP1252 — it has
« é è à ç œ € ’ » and Œ, …, –, —; CP858, the usual alternative, lacks œ/Œ and ’),
select it right after the single ``ESC @`` of the ticket, encode every line ourselves
and transliterate what the table lacks into readable ASCII ("→" becomes "->").

Control characters in application text are dropped so data (a name, a place) can never
smuggle an ESC/POS command onto the paper.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import qrcode
from escpos.capabilities import get_profile
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from drivers.printer.logo import thermal_logo
from kiosk.line_breaks import break_lines
from kiosk.printing.document import SIZE_FACTORS, Feed, Letterhead, Line, QrCode, Rule, Ticket

ESC_INIT = b"\x1b@"
#: Code pages we accept, best first: Python codec name, escpos-printer-db name.
CODEPAGE_PREFERENCE = (("cp1252", "CP1252"), ("cp858", "CP858"), ("cp850", "CP850"), ("cp437", "CP437"))
#: Readable stand-ins for characters a code page may lack (tried before accent stripping).
TRANSLITERATIONS = {
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",   # no-break / thin spaces
    "\u2192": "->", "\u2190": "<-", "\u2191": "^", "\u2193": "v", "\u21d2": "=>",
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "<", "\u203a": ">",
    "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u2022": "*",
    "\u00b7": ".",
    "\u0153": "oe", "\u0152": "OE", "\u00e6": "ae", "\u00c6": "AE", "\u00df": "ss", "\u0141": "L", "\u0142": "l",
    "\u0110": "D", "\u0111": "d", "\u00d8": "O", "\u00f8": "o",
    "\u20ac": "EUR", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u00d7": "x",
    "\u2500": "-", "\u2501": "-", "\u2550": "=", "\u2713": "v", "\u2714": "v", "\u2717": "x", "\u2122": "TM",
    "\u00a9": "(c)", "\u00ae": "(R)",
}
#: Spaces that must stay spaces even where the code page has them (printers render 0xA0 oddly).
ALWAYS_SPACE = {"\u00a0", "\u202f", "\u2009", "\u2007", "\t"}


class RenderError(ValueError):
    """The profile cannot print tickets (unknown name, no usable code page, no paper width)."""


@dataclass(frozen=True)
class Codepage:
    codec: str      # Python codec used to encode text
    name: str       # escpos-printer-db name, e.g. "CP1252"
    number: int     # n of ESC t n on this profile

    @property
    def select(self) -> bytes:
        return b"\x1bt" + bytes((self.number,))


def choose_codepage(profile: Any) -> Codepage:   # a python-escpos capability profile
    """The first code page of our preference list the profile's table offers."""
    table = profile.profile_data.get("codePages", {})
    for codec, name in CODEPAGE_PREFERENCE:
        numbers = sorted(int(n) for n, page in table.items() if page == name)
        if numbers:
            return Codepage(codec, name, numbers[0])
    raise RenderError(f"profile {profile.profile_data.get('name')!r} offers none of "
                      f"{', '.join(n for _, n in CODEPAGE_PREFERENCE)}")


def encode_text(text: str, codec: str) -> bytes:
    """Encode for the printer's table; transliterate, then strip accents, then '?' as a last resort."""
    out = bytearray()
    for char in text:
        if char in ALWAYS_SPACE:
            out += b" "
            continue
        if unicodedata.category(char) == "Cc":  # ESC, LF, NUL...: never from data
            continue
        try:
            out += char.encode(codec)
            continue
        except UnicodeEncodeError:
            pass
        candidate = TRANSLITERATIONS.get(char)
        if candidate is None:
            stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            candidate = stripped if stripped and stripped != char else "?"
        out += encode_text(candidate, codec) if candidate != char else b"?"
    return bytes(out)


def qr_image(data: str, module: int, border: int = 4) -> Image.Image:
    """A 1-bit PIL image of the QR code (error correction M), for printers without native QR."""
    code = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M,
                         box_size=module, border=border)
    code.add_data(data)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    return image


class TicketRenderer:
    """Renders tickets for one capability profile (e.g. "TM-T88V", "TM-T20II").

    ``qr`` is "auto" (native ``GS ( k`` when the profile supports it, else raster
    ``GS v 0``), "native" or "raster".
    """

    def __init__(self, profile: str = "TM-T88V", qr: str = "auto") -> None:
        try:
            self.profile = get_profile(profile)
        except KeyError:
            raise RenderError(f"unknown printer profile {profile!r}") from None
        self.profile_name = profile
        self.codepage = choose_codepage(self.profile)
        self.columns = int(self.profile.profile_data["fonts"]["0"]["columns"])
        try:
            self.width_px = int(self.profile.profile_data["media"]["width"]["pixels"])
        except (KeyError, TypeError, ValueError):
            raise RenderError(f"profile {profile!r} does not give its paper width in pixels") from None
        if qr not in ("auto", "native", "raster"):
            raise RenderError(f'qr must be "auto", "native" or "raster", not {qr!r}')
        self.native_qr = qr == "native" or (qr == "auto" and self.profile.supports("qrCode"))

    def render(self, ticket: Ticket) -> bytes:
        printer = Dummy(profile=self.profile_name)
        # One init, the code page selected right after it, never changed again.
        printer._raw(ESC_INIT + self.codepage.select)
        state = {"align": "left", "size": "normal", "bold": False, "underline": False}

        def style(align: str, size: str = "normal", bold: bool = False, underline: bool = False) -> None:
            if align != state["align"]:
                printer.set(align=align)
            if size != state["size"]:
                width, height = SIZE_FACTORS[size]
                printer.set(custom_size=True, width=width, height=height)
            if bold != state["bold"]:
                printer.set(bold=bold)
            if underline != state["underline"]:
                printer.set(underline=int(underline))
            state.update(align=align, size=size, bold=bold, underline=underline)

        blocks = list(ticket.blocks)
        if ticket.title:
            blocks[:0] = [Line(ticket.title, bold=True, size="large", align="center"), Feed(1)]
        if ticket.letterhead is not None:
            self._letterhead(printer, ticket.letterhead, ticket.title)
        for block in blocks:
            if isinstance(block, Line):
                style(block.align, block.size, block.bold, block.underline)
                for row in self.wrap(block.text, SIZE_FACTORS[block.size][0]):
                    printer._raw(encode_text(row, self.codepage.codec) + b"\n")
            elif isinstance(block, Rule):
                style("left")
                unit = encode_text(block.char, self.codepage.codec) or b"-"
                printer._raw((unit * self.columns)[: self.columns] + b"\n")
            elif isinstance(block, Feed):
                printer._raw(b"\n" * block.lines)
            elif isinstance(block, QrCode):
                style(block.align)
                self._qr(printer, block)
        style("left")
        if ticket.cut != "none":
            printer.cut(mode="PART" if ticket.cut == "partial" else "FULL")
        output: bytes = printer.output
        return output

    def wrap(self, text: str, width_factor: int = 1) -> list[str]:
        """Split a paragraph into rows that fit the paper at this character width.

        Rows break where the screen's lines do (:mod:`kiosk.line_breaks`): never inside a date, a
        time, a phone number, « 1 an », a code (« RDV-7K3P-Q9 ») or a hyphenated word, unless it is
        wider than the paper — a double-width town name (« Saint-Clément-des-Vignes », 24
        characters where 21 fit) then breaks after a hyphen rather than inside a word."""
        width = max(1, self.columns // width_factor)
        return break_lines(text, lambda row: len(row) <= width)

    def _letterhead(self, printer: Dummy, head: Letterhead, title: str) -> None:
        """The town's logo, centred, then its name unless the ticket's title already is it."""
        logo = thermal_logo(head.logo, self.width_px) if head.logo else None
        if logo is not None:
            printer.image(logo, impl="bitImageRaster", center=True)
        if head.town and head.town != title:
            printer.set(align="center", bold=True)
            for row in self.wrap(head.town):
                printer._raw(encode_text(row, self.codepage.codec) + b"\n")
            printer.set(align="left", bold=False)
        if logo is not None or head.town != title:
            printer._raw(b"\n")

    def _qr(self, printer: Dummy, block: QrCode) -> None:
        if self.native_qr:
            # ESC a (alignment) also positions 2D codes on Epson printers, so no centring padding.
            printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module, native=True)
            printer._raw(b"\n")
            return
        image = qr_image(block.data, block.module)
        if image.width > self.width_px:
            image = qr_image(block.data, max(1, block.module * self.width_px // image.width))
        printer.image(image, impl="bitImageRaster")
        printer._raw(b"\n")
