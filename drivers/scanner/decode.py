"""QR decoding of camera frames and image files: zxing-cpp (default) or zbar.

Why two decoders behind one call: zxing-cpp is the default — about ten times faster
than zbar on a 720p frame and far more tolerant of blur, rotation and low contrast
(see the degradation table in tests/hardware/test_scanner_decode.py and ``kiosk bench``) —
but zbar (pyzbar + Debian ``libzbar0``) is what some distributions and technicians
already trust, so ``decoder = "zbar"`` keeps it one key away.

Both are restricted to QR codes: the only symbology we issue, and each extra format
costs decode time on every frame and invites false reads from posters behind the
person. Frames are 8-bit grayscale ``numpy`` arrays (height × width); colour frames
are reduced to gray first. Text comes back as ``str``; zbar's bytes are read as
UTF-8, then Latin-1 (what QR byte mode means by default).

A frame the plain decode finds nothing in gets second chances (:mod:`drivers.scanner.rescue`:
local threshold, sharpen, soften…) when it may hold a code at all — phone screens at the
counter need them; an empty frame does not pay for them. The texts are returned whole, never
cut or filtered here: the length limit every scanner shares is applied where scans are posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from drivers.optional import importable
from drivers.scanner.rescue import CAMERA_PASSES, PASSES, Pass, code_area

if TYPE_CHECKING:
    import zxingcpp


class DecoderUnavailable(RuntimeError):
    """The configured decoder's package or system library is missing."""


def to_gray(frame: Any) -> np.ndarray:   # a numpy array, or a PIL image
    """A 2-D uint8 array from a gray, RGB/BGR or RGBA array or a PIL image."""
    if hasattr(frame, "convert"):                          # PIL image
        return np.asarray(frame.convert("L"))
    arr = np.asarray(frame)
    if arr.ndim == 3:
        arr = (arr[..., 0].astype(np.uint16) * 77 + arr[..., 1].astype(np.uint16) * 150
               + arr[..., 2].astype(np.uint16) * 29) >> 8   # the channel order barely matters for QR
    return np.ascontiguousarray(arr, dtype=np.uint8)


class Decoder:
    """``decode(gray) -> [text, ...]`` for the QR codes found in one frame.

    Subclasses give ``_plain`` (the everyday decode) and ``_read`` (one decode of a prepared
    image); ``rescue`` names the passes of :data:`drivers.scanner.rescue.PASSES` tried, in
    order, on the part of the frame that may hold a code when ``_plain`` found nothing
    (``()``: none). ``last_pass`` says which one read the last frame ("plain", a pass name,
    or None when nothing was read).
    """

    name: ClassVar[str] = ""
    requirement: ClassVar[str] = ""

    def __init__(self, rescue: Sequence[str] = CAMERA_PASSES) -> None:
        unknown = [p for p in rescue if p not in PASSES]
        if unknown:
            raise ValueError(f"unknown decode pass {unknown[0]!r} (known: {', '.join(PASSES)})")
        self.rescue: tuple[Pass, ...] = tuple(PASSES[p] for p in rescue)
        self.last_pass: str | None = None

    @staticmethod
    def is_usable() -> bool:
        return True

    def decode(self, gray: np.ndarray) -> list[str]:
        self.last_pass = None
        if gray.ndim != 2 or min(gray.shape) < 8:          # nothing a camera or a file could hold a code in
            return []
        gray = np.ascontiguousarray(gray, dtype=np.uint8)
        found = self._plain(gray)
        if found:
            self.last_pass = "plain"
            return found
        area = code_area(gray) if self.rescue else None
        if area is None:
            return []
        part = np.ascontiguousarray(gray[area])
        prepared: dict[object, np.ndarray] = {}          # passes that differ only by binarizer share it
        for step in self.rescue:
            if step.prepare not in prepared:
                prepared[step.prepare] = step.prepare(part)
            found = self._read(prepared[step.prepare], step.binarizer)
            if found:
                self.last_pass = step.name
                return found
        return []

    def _plain(self, gray: np.ndarray) -> list[str]:
        raise NotImplementedError

    def _read(self, image: np.ndarray, binarizer: str) -> list[str]:
        raise NotImplementedError


