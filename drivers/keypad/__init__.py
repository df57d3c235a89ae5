"""The tactile keypad: a USB numeric keypad read through evdev, for people who cannot see the
screen (issue 15, EN 301 549 5.1.6). See :mod:`drivers.keypad.evdev_keypad`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drivers.keypad.evdev_keypad import EvdevKeypad
    from kiosk.config import KeypadConfig, ScannerConfig


def make_keypad(section: KeypadConfig, actions: Callable[[int], str | None],
                scanner: ScannerConfig | None = None) -> EvdevKeypad | None:
    """The keypad reader ``[keypad]`` asks for; None for ``device = "none"`` or without python-evdev
    (the kiosk then runs with the SDL keyboard alone, and says so once in the log)."""
    if section.device == "none":
        return None
    from drivers.keypad.evdev_keypad import EvdevKeypad
    from drivers.optional import importable

    if not importable("evdev"):
        import logging

        logging.getLogger(__name__).warning("[keypad] needs python-evdev, which is missing: no tactile keypad")
        return None
    avoid = scanner.device if scanner is not None and scanner.type == "hid" else None
    return EvdevKeypad(section.device, actions=actions, avoid=avoid or None)
