"""The QR scanners: keyboard-wedge (HID) scanners through evdev, cameras, and a simulated twin.

Like the printer, the ``type`` key of the ``[scanner]`` section picks the backend and
the other keys are its arguments (:func:`make_scanner`). Every backend runs in its own
thread once started and only posts ``kiosk.events``: ``SCAN_READ(text, source)`` and
``DEVICE_STATE(device, state, detail)``. Modules import their optional dependencies
(evdev, xkbcommon, zxing-cpp, pyzbar) lazily, so ``type = "none"`` needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drivers.scanner.base import Scanner, default_post
from drivers.sections import section_values


class NoScanner(Scanner):
    """``type = "none"``: no scanner; check-in screens offer typing the booking number instead."""

    type = "none"

    def start(self) -> NoScanner:
        return self


class UnavailableScanner(Scanner):
    """Stands in for a backend whose packages are missing: it reports "unavailable", once.

    Why not fail the start-up: the kiosk must run (and offer typing the booking number)
    with a scanner it cannot drive; the admin screen and the heartbeat say what is missing.
    """

    def __init__(self, kind: str, detail: str, *, post: Callable[..., bool] = default_post) -> None:
        super().__init__(post=post)
        self.type, self._detail = kind, detail
        self.device_name = "camera" if kind == "camera" else "scanner"

    def start(self) -> UnavailableScanner:
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


def make_scanner(section: Mapping[str, Any] | Any, *, post: Callable[..., bool] = default_post) -> Scanner:
    """Build the scanner a ``[scanner]`` section (a dict or a pydantic model) asks for; not started."""
    values = section_values(section)
    kind = values.pop("type", "none")
    if kind not in BACKENDS:
        raise ValueError(f"unknown scanner type {kind!r} (known: {', '.join(BACKENDS)})")
    args = {k: v for k, v in values.items() if v is not None}
    return BACKENDS[kind](post=post, **args)
