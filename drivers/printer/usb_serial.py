"""Transports with optional dependencies: USB (pyusb + libusb) and serial (pyserial).

Kept apart from :mod:`drivers.printer.backends` so a terminal without these packages
still imports the printer driver; ``is_usable()`` then says what is missing, and the
``[printer] type`` that needs them fails with a clear "unavailable" reason.
Both wrap python-escpos's own ``Serial`` and ``Usb`` classes for opening the device.
"""

from __future__ import annotations

import errno
import logging
import os
from typing import Any

from escpos.exceptions import DeviceNotFoundError

from drivers.printer.backends import Backend, BackendError, _os_error

log = logging.getLogger(__name__)


def _close_escpos(printer: Any, name: str) -> None:   # a python-escpos printer
    """Close a python-escpos printer whose device may have vanished, exactly once.

    Closing an unplugged serial or USB device fails in many ways (termios, OSError, USBError),
    and python-escpos closes again in ``__del__``, where an error becomes an unraisable
    exception: close here, log, and leave nothing for ``__del__`` to do.
    """
    if printer is None:
        return
    try:
        printer.close()
    except Exception as exc:  # noqa: BLE001 - see above: the device is gone either way
        log.debug("closing %s: %s", name, exc)
    finally:
        printer._device = None


class SerialBackend(Backend):
    """An RS-232 or USB-serial printer, through python-escpos's ``Serial`` (needs pyserial)."""

    type = "serial"
    requirement = "the Python package pyserial"

    @staticmethod
    def is_usable() -> bool:
        from escpos.printer import Serial
        return bool(Serial.is_usable())

    def __init__(self, device: str, baudrate: int = 9600, flow_control: str = "dsrdtr",
                 timeout_s: float = 3.0) -> None:
        super().__init__()
        if flow_control not in ("dsrdtr", "xonxoff", "none"):
            raise ValueError(f'flow_control must be "dsrdtr", "xonxoff" or "none", not {flow_control!r}')
        self.port, self.baudrate, self.timeout = device, int(baudrate), float(timeout_s)
        self.flow_control = flow_control
        self._printer: Any = None      # python-escpos's Serial while open

    def describe(self) -> str:
        return f"serial printer {self.port} at {self.baudrate} baud"

    def transfer_seconds(self, size: int) -> float:
        """Time the bytes take on the wire (10 bits a byte): answers queue behind them."""
        return size * 10 / self.baudrate

    def _open(self) -> None:
        from escpos.printer import Serial
        if not os.path.exists(self.port):
            raise BackendError("not_found", f"{self.port} does not exist (printer unplugged?)")
        self._printer = Serial(devfile=self.port, baudrate=self.baudrate, timeout=self.timeout,
                               dsrdtr=self.flow_control == "dsrdtr", xonxoff=self.flow_control == "xonxoff")
        try:
            self._printer.open()
        except DeviceNotFoundError as exc:
            cause = exc.__context__
            if isinstance(getattr(cause, "errno", None), int):
                raise _os_error(cause, self.port) from None
            raise BackendError("io_error", f"cannot open {self.port}: {cause or exc}") from None
        self._printer.device.write_timeout = self.timeout

    def _write(self, data: bytes) -> None:
        import serial
        try:
            self._printer._raw(data)
        except serial.SerialTimeoutException:
            raise BackendError("timeout", f"{self.describe()} does not accept data (offline or flow control)") from None
        except (OSError, serial.SerialException) as exc:
            raise BackendError("disconnected", f"{self.describe()}: {exc}") from None

    def _read(self, size: int, timeout: float) -> bytes:
        import serial
        try:
            self._printer.device.timeout = timeout
            return bytes(self._printer.device.read(size))
        except (OSError, ValueError, TypeError, serial.SerialException) as exc:
            # ValueError/TypeError: the port was closed under a read (unplugged, or stop()).
            raise BackendError("disconnected", f"{self.describe()}: {exc}") from None

    def _close(self) -> None:
        printer, self._printer = self._printer, None
        _close_escpos(printer, self.describe())


class UsbBackend(Backend):
    """A printer driven directly over USB with pyusb (python-escpos's ``Usb``); detaches usblp."""

    type = "usb"
    requirement = "the Python package pyusb and libusb-1.0 (Debian package libusb-1.0-0)"

    @staticmethod
    def is_usable() -> bool:
        """pyusb installed *and* a libusb it can load (Debian package libusb-1.0-0)."""
        from escpos.printer import Usb
        if not Usb.is_usable():
            return False
        import usb.backend.libusb1
        return usb.backend.libusb1.get_backend() is not None

    def __init__(self, vendor_id: int, product_id: int, in_ep: int = 0x82, out_ep: int = 0x01,
                 timeout_s: float = 5.0) -> None:
        super().__init__()
        self.vendor_id, self.product_id = int(vendor_id), int(product_id)
        self.in_ep, self.out_ep, self.timeout = int(in_ep), int(out_ep), float(timeout_s)
        self._printer: Any = None      # python-escpos's Usb while open

    def describe(self) -> str:
        return f"USB printer {self.vendor_id:04x}:{self.product_id:04x}"

    def _open(self) -> None:
        from escpos.printer import Usb
        self._printer = Usb(self.vendor_id, self.product_id, timeout=int(self.timeout * 1000),
                            in_ep=self.in_ep, out_ep=self.out_ep)
        try:
            self._printer.open()
        except DeviceNotFoundError as exc:
            self._printer = None
            cause = exc.__context__
            if getattr(cause, "errno", None) in (errno.EACCES, errno.EPERM):
                raise BackendError("permission", f"permission denied on {self.describe()} "
                                   "(install the udev rule that gives the kiosk user access)") from None
            if getattr(cause, "errno", None) == errno.EBUSY:
                raise BackendError("io_error", f"{self.describe()} is busy (another program uses it)") from None
            raise BackendError("not_found", f"{self.describe()} not found (unplugged or switched off?)") from None

    def _write(self, data: bytes) -> None:
        import usb.core
        try:
            self._printer._raw(data)
        except usb.core.USBTimeoutError:
            raise BackendError("timeout", f"{self.describe()} does not accept data") from None
        except usb.core.USBError as exc:
            raise BackendError("disconnected", f"{self.describe()}: {exc}") from None

    def _read(self, size: int, timeout: float) -> bytes:
        import usb.core
        try:
            return bytes(self._printer.device.read(self.in_ep, size, max(1, int(timeout * 1000))))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise BackendError("disconnected", f"{self.describe()}: {exc}") from None

    def _close(self) -> None:
        printer, self._printer = self._printer, None
        _close_escpos(printer, self.describe())
