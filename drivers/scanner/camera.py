"""The camera scanner: frames in, decoded QR codes out as SCAN_READ, in its own thread.

Why these pieces:

- A :class:`FrameSource` interface (``read() -> gray frame | None``, ``close()``) so the
  decoding loop runs unchanged on a real camera, on image files (tests, ``--demo``)
  or on anything else later. :class:`PygameCameraSource` is the V4L2 one: pygame-ce's
  own ``_camera`` backend, already a dependency, no OpenCV (50 MB) on the totem.
- A frame-rate cap (``max_fps``): decoding every frame a 30 fps webcam delivers burns
  a core of a small board for nothing; 8–10 decodes per second feel instant.
- Deduplication: a code held in front of the camera is seen in every frame; the same
  text within ``repeat_after_s`` seconds is one scan, not thirty check-ins.
- ``latest_frame``: the last frame, for the check-in screen's optional live preview
  (the UI thread turns it into a surface; this thread never touches pygame display).

A camera that fails to open or stops delivering frames is reported with
``DEVICE_STATE(device="camera", …)`` and reopened every ``retry_interval`` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from drivers.driver_thread import Post
from drivers.scanner.base import Scanner, default_post, problem_with
from drivers.scanner.decode import Decoder, make_decoder, to_gray

if TYPE_CHECKING:
    import pygame

log = logging.getLogger(__name__)


class FrameSourceError(Exception):
    """The frame source cannot deliver frames; the message says what to check."""


class FrameSource:
    """Lazy-opened source of grayscale frames."""

    def read(self) -> np.ndarray | None:
        """The next frame, or None when none is ready yet. Raises FrameSourceError when broken."""
        raise NotImplementedError

    def close(self) -> None: ...


class FileFrameSource(FrameSource):
    """Frames from image files, in order (``loop`` to start again): tests and the demo."""

    def __init__(self, paths: Iterable[str | Path], loop: bool = False) -> None:
        self.paths = [Path(p) for p in paths]
        self.loop = loop
        self._next = 0

    def read(self) -> np.ndarray | None:
        if self._next >= len(self.paths):
            if not self.loop or not self.paths:
                return None
            self._next = 0
        path = self.paths[self._next]
        self._next += 1
        from PIL import Image
        try:
            with Image.open(path) as img:
                return to_gray(img)
        except OSError as exc:
            raise FrameSourceError(f"cannot read {path}: {exc}") from None


class PygameCameraSource(FrameSource):
    """A V4L2 camera through pygame-ce's camera module (not yet tried on hardware)."""

    def __init__(self, device: str = "/dev/video0", width: int = 1280, height: int = 720) -> None:
        self.device, self.size = device, (width, height)
        self._cam: Any = None     # a pygame.camera.Camera once open

    def _open(self) -> Any:
        import pygame.camera
        pygame.camera.init()
        cam = pygame.camera.Camera(self.device, self.size, "RGB")
        try:
            cam.start()
        except (SystemError, OSError, ValueError) as exc:
            raise FrameSourceError(f"cannot open camera {self.device}: {exc}") from None
        return cam

    def read(self) -> np.ndarray | None:
        if self._cam is None:
            self._cam = self._open()
        try:
            if not self._cam.query_image():
                return None
            surface = self._cam.get_image()
        except (SystemError, OSError) as exc:
            self.close()
            raise FrameSourceError(f"camera {self.device} stopped: {exc}") from None
        import pygame.surfarray
        return to_gray(pygame.surfarray.pixels3d(surface).swapaxes(0, 1))

    def close(self) -> None:
        if self._cam is not None:
            with contextlib.suppress(Exception):   # a camera that vanished cannot be stopped
                self._cam.stop()
            self._cam = None


class Deduplicator:
    """Says whether a decoded text is a new scan: not seen within the last ``window_s`` seconds."""

    def __init__(self, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s, self.clock = window_s, clock
        self._seen: dict[str, float] = {}

    def is_new(self, text: str) -> bool:
        now = self.clock()
        self._seen = {t: at for t, at in self._seen.items() if now - at < self.window_s}
        new = text not in self._seen
        self._seen[text] = now            # held in view: the window restarts from the last sighting
        return new


def preview_surface(gray: np.ndarray, size: tuple[int, int]) -> pygame.Surface:
    """A pygame surface of ``size`` showing a frame, mirrored like a selfie (people aim better
    at a mirror). For the UI thread only: the check-in screen's optional live preview."""
    import pygame
    import pygame.surfarray

    rgb = np.repeat(gray[:, ::-1, None], 3, axis=2).swapaxes(0, 1)     # (w, h, 3), as surfarray wants
    return pygame.transform.smoothscale(pygame.surfarray.make_surface(rgb), size)


class CameraScanner(Scanner):
    """Decodes frames from a source at most ``max_fps`` times a second; posts new codes."""

    type = "camera"
    device_name = "camera"

    def __init__(self, source: FrameSource | None = None, device: str = "/dev/video0", width: int = 1280,
                 height: int = 720, decoder: str | Decoder = "zxing", max_fps: float = 8.0,
                 repeat_after_s: float = 3.0, *, retry_interval: float = 1.0,
                 post: Post = default_post, clock: Callable[[], float] = time.monotonic,
                 on_idle: Callable[[], None] | None = None) -> None:
        super().__init__(post=post)
        self.source = source or PygameCameraSource(device, width, height)
        self.decoder = make_decoder(decoder) if isinstance(decoder, str) else decoder
        self.min_interval = 1.0 / max_fps
        self.dedup = Deduplicator(repeat_after_s, clock)
        self.retry_interval = retry_interval
        self.latest_frame: np.ndarray | None = None
        self.frames_decoded = 0
        self._on_idle = on_idle

    def describe(self) -> str:
        return getattr(self.source, "device", type(self.source).__name__)

    def process(self, gray: np.ndarray) -> list[str]:
        """Decode one frame and return the texts that are new scans (also posted). A QR code holds
        up to 7 089 characters: a new one the HID decoder would refuse (too long, control
        characters) is refused here too, with a reason and never its text, once per sighting."""
        self.latest_frame = gray
        self.frames_decoded += 1
        new = [t for t in dict.fromkeys(self.decoder.decode(gray)) if self.dedup.is_new(t)]
        accepted = []
        for text in new:
            problem = problem_with(text)
            if problem:
                log.warning("camera: rejected a scan: %s (%d characters)", problem, len(text))
                self._reject(problem, "camera")
            else:
                accepted.append(text)
                self._emit(text, "camera")
        return accepted

    def _run(self) -> None:
        next_at = 0.0
        while not self._stopping.is_set():
            wait = next_at - time.monotonic()
            if wait > 0 and self._stopping.wait(wait):
                break
            next_at = time.monotonic() + self.min_interval
            if self._take_removal():     # the hotplug monitor saw the camera go
                self.source.close()
                self._set_state("disconnected", f"{self.describe()} unplugged")
                self._nap(self.retry_interval)
                continue
            try:
                gray = self.source.read()
            except FrameSourceError as exc:
                self._set_state("disconnected", str(exc))
                self.source.close()
                self._nap(self.retry_interval)
                continue
            if gray is None:
                if self._on_idle:
                    self._on_idle()
                continue
            self._set_state("ready", self.describe())
            self.process(gray)
        self.source.close()