class ZxingDecoder(Decoder):
    """zxing-cpp, in one of two modes.

    ``thorough`` (image files, ``kiosk scan-image``): zxing-cpp's full search — inverted
    codes, rotations, several scales — about 8 ms on a textured 720p frame.

    Camera mode (the default): a camera decodes 8–10 frames a second all day, so each
    frame gets a cheaper search that still reads what a person holds up: a 720p (or
    larger) frame is first decoded at half resolution (a code held at arm's length has
    modules of 4+ pixels, 2+ after halving), then, if nothing was found, at full
    resolution with the global-histogram binarizer (fast; catches small modules).
    Inverted (light-on-dark) codes are not searched: we never issue them. About 1 ms
    with a code, 1.5 ms without, instead of 8.
    """

    name = "zxing"
    requirement = "the Python package zxing-cpp"
    HALVE_FROM_WIDTH = 1200

    @staticmethod
    def is_usable() -> bool:
        return importable("zxingcpp")

    def __init__(self, thorough: bool = False, rescue: Sequence[str] = CAMERA_PASSES) -> None:
        import zxingcpp
        super().__init__(rescue)
        self.thorough = thorough
        self._zxing = zxingcpp.read_barcodes
        self._formats = zxingcpp.barcode_formats_from_str("QRCode")
        self._local, self._global = zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram

    def _texts(self, gray: np.ndarray, try_invert: bool = True, binarizer: zxingcpp.Binarizer | None = None
               ) -> list[str]:
        """zxing-cpp's own defaults unless told otherwise (try_invert on, the local-average binarizer)."""
        found = self._zxing(gray, formats=self._formats, try_invert=try_invert, binarizer=binarizer or self._local)
        return [r.text for r in found if r.valid]

    def _plain(self, gray: np.ndarray) -> list[str]:
        if self.thorough:
            found = self._texts(gray)
        else:
            small = gray.shape[1] >= self.HALVE_FROM_WIDTH
            found = self._texts(np.ascontiguousarray(gray[::2, ::2]) if small else gray, try_invert=False)
            if not found:
                found = self._texts(gray, binarizer=self._global, try_invert=False)
        if not found:
            stretched = stretch_low_contrast(gray)
            if stretched is not None:
                found = self._texts(stretched, try_invert=self.thorough)
        return found

    def _read(self, image: np.ndarray, binarizer: str) -> list[str]:
        return self._texts(image, try_invert=self.thorough,
                           binarizer=self._global if binarizer == "global" else self._local)


def stretch_low_contrast(gray: np.ndarray, below: int = 48) -> np.ndarray | None:
    """The frame with its gray range stretched to 0..255 when that range is under ``below``, else None.

    Why: zxing-cpp's local-average binarizer ignores regions whose contrast is under
    about 24 gray levels, so a washed-out code (a phone screen turned down, a faded
    print under a bright sky) reads with zbar but not with zxing. We measure the range
    on every 8th pixel (cheap) and retry only frames that found nothing and are flat.
    """
    sample = gray[::8, ::8]
    lo, hi = int(sample.min()), int(sample.max())
    if hi - lo >= below:
        return None
    lut = np.clip((np.arange(256) - lo) * (255.0 / max(1, hi - lo)), 0, 255).astype(np.uint8)
    stretched: np.ndarray = lut[gray]
    return stretched


class ZbarDecoder(Decoder):
    name = "zbar"
    requirement = "the Python package pyzbar and the Debian package libzbar0"

    @staticmethod
    def is_usable() -> bool:
        return importable("pyzbar.pyzbar")   # not importable either when libzbar0 is missing

    def __init__(self, rescue: Sequence[str] = CAMERA_PASSES) -> None:
        from pyzbar import pyzbar
        super().__init__(rescue)
        self._decode = pyzbar.decode
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def _plain(self, gray: np.ndarray) -> list[str]:
        return self._read(gray, "local")

    def _read(self, image: np.ndarray, binarizer: str) -> list[str]:
        h, w = image.shape
        found = self._decode((np.ascontiguousarray(image).tobytes(), w, h), symbols=self._symbols)
        return [_text(r.data) for r in found]


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


DECODERS: dict[str, type[Decoder]] = {"zxing": ZxingDecoder, "zbar": ZbarDecoder}


def make_decoder(name: str = "zxing", thorough: bool = False, rescue: Sequence[str] = CAMERA_PASSES) -> Decoder:
    """The decoder ``name`` ("zxing" or "zbar"), or a :class:`DecoderUnavailable` saying what to install.

    ``thorough`` (zxing only) trades speed for the widest search: for image files, not cameras.
    ``rescue``: the second-chance passes (:mod:`drivers.scanner.rescue`), ``()`` for none.
    """
    cls = DECODERS.get(name)
    if cls is None:
        raise ValueError(f"unknown QR decoder {name!r} (known: {', '.join(DECODERS)})")
    if not cls.is_usable():
        raise DecoderUnavailable(f"the {name} decoder needs {cls.requirement}, which is not installed")
    return ZxingDecoder(thorough, rescue) if cls is ZxingDecoder else cls(rescue=rescue)
