"""The touch screen input: SDL's own events (the default) or the evdev backend.

Like the printer and the scanner, the ``type`` key of the ``[touch]`` section picks the
backend and the other keys are its arguments (:func:`make_touch`). ``"sdl"`` needs no
driver at all: SDL already posts the finger events. ``"evdev"``
(:mod:`drivers.touch.evdev_touch`) reads the panel itself and posts the same events.
evdev is imported lazily, so ``type = "sdl"`` needs none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drivers.sections import section_values


class UnavailableTouch:
    """Stands in for the evdev backend when evdev is missing: says so once; SDL touch still works."""

    type, device_name = "evdev", "touch"

    def __init__(self, detail: str, post: Callable[..., bool] | None = None) -> None:
        self.detail, self._post = detail, post

    def start(self) -> UnavailableTouch:
        from kiosk import events
        post = events.post if self._post is None else self._post
        post(events.DEVICE_STATE, device="touch", state="unavailable", detail=self.detail)
        return self

    def stop(self, timeout: float = 0.0) -> None:
        pass


def make_touch(section: Mapping[str, Any] | Any, *, post: Callable[..., bool] | None = None):
    """The driver (not yet started) a ``[touch]`` section asks for, or None for ``type = "sdl"``."""
    values = section_values(section)
    kind = values.pop("type", "sdl")
    if kind == "sdl":
        return None
    if kind != "evdev":
        raise ValueError(f"unknown touch type {kind!r} (known: sdl, evdev)")
    try:
        from drivers.touch.evdev_touch import EvdevTouch
    except ImportError as exc:
        return UnavailableTouch(f"the evdev touch backend needs the evdev package ({exc})", post)
    args = {k: v for k, v in values.items() if v is not None}
    if post is not None:
        args["post"] = post
    return EvdevTouch(**args)
