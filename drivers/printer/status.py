"""Ask the printer how it is (``DLE EOT n``) and turn its status bytes into one state.

Why not python-escpos's ``is_online()``/``paper_status()``: they block on a read with
the transport's own timeout and ``paper_status()`` reports "paper adequate" when the
read came back empty — a printer that answers nothing would look fine, and
paper-out would go unnoticed for days on a street totem. Here every query has its own
short timeout, silence is "offline" (or "no status" for write-only devices), and each
answer is checked against the fixed bits Epson sets (bit 1 and bit 4 on, bits 0 and 7
off) before it is believed.

Bits used (Epson TM series, shared by most ESC/POS clones):

- ``n=1`` printer status: bit 3 offline.
- ``n=2`` offline cause: bit 2 cover open, bit 5 stopped for paper end, bit 6 error.
- ``n=4`` roll paper sensor: bits 2–3 near end, bits 5–6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.printer.backends import Backend, BackendError

DLE_EOT = b"\x10\x04"

# The states the UI, the admin screen and the heartbeat know (DEVICE_STATE ``state``).
READY = "ready"                  # online, paper OK
PAPER_LOW = "paper_low"          # still prints; tell a technician
PAPER_OUT = "paper_out"          # do not offer tickets
COVER_OPEN = "cover_open"
ERROR = "error"                  # cutter jam, head too hot...
OFFLINE = "offline"              # connected but no (valid) answer
DISCONNECTED = "disconnected"    # transport cannot be opened (unplugged, switched off)
NO_STATUS = "no_status"          # device cannot report (write-only file); assume it prints
DISABLED = "disabled"            # type = "none"
PRINTABLE = frozenset({READY, PAPER_LOW, NO_STATUS})


def _valid(byte: int) -> bool:
    return byte & 0b1001_0011 == 0b0001_0010


@dataclass(frozen=True)
class PrinterStatus:
    state: str
    detail: str = ""
    raw: dict[int, int] = field(default_factory=dict)

    @property
    def can_print(self) -> bool:
        return self.state in PRINTABLE

    def as_dict(self) -> dict[str, object]:
        """For the heartbeat and logs: no personal data, just the device's condition."""
        return {"state": self.state, "detail": self.detail, "can_print": self.can_print,
                "raw": {str(n): f"0x{b:02x}" for n, b in self.raw.items()}}


def parse(raw: dict[int, int | None]) -> PrinterStatus:
    """State from the answers to ``DLE EOT 1, 2, 4`` (``None`` = no answer)."""
    answered = {n: b for n, b in raw.items() if b is not None}
    if not answered:
        return PrinterStatus(OFFLINE, "the printer does not answer status queries")
    bad = {n: b for n, b in answered.items() if not _valid(b)}
    if bad:
        return PrinterStatus(OFFLINE, f"unexpected status bytes {bad}", answered)
    printer, cause, paper = answered.get(1), answered.get(2), answered.get(4)
    if paper is not None and paper & 0x60:
        return PrinterStatus(PAPER_OUT, "out of paper", answered)
    if cause is not None:
        if cause & 0x04:
            return PrinterStatus(COVER_OPEN, "the cover is open", answered)
        if cause & 0x20:
            return PrinterStatus(PAPER_OUT, "stopped: paper end", answered)
        if cause & 0x40:
            return PrinterStatus(ERROR, "the printer reports an error (cutter or head)", answered)
    if printer is not None and printer & 0x08:
        return PrinterStatus(OFFLINE, "the printer is offline", answered)
    if paper is not None and paper & 0x0C:
        return PrinterStatus(PAPER_LOW, "paper near end", answered)
    if printer is None:
        return PrinterStatus(OFFLINE, "no answer to the online query", answered)
    return PrinterStatus(READY, "", answered)


def drain(backend: Backend, timeout: float = 0.0) -> bytes:
    """Discard unread bytes (late answers to an earlier query) so answers stay paired."""
    junk = b""
    while chunk := backend.read(64, timeout):
        junk += chunk
    return junk


def query_status(backend: Backend, timeout: float = 0.5, queries: tuple[int, ...] = (1, 2, 4)) -> PrinterStatus:
    """Poll the printer. Never raises: transport failures become DISCONNECTED."""
    if backend.type == "none":
        return PrinterStatus(DISABLED, "printing is disabled")
    try:
        backend.open()
    except BackendError as exc:
        return PrinterStatus(DISCONNECTED, exc.detail)
    if not getattr(backend, "status_readable", True):
        return PrinterStatus(NO_STATUS, f"{backend.describe()} cannot report its status")
    raw: dict[int, int | None] = {}
    try:
        drain(backend)
        for n in queries:
            backend.write(DLE_EOT + bytes((n,)))
            answer = backend.read(1, timeout)
            raw[n] = answer[0] if answer else None
            if answer == b"" and n == queries[0]:
                break  # silent printer: don't wait once per query
    except BackendError as exc:
        return PrinterStatus(DISCONNECTED, exc.detail)
    status = parse(raw)
    if status.state == OFFLINE and not status.raw and getattr(backend, "silence_is_normal", False):
        return PrinterStatus(NO_STATUS, f"{backend.describe()} does not answer status queries")
    return status
