"""Fonts loaded by path, with per-character fallback.

pygame renders a string with one font and shows a box for any character that
font lacks. Atkinson Hyperlegible (designed for low-vision readers) covers
French text but not the narrow no-break space, arrows or check marks, so text
is split into runs and each run is rendered with the first font that has all
of its characters.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import pygame
import pygame.freetype

log = logging.getLogger(__name__)

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

# The rendered-text cache is bounded twice. By entries: a screen draws some dozens of strings, in
# two languages and two text sizes, and going back to a screen should find them. By pixels: a line
# of large text is a surface of up to some 100 000 pixels (4 bytes each): a soak run filled the 800
# entries with 12.4 million pixels (50 MB), many of them strings shown once (the header's clock
# changes every minute); 6 million pixels (24 MB) still hold about 400 strings, several screens'
# worth in both languages, so that going back and forth between screens renders nothing again.
RENDERS_KEPT = 800
RENDER_PIXELS_KEPT = 6_000_000
# Widths of strings measured by layout (a few hundred bytes each): emptied when this many, as the
# header's clock and typed text make new keys for as long as the terminal runs.
WIDTHS_KEPT = 20_000


def _atkinson_dir() -> Path:
    # the package ships no type information, and the pyproject pattern "fontpkg*" does not match its name
    import fontpkg_atkinson_hyperlegible as atkinson

    return Path(atkinson.ROOT) / "files"


def default_font_paths() -> dict[str, list[Path]]:
    """Regular and bold faces, primary first then fallbacks."""
    atk = _atkinson_dir()
    return {
        "regular": [atk / "AtkinsonHyperlegible-Regular.ttf", DEJAVU_DIR / "DejaVuSans.ttf"],
        "bold": [atk / "AtkinsonHyperlegible-Bold.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"],
    }


class _Face:
    """One font file: coverage test (freetype) and sized renderers (SDL_ttf)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._probe = pygame.freetype.Font(str(path), 16)
        self._coverage: dict[str, bool] = {}
        self._sized: dict[int, pygame.font.Font] = {}

    def has(self, ch: str) -> bool:
        known = self._coverage.get(ch)
        if known is None:
            known = self._probe.get_metrics(ch)[0] is not None
            self._coverage[ch] = known
        return known

    def sized(self, size: int) -> pygame.font.Font:
        font = self._sized.get(size)
        if font is None:
            font = pygame.font.Font(str(self.path), size)
            self._sized[size] = font
        return font


_shared: FontBook | None = None


def shared_fontbook() -> FontBook:
    """The process's FontBook: fonts do not depend on the screen, and each one holds open files."""
    global _shared
    if _shared is None:
        _shared = FontBook()
    return _shared


class FontBook:
    """Measures and renders text in a style (size in px, bold or not)."""

    def __init__(self, paths: dict[str, list[Path]] | None = None, cache_size: int = RENDERS_KEPT) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self._faces: dict[str, list[_Face]] = {}
        for style, files in (paths or default_font_paths()).items():
            faces = []
            for p in files:
                if p.is_file():
                    faces.append(_Face(p))
                else:
                    log.warning("font file missing, characters it covers will show as boxes: %s", p)
            if not faces:
                raise FileNotFoundError(f"no usable font for style {style!r}: {files}")
            self._faces[style] = faces
        self._cache: OrderedDict[tuple[str, int, tuple[int, ...], bool], pygame.Surface] = OrderedDict()
        self._cache_size = cache_size
        self.cached_pixels = 0      # total of the cached surfaces' pixels (≤ RENDER_PIXELS_KEPT)
        self._widths: dict[tuple[str, int, bool], int] = {}  # layout measures the same strings again and again
        self.wrap_cache: dict[tuple[str, int, int, bool], tuple[str, ...]] = {}  # screens.widgets.text.wrap

    def _runs(self, text: str, bold: bool) -> list[tuple[_Face, str]]:
        faces = self._faces["bold" if bold else "regular"]
        runs: list[tuple[_Face, str]] = []
        for ch in text:
            if ch == " " and runs and runs[-1][0].has(ch):
                face = runs[-1][0]  # a space joins the run before it: fewer, longer runs
            else:
                face = next((f for f in faces if f.has(ch)), faces[0])
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + ch)
            else:
                runs.append((face, ch))
        return runs

    def line_height(self, size: int, bold: bool = False) -> int:
        return self._faces["bold" if bold else "regular"][0].sized(size).get_linesize()

    def width(self, text: str, size: int, bold: bool = False) -> int:
        key = (text, size, bold)
        w = self._widths.get(key)
        if w is None:
            if len(self._widths) >= WIDTHS_KEPT:
                self._widths.clear()
            w = sum(face.sized(size).size(run)[0] for face, run in self._runs(text, bold))
            self._widths[key] = w
        return w

    def render(self, text: str, size: int, colour: Sequence[int], bold: bool = False) -> pygame.Surface:
        """A transparent surface with ``text`` on one line (cached)."""
        key = (text, size, tuple(colour), bold)
        surf = self._cache.get(key)
        if surf is not None:
            self._cache.move_to_end(key)
            return surf
        runs = self._runs(text, bold)
        height = self.line_height(size, bold)
        parts = [face.sized(size).render(run, True, colour) for face, run in runs]
        width = sum(p.get_width() for p in parts)
        surf = pygame.Surface((max(1, width), height), pygame.SRCALPHA)
        base = self._faces["bold" if bold else "regular"][0].sized(size).get_ascent()
        x = 0
        for (face, _run), part in zip(runs, parts, strict=True):
            # Align the baselines of runs that come from different fonts.
            y = base - face.sized(size).get_ascent()
            surf.blit(part, (x, y))
            x += part.get_width()
        self._cache[key] = surf
        self.cached_pixels += surf.get_width() * surf.get_height()
        while len(self._cache) > 1 and (len(self._cache) > self._cache_size
                                        or self.cached_pixels > RENDER_PIXELS_KEPT):
            _, old = self._cache.popitem(last=False)
            self.cached_pixels -= old.get_width() * old.get_height()
        return surf
