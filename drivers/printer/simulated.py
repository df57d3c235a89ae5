"""The simulated printer: a backend that keeps the ESC/POS bytes it gets and draws receipts.

Why draw from the bytes rather than from the ticket: the demo and the tests then show
what a real printer would print from exactly what we send — a wrong code page, a
missing cut or an undecodable raster QR show up on the PNG. It goes through
:mod:`drivers.printer.decode` (our own decoder of the commands we emit) and draws
with a 12×24-dot character cell like Epson's font A.

It answers ``DLE EOT`` like a real printer, so the worker's polling, failure and
recovery paths run unchanged in ``--demo``; set ``paper`` ("ok", "low", "out"),
``online``, ``cover_open`` or ``connected`` (from the admin screen or a test) to
simulate trouble.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import qrcode
from PIL import Image, ImageDraw, ImageFont

from drivers.printer.backends import Backend, BackendError
from drivers.printer.decode import DecodeError, decode
from drivers.printer.render import TicketRenderer

if TYPE_CHECKING:
    import pygame

FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",)
# Receipts kept in memory: the demo shows only the last one (« Dernier ticket ») and a test reads
# the few it printed, while each image is about 0.5 MB and a demo terminal prints for weeks.
# ``output_dir`` keeps them all on disk for whoever wants every one.
RECEIPTS_KEPT = 4
# Bytes of the jobs kept in ``received`` (a test reads what its job sent, the decoder a job at a
# time); a ticket is under 2 KB and a raster image some tens of KB, so 1 MiB is dozens of jobs.
RECEIVED_KEPT = 1 << 20
# A job that never ends with a cut is dropped past this size instead of growing without end.
PENDING_MAX = 4 << 20
DECODE_ERRORS_KEPT = 20
CELL_H = 24
LINE_GAP = 6          # Epson's default line spacing is 30 dots for a 24-dot font


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    import pygame
    for path in (*FONT_CANDIDATES, os.path.join(os.path.dirname(pygame.__file__), "freesansbold.ttf")):
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


class ReceiptDrawer:
    """Turns decoded operations into receipt images (one per cut)."""

    def __init__(self, width_px: int, columns: int) -> None:
        self.width = width_px
        self.cell_w = width_px // columns
        self.columns = columns
        self.font = _font(20)
        self.receipts: list[Image.Image] = []      # the last RECEIPTS_KEPT, oldest first
        self.drawn = 0                              # receipts drawn since the start
        self._strips: list[Image.Image] = []
        self._reset()

    def _reset(self) -> None:
        self.align, self.bold, self.underline, self.size = "left", False, 0, (1, 1)
        self._line: list[tuple[str, bool, int, tuple[int, int]]] = []

    def feed(self, ops: Iterable[tuple[str, Any]]) -> None:
        """Draw decoded operations (:func:`drivers.printer.decode.decode`); each name has its own kind of value."""
        for name, value in ops:
            if name == "init":
                self._reset()
            elif name in ("align", "bold", "underline", "size"):
                setattr(self, name, value)
            elif name == "text":
                for char in value:
                    if self._line_cells() + self.size[0] > self.columns:
                        self._print_line()
                    self._line.append((char, self.bold, self.underline, self.size))
            elif name == "newline":
                self._print_line()
            elif name == "feed":
                self._print_line(force=bool(self._line))
                for _ in range(value):
                    self._print_line()
            elif name == "qr":
                self._place(self._qr_image(value))
            elif name == "raster":
                self._place(value.convert("L"))
            elif name == "cut":
                self._cut()

    def _line_cells(self) -> int:
        return sum(size[0] for _, _, _, size in self._line)

    def _print_line(self, force: bool = True) -> None:
        if not force:
            return
        height = max([size[1] for *_, size in self._line] or [1]) * CELL_H + LINE_GAP
        strip = Image.new("L", (self.width, height), 255)
        x = self._offset(self._line_cells() * self.cell_w)
        for char, bold, underline, (w, h) in self._line:
            cell = Image.new("L", (self.cell_w, CELL_H), 255)
            draw = ImageDraw.Draw(cell)
            draw.text((self.cell_w / 2, CELL_H - 4), char, font=self.font, fill=0, anchor="ms",
                      stroke_width=1 if bold else 0, stroke_fill=0)
            if underline:
                draw.line((0, CELL_H - 2, self.cell_w, CELL_H - 2), fill=0, width=underline)
            cell = cell.resize((self.cell_w * w, CELL_H * h), Image.Resampling.NEAREST)
            strip.paste(cell, (x, height - LINE_GAP - CELL_H * h))
            x += self.cell_w * w
        self._strips.append(strip)
        self._line = []

    def _offset(self, used: int) -> int:
        free = max(0, self.width - used)
        return {"left": 0, "center": free // 2, "right": free}[self.align]

    def _place(self, image: Image.Image) -> None:
        self._print_line(force=bool(self._line))
        strip = Image.new("L", (self.width, image.height), 255)
        strip.paste(image.crop((0, 0, min(image.width, self.width), image.height)), (self._offset(image.width), 0))
        self._strips.append(strip)

    @staticmethod
    def _qr_image(qr: dict[str, Any]) -> Image.Image:
        levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
                  "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
        code = qrcode.QRCode(error_correction=levels[qr["ec"]], box_size=qr["module"], border=0)
        code.add_data(qr["data"])
        code.make(fit=True)
        image: Image.Image = code.make_image().get_image().convert("L")
        return image

    def _cut(self) -> None:
        self._print_line(force=bool(self._line))
        height = sum(s.height for s in self._strips) + 16
        receipt = Image.new("L", (self.width, height), 255)
        y = 8
        for strip in self._strips:
            receipt.paste(strip, (0, y))
            y += strip.height
        draw = ImageDraw.Draw(receipt)
        for x in range(0, self.width, 16):  # the cut, drawn as a dashed line
            draw.line((x, height - 1, x + 8, height - 1), fill=128)
        self.receipts.append(receipt)
        self.drawn += 1
        del self.receipts[:-RECEIPTS_KEPT]
        self._strips = []


class SimulatedPrinter(Backend):
    """A pretend printer for ``--demo`` and tests: keeps bytes, answers status, draws receipts."""

    type = "simulated"

    def __init__(self, profile: str = "TM-T88V", paper: str = "ok", online: bool = True,
                 cover_open: bool = False, connected: bool = True, output_dir: str | None = None) -> None:
        super().__init__()
        renderer = TicketRenderer(profile)
        self.drawer = ReceiptDrawer(renderer.width_px, renderer.columns)
        self.paper, self.online, self.cover_open, self.connected = paper, online, cover_open, connected
        self.output_dir = Path(output_dir) if output_dir else None
        # the bytes of the last jobs (at most RECEIVED_KEPT, dropped from the front), status queries excluded
        self.received = bytearray()
        self.decode_errors: list[str] = []   # the last DECODE_ERRORS_KEPT
        self._pending = b""
        self._answers = bytearray()
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "simulated printer"

    @property
    def receipts(self) -> list[Image.Image]:
        """The last receipts drawn (at most RECEIPTS_KEPT), oldest first."""
        return self.drawer.receipts

    def receipt_surface(self, index: int = -1) -> pygame.Surface | None:
        """A receipt as a pygame Surface, for the demo to show on screen (None before any)."""
        import pygame
        if not self.receipts:
            return None
        image = self.receipts[index].convert("RGB")
        return pygame.image.frombytes(image.tobytes(), image.size, "RGB")

    def status_byte(self, n: int) -> int | None:
        paper_out = self.paper == "out"
        return {
            1: 0x12 | (0x08 if (not self.online or paper_out or self.cover_open) else 0),
            2: 0x12 | (0x04 if self.cover_open else 0) | (0x20 if paper_out else 0),
            3: 0x12,
            4: 0x12 | (0x60 if paper_out else 0x0C if self.paper == "low" else 0),
        }.get(n)

    def _open(self) -> None:
        if not self.connected:
            raise BackendError("not_found", "the simulated printer is unplugged")

    def _write(self, data: bytes) -> None:
        if not self.connected:
            raise BackendError("disconnected", "the simulated printer was unplugged")
        with self._lock:
            if len(data) == 3 and data.startswith(b"\x10\x04"):
                answer = self.status_byte(data[2])
                if answer is not None:
                    self._answers.append(answer)
                return
            self.received += data
            if len(self.received) > RECEIVED_KEPT:
                del self.received[:len(self.received) - RECEIVED_KEPT]
            if self.paper == "out" or not self.online or self.cover_open:
                return  # a stopped printer prints nothing
            self._pending += data
            self._draw_pending()

    def _draw_pending(self) -> None:
        last_cut = max(self._pending.rfind(b"\x1dV\x00"), self._pending.rfind(b"\x1dV\x01"))
        if last_cut < 0:
            if len(self._pending) > PENDING_MAX:
                self._decode_error(f"no cut in {len(self._pending)} bytes: job dropped")
                self._pending = b""
            return
        chunk, self._pending = self._pending[: last_cut + 3], self._pending[last_cut + 3:]
        before = self.drawer.drawn
        try:
            self.drawer.feed(decode(chunk))
        except DecodeError as exc:
            self._decode_error(str(exc))
            return
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            new = min(self.drawer.drawn - before, len(self.receipts))   # past RECEIPTS_KEPT cuts: the last ones
            first = self.drawer.drawn - new
            for offset, receipt in enumerate(self.receipts[len(self.receipts) - new:]):
                receipt.save(self.output_dir / f"receipt-{first + offset + 1:04d}.png")

    def _decode_error(self, message: str) -> None:
        self.decode_errors.append(message)
        del self.decode_errors[:-DECODE_ERRORS_KEPT]

    def _read(self, size: int, timeout: float) -> bytes:
        if not self.connected:
            raise BackendError("disconnected", "the simulated printer was unplugged")
        with self._lock:
            answer, self._answers = bytes(self._answers[:size]), self._answers[size:]
        return answer
