"""The town's logo made printable on a thermal receipt: one bit per dot, dithered, width-bounded.

A thermal head prints black or nothing. A logo designed for screens (colour, soft edges,
transparency) thresholded at 50 % loses its shading and often its shape; Floyd–Steinberg
dithering keeps both as a pattern of dots. The logo is a signature at the top of the ticket,
not a poster: it is scaled down (never up) to at most half the paper's width and a bounded
height, so that it costs a few centimetres of paper and a fraction of a second of printing.

A logo that cannot be read (missing file, not an image) must not cost a citizen their
ticket: the renderer prints the ticket without it, and this module says why in the log once
per file (the same broken file would otherwise be logged at every ticket).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_HEIGHT_PX = 160          # dots: 2 cm at 203 dpi
_reported: set[str] = set()  # files already said to be unreadable (one line each, not one per ticket)


def thermal_logo(path: str | Path, paper_width_px: int, max_height_px: int = MAX_HEIGHT_PX) -> Image.Image | None:
    """The logo as a 1-bit image (black = dot) fitting half the paper's width; None when unreadable."""
    try:
        with Image.open(path) as source:
            source.load()
            picture = source.convert("RGBA")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        if str(path) not in _reported and len(_reported) < 16:
            _reported.add(str(path))
            log.warning("ticket logo %s unreadable (%s); tickets are printed without it", path, exc)
        return None
    # Transparent parts print as paper, not as whatever colour hides behind the alpha channel.
    flat = Image.new("RGBA", picture.size, (255, 255, 255, 255))
    flat.alpha_composite(picture)
    grey = flat.convert("L")
    scale = min(1.0, (paper_width_px // 2) / grey.width, max_height_px / grey.height)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    if size != grey.size:
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return grey.convert("1", dither=Image.Dither.FLOYDSTEINBERG)
