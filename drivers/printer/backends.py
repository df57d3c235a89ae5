"""Where the bytes go: one small transport per ``[printer] type``, like python-escpos's printers.

Every backend has the same primitive — lazy ``open``, ``write(bytes)``, ``read(size,
timeout)`` (for DLE EOT status), ``close`` — and a static ``is_usable()`` saying whether
its optional dependency (pyusb, pyserial) is installed. The network backend wraps
python-escpos's ``Network``; USB and serial, which need optional packages, live in
:mod:`drivers.printer.usb_serial` and wrap its ``Usb`` and ``Serial``. The file
backend is ours because python-escpos opens the file write-only, and the kernel's
usblp driver (``/dev/usb/lp0``) answers status queries only on a descriptor opened
for reading too.

Every failure becomes a :class:`BackendError` with a stable ``code`` (what the worker,
the admin screen and the heartbeat key on) and a ``detail`` a technician can act on.
Nothing here retries: the worker decides when to try again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
from typing import TYPE_CHECKING, Any, ClassVar

from escpos.exceptions import DeviceNotFoundError

if TYPE_CHECKING:
    pass


class BackendError(Exception):
    """A printer transport failed. ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


ERROR_CODES = ("disabled", "unavailable", "not_found", "permission", "unreachable", "timeout",
               "disconnected", "io_error")


def _os_error(exc: OSError, what: str) -> BackendError:
    """Map an OS error to a code and a sentence that says what to check."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return BackendError("permission", f"permission denied on {what} (is the kiosk user in group lp/dialout?)")
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return BackendError("not_found", f"{what} does not exist (printer unplugged or switched off?)")
    if isinstance(exc, (socket.timeout, TimeoutError)) or exc.errno == errno.ETIMEDOUT:
        return BackendError("timeout", f"{what} did not answer in time")
    if exc.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH):
        return BackendError("unreachable", f"{what} refused or cannot be reached ({exc.strerror})")
    if exc.errno in (errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED, errno.EIO):
        return BackendError("disconnected", f"{what} went away ({exc.strerror})")
    return BackendError("io_error", f"{what}: {exc.strerror or exc}")


class Backend:
    """The abstract primitive. Subclasses implement ``_open``, ``_write``, ``_read``, ``_close``."""

    type: ClassVar[str] = ""
    #: What ``is_usable()`` needs, for the "unavailable" message.
    requirement: ClassVar[str] = ""

    @staticmethod
    def is_usable() -> bool:
        return True

    def __init__(self) -> None:
        self._is_open = False

    @property
    def is_open(self) -> bool:
        return self._is_open

    def describe(self) -> str:
        return self.type

    def transfer_seconds(self, size: int) -> float:
        """How long ``size`` bytes take to reach the printer, beyond the usual timeouts."""
        return 0.0

    def open(self) -> None:
        if not self._is_open:
            if not self.is_usable():
                raise BackendError("unavailable", f"the {self.type} printer driver needs {self.requirement}, "
                                   "which is not installed")
            self._open()
            self._is_open = True

    def write(self, data: bytes) -> None:
        self.open()
        try:
            self._write(data)
        except BackendError:
            self.close()
            raise

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes; ``b""`` when nothing came within ``timeout`` seconds."""
        self.open()
        try:
            return self._read(size, timeout)
        except BackendError:
            self.close()
            raise

    def close(self) -> None:
        if self._is_open:
            self._is_open = False
            with contextlib.suppress(Exception):  # closing a vanished device must never raise
                self._close()

    def _open(self) -> None: ...
    def _write(self, data: bytes) -> None: ...
    def _read(self, size: int, timeout: float) -> bytes: return b""
    def _close(self) -> None: ...


class NoneBackend(Backend):
    """Printing disabled: screens show the information instead of offering a ticket."""

    type = "none"

    def _open(self) -> None:
        raise BackendError("disabled", "printing is disabled ([printer] type = \"none\")")


class NetworkBackend(Backend):
    """An Ethernet printer speaking raw TCP (port 9100), through python-escpos's ``Network``."""

    type = "network"

    def __init__(self, host: str, port: int = 9100, timeout_s: float = 10.0, connect_timeout_s: float = 1.0) -> None:
        """``connect_timeout_s`` stays short so a printer that comes back is found within the 2 s
        recovery goal; ``timeout_s`` (writes) is long because a busy printer stops reading while
        its buffer is full."""
        super().__init__()
        self.host, self.port, self.timeout = host, int(port), float(timeout_s)
        self.connect_timeout = float(connect_timeout_s)
        self._printer: Any = None      # python-escpos's Network while open

    def describe(self) -> str:
        return f"network printer {self.host}:{self.port}"

    def _open(self) -> None:
        from escpos.printer import Network
        self._printer = Network(self.host, self.port, timeout=self.connect_timeout)
        try:
            self._printer.open()
        except DeviceNotFoundError as exc:
            cause = exc.__context__
            if isinstance(cause, OSError):
                raise _os_error(cause, self.describe()) from None
            raise BackendError("unreachable", f"{self.describe()} cannot be reached") from None

    def _sock(self) -> socket.socket:
        sock: socket.socket = self._printer.device
        return sock

    def _write(self, data: bytes) -> None:
        try:
            self._sock().settimeout(self.timeout)
            self._printer._raw(data)
        except OSError as exc:
            raise _os_error(exc, self.describe()) from None

    def _read(self, size: int, timeout: float) -> bytes:
        sock = self._sock()
        try:
            sock.settimeout(timeout)
            data = sock.recv(size)
        except (TimeoutError, BlockingIOError):  # timeout 0 makes the socket non-blocking
            return b""
        except OSError as exc:
            raise _os_error(exc, self.describe()) from None
        if not data:
            raise BackendError("disconnected", f"{self.describe()} closed the connection")
        return data

    def _close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None


class FileBackend(Backend):
    """A character device such as ``/dev/usb/lp0`` (kernel usblp), opened read-write for status."""

    type = "file"
    #: usblp passes status queries through only for bidirectional printers; a silent one still prints.
    silence_is_normal = True

    def __init__(self, device: str) -> None:
        super().__init__()
        self.path = str(device)
        self._fd = -1
        self._readable = False

    def describe(self) -> str:
        return f"printer device {self.path}"

    @property
    def status_readable(self) -> bool:
        return self._readable

    def _open(self) -> None:
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_NOCTTY)
            self._readable = True
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EINVAL, errno.EISDIR):
                raise _os_error(exc, self.path) from None
            try:  # write-only files (a log file, a FIFO) still print, just without status
                self._fd, self._readable = os.open(self.path, os.O_WRONLY | os.O_NOCTTY), False
            except OSError as exc2:
                raise _os_error(exc2, self.path) from None

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError as exc:
            raise _os_error(exc, self.path) from None

    def _read(self, size: int, timeout: float) -> bytes:
        if not self._readable:
            return b""
        try:
            ready, _, _ = select.select([self._fd], [], [], timeout)
            return os.read(self._fd, size) if ready else b""
        except OSError as exc:
            raise _os_error(exc, self.path) from None

    def _close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
