"""From a ``[printer]`` section to its backend, in one step (python-escpos's way).

Apart from :mod:`drivers.printer.backends` because the factory names every backend, and the
USB, serial and simulated backends subclass the base class defined there: with the factory
in the same module, each would import the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drivers.printer.backends import Backend, FileBackend, NetworkBackend, NoneBackend
from drivers.section import driver_arguments

if TYPE_CHECKING:
    from kiosk.config.models import PrinterConfig


def _serial(**kwargs: Any) -> Backend:
    from drivers.printer.usb_serial import SerialBackend
    return SerialBackend(**kwargs)


def _usb(**kwargs: Any) -> Backend:
    from drivers.printer.usb_serial import UsbBackend
    return UsbBackend(**kwargs)


def _simulated(**kwargs: Any) -> Backend:
    from drivers.printer.simulated import SimulatedPrinter
    return SimulatedPrinter(**kwargs)


#: ``[printer] type`` → factory; the section's other keys are the factory's arguments.
BACKENDS: dict[str, Callable[..., Backend]] = {
    "none": NoneBackend, "network": NetworkBackend, "serial": _serial, "usb": _usb,
    "file": FileBackend, "simulated": _simulated,
}
#: Keys of the ``[printer]`` section that configure rendering and polling, not the transport.
NON_TRANSPORT_KEYS = frozenset({"profile", "qr", "poll_interval_s", "status_timeout_s"})


def make_backend(section: PrinterConfig) -> Backend:
    """The backend a ``[printer]`` section asks for: ``type`` picks it, the transport keys set are its arguments."""
    factory = BACKENDS.get(section.type)
    if factory is None:
        raise ValueError(f"unknown printer type {section.type!r} (known: {', '.join(BACKENDS)})")
    args = driver_arguments(section, exclude=NON_TRANSPORT_KEYS)
    if section.type == "simulated":
        args["profile"] = section.profile  # it draws receipts at the profile's paper width
    return factory(**args)
