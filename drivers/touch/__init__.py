"""The touch screen input: SDL's own events (the default) or the evdev backend.

Like the printer and the scanner, the ``type`` of the ``[touch]`` section picks the
backend and the other keys set are its arguments (:func:`make_touch`). ``"sdl"`` needs no
driver at all: SDL already posts the finger events. ``"evdev"``
(:mod:`drivers.touch.evdev_touch`) reads the panel itself and posts the same events.
evdev is imported lazily, so ``type = "sdl"`` needs none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Self

from drivers.section import driver_arguments

if TYPE_CHECKING:
    from drivers.touch.evdev_touch import EvdevTouch
    from kiosk.config.models import TouchConfig


class UnavailableTouch:
    """Stands in for the evdev backend when evdev is missing: says so once; SDL touch still works."""

    type, device_name = "evdev", "touch"

    def __init__(self, detail: str, post: Callable[..., bool] | None = None) -> None:
        self.detail, self._post = detail, post

    def start(self) -> Self:
        from kiosk.events import DeviceState
        DeviceState(device="touch", state="unavailable", detail=self.detail).post(self._post)
        return self

    def stop(self, timeout: float = 0.0) -> None:
        pass


def make_touch(section: TouchConfig, *,
               post: Callable[..., bool] | None = None) -> EvdevTouch | UnavailableTouch | None:
    """The driver (not yet started) a ``[touch]`` section asks for, or None for ``type = "sdl"``:
    ``type`` picks it, the keys set are its arguments."""
    if section.type == "sdl":
        return None
    if section.type != "evdev":
        raise ValueError(f"unknown touch type {section.type!r} (known: sdl, evdev)")
    try:
        from drivers.touch.evdev_touch import EvdevTouch
    except ImportError as exc:
        return UnavailableTouch(f"the evdev touch backend needs the evdev package ({exc})", post)
    if post is None:
        return EvdevTouch(**driver_arguments(section))
    return EvdevTouch(post=post, **driver_arguments(section))
