"""Second chances for a camera frame the plain decode found nothing in: phone screens at the counter.

Why: most visitors hold up a phone, and a photographed screen fails in ways paper does not —
the screen's pixel grid resampled by the camera (moiré), a ceiling light reflected on the glass,
a dimmed display, cracks, a thumb over a corner. Each pass below rewrites the frame so that
zxing-cpp's (or zbar's) own binarizer gets a cleaner picture; the decoder tries them in
order only when its plain decode found nothing, and stops at the first text.

Why look first (:func:`code_area`): the passes cost ~10–30 ms together on a whole 720p frame,
and nearly every frame a counter camera takes all day holds no code at all. A frame goes
through the passes only where some 48×48-pixel area of it has the fine texture of modules
(mean absolute high-pass ≥ ``TEXTURE_LEVEL``), and only on the box around that texture: a bare
counter or a dark room costs the plain decode and ~1 ms more; a phone held up costs the passes
on its screen, not on the whole frame.

The passes and their order were measured on the phone-screen set of
:mod:`kiosk.devtools.phone_qr_set` (``kiosk bench --only camera``, README « Printers and
scanners on a terminal »): each pass comes after those that read more frames per millisecond.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageChops, ImageFilter

#: Mean absolute high-pass, in gray levels, over each of 3×3 tiles of 16 pixels, above which a
#: frame may hold a code. Measured: 2–3 on a bare counter or a dark frame, 6 and up on a
#: dimmed phone showing a code (the weakest readable case of the set).
TEXTURE_LEVEL = 5
#: Texture over more than this share of the frame is not a code held up — sensor noise in a dark
#: room at high gain, a patterned surface filling the view — and a code that large would be read
#: by the plain decode. Measured: a code the passes read spans at most about half the frame with
#: its margins; noise spans all of it, and the passes would cost ~30 ms each on it.
MAX_AREA = 0.75


def code_area(gray: np.ndarray) -> tuple[slice, slice] | None:
    """The part of the frame where a code may be (rows, columns), or None when there is none.

    Where: the bounding box of every 48×48-pixel area (3×3 tiles of 16 pixels) whose nine
    tiles all have fine texture, widened by 64 pixels for the quiet zone and for parts of the
    code a reflection or a thumb flattened. All nine tiles must be busy: a code is an area of
    modules, while the straight edges of a phone, a counter or a sleeve only cross a line of
    tiles. Measured on the half-resolution frame, which keeps the modules of the smallest code
    we read (1.6 pixels) as texture. None too when the texture covers most of the frame
    (:data:`MAX_AREA`).
    """
    h, w = gray.shape
    half = Image.fromarray(np.ascontiguousarray(gray[::2, ::2]))
    if half.width < 24 or half.height < 24:
        return slice(0, h), slice(0, w)          # a tiny image: the whole of it
    detail = np.asarray(ImageChops.difference(half, half.filter(ImageFilter.BoxBlur(2))).reduce(8))
    three_high = np.minimum(np.minimum(detail[:-2], detail[1:-1]), detail[2:])
    block = np.minimum(np.minimum(three_high[:, :-2], three_high[:, 1:-1]), three_high[:, 2:]) >= TEXTURE_LEVEL
    if not block.any():
        return None
    ys, xs = np.nonzero(block)
    tile, margin = 16, 64
    rows = slice(max(0, int(ys.min()) * tile - margin), min(h, (int(ys.max()) + 3) * tile + margin))
    cols = slice(max(0, int(xs.min()) * tile - margin), min(w, (int(xs.max()) + 3) * tile + margin))
    if (rows.stop - rows.start) * (cols.stop - cols.start) > MAX_AREA * h * w:
        return None
    return rows, cols


def _pil(gray: np.ndarray) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(gray))


def threshold_locally(gray: np.ndarray, radius: int = 8, offset: int = 4, smooth: bool = True) -> np.ndarray:
    """Black where a pixel is darker than its neighbourhood's mean by more than ``offset``.

    For glare, a dimmed or washed-out screen and cracks: each module is judged against the
    light around it, not against the frame, so a reflection over half the code or a screen
    at a quarter of its brightness still gives clean modules. ``smooth`` first evens out the
    screen's pixel grid and the sensor noise (3×3 box), which would otherwise speckle the result.
    """
    img = _pil(gray)
    if smooth:
        img = img.filter(ImageFilter.BoxBlur(1))
    darker = ImageChops.subtract(img.filter(ImageFilter.BoxBlur(radius)), img)   # mean - pixel, ≥ 0
    return np.asarray(darker.point(lambda v: 0 if v > offset else 255))


def sharpened(gray: np.ndarray) -> np.ndarray:
    """For a phone held too close (defocus) or moving: each pixel pushed away from its 5×5 mean
    by about three times the difference (a 3×3 neighbourhood is too small for modules of 3–4 pixels
    blurred over as many). The same as a 5×5 sharpening kernel, at the cost of a box blur."""
    mean = np.asarray(_pil(gray).filter(ImageFilter.BoxBlur(2)), np.int16)
    g = gray.astype(np.int16)
    return np.clip(g + ((g - mean) * 25 >> 3), 0, 255).astype(np.uint8)


def softened(gray: np.ndarray) -> np.ndarray:
    """A 3×3 box blur that removes the screen's pixel grid (moiré) before binarizing."""
    return np.asarray(_pil(gray).filter(ImageFilter.BoxBlur(1)))


@dataclass(frozen=True)
class Pass:
    name: str
    prepare: Callable[[np.ndarray], np.ndarray]
    binarizer: Literal["local", "global"] = "local"     # zxing-cpp's; zbar has its own


PASSES: dict[str, Pass] = {p.name: p for p in (
    Pass("threshold", threshold_locally),
    Pass("threshold-raw", lambda gray: threshold_locally(gray, smooth=False)),
    Pass("sharpen", sharpened),
    Pass("soften", softened),
    Pass("soften-global", softened, "global"),
)}
#: The passes a camera tries, in order (measured yield per millisecond on the phone-screen set).
CAMERA_PASSES: tuple[str, ...] = ("threshold", "threshold-raw", "sharpen", "soften", "soften-global")
