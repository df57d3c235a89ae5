"""The window, its rotation, and the mapping between logical and panel pixels.

Screens draw on a *logical* surface that is upright for the person (e.g.
1080×1920 on a totem). ``size`` is the panel's native mode; ``rotation`` turns
the picture clockwise on it, for panels mounted on their side. Touch
coordinates arrive in panel pixels and are turned back into logical ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pygame


def headless_driver() -> bool:
    return os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen")


def fit_on_desktop(size: tuple[int, int], margin: float = 0.9) -> tuple[int, int]:
    """A development window no larger than the desktop, same shape (1080×1920 on a 1080p monitor).

    Layouts scale with the window, so a smaller window shows the same screens.
    """
    try:
        desk_w, desk_h = pygame.display.get_desktop_sizes()[0]
    except (pygame.error, IndexError):
        return size
    w, h = size
    factor = min(1.0, margin * desk_w / w, margin * desk_h / h)
    return (round(w * factor), round(h * factor)) if factor < 1.0 else size


class Display:
    def __init__(self, size: tuple[int, int] | None, rotation: int = 0, *,
                 fullscreen: bool = True, title: str = "Kiosk") -> None:
        if rotation not in (0, 90, 180, 270):
            raise ValueError("rotation must be 0, 90, 180 or 270")
        self.requested = size
        self.rotation = rotation
        self.fullscreen = fullscreen and not headless_driver()  # dummy gives 1024×768 for FULLSCREEN
        self.title = title
        self.window: pygame.Surface | None = None
        self.surface: pygame.Surface | None = None
        self.physical = (0, 0)
        self.logical = (0, 0)

    def open(self) -> None:
        pygame.display.init()
        pygame.display.set_caption(self.title)
        if self.requested is None:
            if self.fullscreen:
                flags, size = pygame.FULLSCREEN, (0, 0)
            else:
                flags, size = 0, (1080, 1920) if self.rotation in (0, 180) else (1920, 1080)
        else:
            flags, size = (pygame.FULLSCREEN if self.fullscreen else 0), self.requested
        if not self.fullscreen and not headless_driver():
            size = fit_on_desktop(size)
        self.window = pygame.display.set_mode(size, flags)
        if self.fullscreen:
            pygame.mouse.set_visible(False)
        self.physical = self.window.get_size()
        w, h = self.physical
        self.logical = (w, h) if self.rotation in (0, 180) else (h, w)
        self.surface = self.window if self.rotation == 0 else pygame.Surface(self.logical)

    # -- coordinates --------------------------------------------------------
    def to_logical(self, px: float, py: float) -> tuple[int, int]:
        W, H = self.logical
        r = self.rotation
        if r == 0:
            x, y = px, py
        elif r == 90:
            x, y = py, H - 1 - px
        elif r == 180:
            x, y = W - 1 - px, H - 1 - py
        else:
            x, y = W - 1 - py, px
        return int(x), int(y)

    def to_physical(self, x: float, y: float) -> tuple[int, int]:
        W, H = self.logical
        r = self.rotation
        if r == 0:
            return int(x), int(y)
        if r == 90:
            return int(H - 1 - y), int(x)
        if r == 180:
            return int(W - 1 - x), int(H - 1 - y)
        return int(y), int(W - 1 - x)

    def _physical_rect(self, r: pygame.Rect) -> pygame.Rect:
        W, H = self.logical
        if self.rotation == 90:
            return pygame.Rect(H - r.bottom, r.left, r.height, r.width)
        if self.rotation == 180:
            return pygame.Rect(W - r.right, H - r.bottom, r.width, r.height)
        if self.rotation == 270:
            return pygame.Rect(r.top, W - r.right, r.height, r.width)
        return pygame.Rect(r)

    # -- showing --------------------------------------------------------------
    def present(self, rects: list[pygame.Rect] | None) -> None:
        """Show the whole logical surface (``None``) or only ``rects`` of it."""
        assert self.window is not None and self.surface is not None
        if self.rotation == 0:
            if rects is None:
                pygame.display.flip()
            elif rects:
                pygame.display.update(rects)
            return
        bounds = self.surface.get_rect()
        areas = [bounds] if rects is None else [r.clip(bounds) for r in rects]
        for r in areas:
            if r.width and r.height:
                turned = pygame.transform.rotate(self.surface.subsurface(r), -self.rotation)
                self.window.blit(turned, self._physical_rect(r).topleft)
        if rects is None:
            pygame.display.flip()
        else:
            pygame.display.update([self._physical_rect(r) for r in areas])

    def save(self, path: str | Path, *, as_panel: bool = False) -> None:
        """Save the upright picture (or, with ``as_panel``, what the panel shows)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.stem + ".tmp" + path.suffix)
        picture = self.window if as_panel else self.surface
        assert picture is not None, "the display is not open"
        pygame.image.save(picture, str(tmp))
        os.replace(tmp, path)

    def close(self) -> None:
        pygame.display.quit()
