"""The QR scanners: keyboard-wedge (HID) scanners through evdev, cameras, and a simulated twin.

Like the printer, the ``type`` of the ``[scanner]`` section picks the backend and the
other keys set are its arguments (:func:`make_scanner`). Every backend runs in its own
thread once started and only posts ``kiosk.events``: ``SCAN_READ(text, source)`` and
``DEVICE_STATE(device, state, detail)``. Modules import their optional dependencies
(evdev, xkbcommon, zxing-cpp, pyzbar) lazily, so ``type = "none"`` needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from drivers.driver_thread import Post
from drivers.scanner.base import Scanner, default_post
from drivers.section import driver_arguments

if TYPE_CHECKING:
    from kiosk.config.models import ScannerConfig

__all__ = ["BACKENDS", "NoScanner", "Scanner", "UnavailableScanner", "make_scanner"]


class NoScanner(Scanner):
    """``type = "none"``: no scanner; check-in screens offer typing the booking number instead."""

    type = "none"

    def start(self) -> Self:
        return self


class UnavailableScanner(Scanner):
    """Stands in for a backend whose packages are missing: it reports "unavailable", once.

    Why not fail the start-up: the kiosk must run (and offer typing the booking number)
    with a scanner it cannot drive; the admin screen and the heartbeat say what is missing.
    """

    def __init__(self, kind: str, detail: str, *, post: Post = default_post) -> None:
        super().__init__(post=post)
        self.type, self._detail = kind, detail
        self.device_name = "camera" if kind == "camera" else "scanner"

    def start(self) -> Self:
        self._set_state("unavailable", self._detail)
        return self


def _hid(**kw: Any) -> Scanner:
    try:
        from drivers.scanner.hid import HidScanner
    except ImportError as exc:
        return UnavailableScanner("hid", f"the hid scanner needs evdev and xkbcommon ({exc})", post=kw["post"])
    return HidScanner(**kw)


def _camera(**kw: Any) -> Scanner:
    from drivers.scanner.decode import DecoderUnavailable
    try:
        from drivers.scanner.camera import CameraScanner
        return CameraScanner(**kw)
    except (ImportError, DecoderUnavailable) as exc:
        return UnavailableScanner("camera", str(exc), post=kw["post"])


def _simulated(**kw: Any) -> Scanner:
    from drivers.scanner.simulated import SimulatedScanner
    return SimulatedScanner(**kw)


BACKENDS: dict[str, Callable[..., Scanner]] = {"none": NoScanner, "simulated": _simulated, "hid": _hid,
                                              "camera": _camera}


def make_scanner(section: ScannerConfig, *, post: Post = default_post) -> Scanner:
    """The scanner a ``[scanner]`` section asks for (not started): ``type`` picks it, the keys set are its arguments."""
    factory = BACKENDS.get(section.type)
    if factory is None:
        raise ValueError(f"unknown scanner type {section.type!r} (known: {', '.join(BACKENDS)})")
    return factory(post=post, **driver_arguments(section))
