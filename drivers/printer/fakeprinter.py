"""A fake Ethernet ESC/POS printer on a loopback port: the network backend's test partner.

It keeps what it receives and answers ``DLE EOT n`` with a configurable status byte per
``n`` — or stays silent, like a printer that hangs — and can vanish (``stop()``, or
after N bytes in the middle of a job) and come back on the same port, which is how
tests prove the worker recovers without hardware. Technicians can also point a kiosk
at it (``python -m drivers.printer.fakeprinter PORT``) to try the network backend.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

DLE_EOT = b"\x10\x04"
#: Epson's answers for a healthy printer: fixed bits 1 and 4 set, nothing else.
HEALTHY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


class FakeNetworkPrinter:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.status: dict[int, int] = dict(HEALTHY)
        self.silent = False               # answer no status query at all
        self.drop_after: int | None = None  # close the connection after this many bytes
        self.received = bytearray()
        self.connections = 0
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    # --- life cycle ------------------------------------------------------------------

    def start(self) -> FakeNetworkPrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen(4)
        server.settimeout(0.1)
        self.port = server.getsockname()[1]
        self._server = server
        self._spawn(self._accept_loop, server)
        return self

    def stop(self) -> None:
        """Vanish: refuse new connections and cut the open ones (a printer switched off)."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            _hard_close(client)
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = []

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def is_running(self) -> bool:
        return self._server is not None

    def wait_for(self, data: bytes, timeout: float = 2.0) -> bool:
        """True once ``data`` was received (tests use it to avoid sleeping blindly)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if data in self.received:
                    return True
            time.sleep(0.005)
        return False

    # --- internals -------------------------------------------------------------------

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="fake-printer")
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self, server: socket.socket) -> None:
        while self._server is server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._clients.append(client)
                self.connections += 1
            self._spawn(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        try:
            client.settimeout(0.1)
        except OSError:       # switched off (stop) between the accept and this thread's start
            return
        pending = b""
        while True:
            try:
                chunk = client.recv(65536)
            except TimeoutError:
                if self._server is None:
                    break
                continue
            except OSError:
                break
            if not chunk:
                break
            with self._lock:
                if self.drop_after is not None and len(self.received) + len(chunk) >= self.drop_after:
                    self.received += chunk[: max(0, self.drop_after - len(self.received))]
                    self.drop_after = None
                    _hard_close(client)
                    return
                self.received += chunk
            pending = self._answer(client, pending + chunk)
        _hard_close(client)

    def _answer(self, client: socket.socket, data: bytes) -> bytes:
        """Answer every complete DLE EOT n; keep a trailing partial one for the next chunk."""
        at = 0
        while (at := data.find(DLE_EOT, at)) != -1:
            if at + 2 >= len(data):
                return data[at:]
            n = data[at + 2]
            if not self.silent and n in self.status:
                with contextlib.suppress(OSError):
                    client.sendall(bytes((self.status[n],)))
            at += 3
        return data[-1:] if data.endswith(b"\x10") else b""


def _hard_close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


if __name__ == "__main__":  # pragma: no cover - manual tool
    import sys
    printer = FakeNetworkPrinter(port=int(sys.argv[1]) if len(sys.argv) > 1 else 9100).start()
    print(f"fake printer on {printer.host}:{printer.port}; Ctrl-C to stop")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        printer.stop()
