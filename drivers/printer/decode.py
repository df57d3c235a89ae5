"""Decode the ESC/POS subset our renderer emits back into operations.

The simulated printer draws receipts from these operations, and tests use them to
check rendered tickets by meaning (text, style, QR data) as well as by exact bytes.
The decoder is deliberately strict: a command it does not know raises
:class:`DecodeError`, so the day the renderer emits something new, the simulated twin
and its tests say so instead of drawing garbage.

Operations are tuples ``(name, value)``:

``("init", None)`` ``("codepage", n)`` ``("align", "left"|"center"|"right")``
``("bold", bool)`` ``("underline", int)`` ``("size", (w, h))`` ``("text", str)``
``("newline", None)`` ``("feed", n)`` ``("qr", {"data", "module", "ec", "model"})``
``("raster", PIL.Image)`` ``("cut", "full"|"partial")`` ``("status", n)``
"""

from __future__ import annotations

from collections.abc import Iterator

from PIL import Image

ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
#: ESC t n → Python codec, for the code pages we may select (escpos-printer-db numbering).
CODECS = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
EC_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}


class DecodeError(ValueError):
    """Bytes outside the subset the simulated printer understands."""


def decode(data: bytes) -> list[tuple[str, object]]:
    return list(iter_decode(data))


def iter_decode(data: bytes) -> Iterator[tuple[str, object]]:
    codec = "cp437"
    qr: dict[str, object] = {"module": 3, "ec": "L", "model": 2, "data": None}
    text = bytearray()
    i, n = 0, len(data)

    def need(count: int) -> bytes:
        if i + count > n:
            raise DecodeError(f"truncated command at byte {i}")
        return data[i:i + count]

    def flush() -> Iterator[tuple[str, object]]:
        if text:
            yield "text", text.decode(codec, errors="replace")
            text.clear()

    while i < n:
        byte = data[i]
        if byte >= 0x20 and byte != 0x7F:
            text.append(byte)
            i += 1
            continue
        yield from flush()
        if byte == 0x0A:
            yield "newline", None
            i += 1
        elif byte == 0x1B:                                   # ESC
            cmd = need(2)[1]
            if cmd == 0x40:                                  # ESC @
                codec = "cp437"
                yield "init", None
                i += 2
            elif cmd in (0x74, 0x61, 0x45, 0x2D, 0x64, 0x21):
                arg = need(3)[2]
                if cmd == 0x74:
                    if arg not in CODECS:
                        raise DecodeError(f"code page {arg} not supported by the simulated printer")
                    codec = CODECS[arg]
                    yield "codepage", arg
                elif cmd == 0x61:
                    yield "align", ALIGN.get(arg, "left")
                elif cmd == 0x45:
                    yield "bold", bool(arg & 1)
                elif cmd == 0x2D:
                    yield "underline", arg % 48 if arg >= 48 else arg
                elif cmd == 0x64:
                    yield "feed", arg
                else:                                        # ESC ! n: print mode
                    yield "bold", bool(arg & 0x08)
                    yield "size", (2 if arg & 0x20 else 1, 2 if arg & 0x10 else 1)
                i += 3
            else:
                raise DecodeError(f"unsupported command ESC 0x{cmd:02x} at byte {i}")
        elif byte == 0x1D:                                   # GS
            cmd = need(2)[1]
            if cmd == 0x21:                                  # GS ! n
                arg = need(3)[2]
                yield "size", ((arg >> 4) + 1, (arg & 0x0F) + 1)
                i += 3
            elif cmd == 0x56:                                # GS V m [n]
                mode = need(3)[2]
                yield "cut", "partial" if mode in (1, 49, 66) else "full"
                i += 4 if mode in (65, 66) else 3
            elif cmd == 0x28 and need(3)[2] == 0x6B:         # GS ( k
                head = need(7)
                length = head[3] | head[4] << 8
                body = need(5 + length)[5:]
                i += 5 + length
                cn, fn, rest = body[0], body[1], body[2:]
                if cn != 0x31:
                    raise DecodeError(f"2D code type {cn} not supported")
                if fn == 65:
                    qr["model"] = rest[0] - 48
                elif fn == 67:
                    qr["module"] = rest[0]
                elif fn == 69:
                    qr["ec"] = EC_LEVELS.get(rest[0], "L")
                elif fn == 80:
                    qr["data"] = rest[1:].decode("utf-8")
                elif fn == 81:
                    if qr["data"] is None:
                        raise DecodeError("QR print without stored data")
                    yield "qr", dict(qr)
                else:
                    raise DecodeError(f"QR function {fn} not supported")
            elif cmd == 0x76 and need(3)[2] in (0x30, 0x00):  # GS v 0 m xL xH yL yH d...
                head = need(8)
                width_bytes, height = head[4] | head[5] << 8, head[6] | head[7] << 8
                body = need(8 + width_bytes * height)[8:]
                i += 8 + width_bytes * height
                bits = Image.frombytes("1", (width_bytes * 8, height), body)  # 1 = white in PIL
                yield "raster", Image.eval(bits.convert("L"), lambda v: 255 - v).convert("1")
            else:
                raise DecodeError(f"unsupported command GS 0x{cmd:02x} at byte {i}")
        elif byte == 0x10 and need(2)[1] == 0x04:            # DLE EOT n (real-time status)
            yield "status", need(3)[2]
            i += 3
        elif byte == 0x0D:
            i += 1                                           # CR: ignored, as Epson does by default
        else:
            raise DecodeError(f"unsupported control byte 0x{byte:02x} at byte {i}")
    yield from flush()
