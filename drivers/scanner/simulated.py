"""The simulated scanner: scans typed on the admin screen or sent on a local socket or pipe.

Why: ``kiosk run --demo`` and the tests must be able to "scan" a check-in code without
hardware, through the same path a real scan takes (``SCAN_READ`` posted from a
thread, the same plausibility rules as the HID decoder). Three ways in:

- :meth:`SimulatedScanner.submit` — what the admin screen calls with the text typed there;
- a Unix stream socket (``socket``): each line a client sends is one scan, e.g.
  ``printf 'RDV-42\\n' | socat - UNIX-CONNECT:/run/kiosk/scanner.sock``;
- a named pipe (``fifo``): ``echo RDV-42 > /run/kiosk/scanner.fifo``.

Both files are created by the scanner with mode 0600 (only the kiosk user may scan)
and removed when it stops. Bad input is dropped with a logged reason, never its text.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import stat
from pathlib import Path

from drivers.driver_thread import Post
from drivers.scanner.base import MAX_SCAN_LENGTH, Scanner, default_post, problem_with

log = logging.getLogger(__name__)
POLL_S = 0.1


class SimulatedScanner(Scanner):
    """A twin of the real scanners; ``submit`` works even when not started (no thread needed)."""

    type = "simulated"

    def __init__(self, socket: str | None = None, fifo: str | None = None, max_length: int = MAX_SCAN_LENGTH, *,
                 post: Post = default_post) -> None:
        super().__init__(post=post)
        self.socket_path = Path(socket) if socket else None
        self.fifo_path = Path(fifo) if fifo else None
        self.max_length = max_length

    def submit(self, text: str, source: str = "simulated") -> bool:
        """Post ``text`` as a scan (trailing newline removed); False, and a log line, if it is not plausible."""
        text = text.rstrip("\r\n")
        problem = problem_with(text, self.max_length)
        if problem:
            log.warning("simulated scanner: rejected a scan: %s (%d characters)", problem, len(text))
            self._reject(problem, source)
            return False
        self._emit(text, source)
        return True

    # --- the listening thread ----------------------------------------------------------

    def _run(self) -> None:
        server = self._listen(self.socket_path) if self.socket_path else None
        fifo_fd = self._open_fifo(self.fifo_path) if self.fifo_path else None
        clients: dict[int, tuple[socket.socket, bytearray]] = {}
        fifo_buf = bytearray()
        self._set_state("ready", "simulated")
        try:
            while not self._stopping.is_set():
                fds = [f for f in (server.fileno() if server else None, fifo_fd) if f is not None] + list(clients)
                ready, _, _ = select.select(fds, [], [], POLL_S)
                for fd in ready:
                    if server is not None and fd == server.fileno():
                        conn, _ = server.accept()
                        clients[conn.fileno()] = (conn, bytearray())
                    elif fd == fifo_fd:
                        data = os.read(fifo_fd, 4096)
                        fifo_buf += data
                        self._lines(fifo_buf, "fifo")
                    else:
                        conn, buf = clients[fd]
                        try:
                            data = conn.recv(4096)
                        except OSError:                 # the client vanished: what it sent so far counts
                            data = b""
                        buf += data
                        if not data:
                            buf += b"\n" if buf else b""
                            conn.close()
                            del clients[fd]
                        self._lines(buf, "socket")
        finally:
            for conn, _ in clients.values():
                conn.close()
            if server is not None and self.socket_path is not None:
                server.close()
                self.socket_path.unlink(missing_ok=True)
            if fifo_fd is not None and self.fifo_path is not None:
                os.close(fifo_fd)
                self.fifo_path.unlink(missing_ok=True)

    def _lines(self, buf: bytearray, source: str) -> None:
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            if len(line) > self.max_length * 4:
                log.warning("simulated scanner: rejected a scan: longer than %d characters", self.max_length)
                self._reject("longer than the limit", source)
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                log.warning("simulated scanner: rejected a scan: not UTF-8 (%d bytes)", len(line))
                self._reject("not UTF-8", source)
                continue
            if text.strip():
                self.submit(text, "simulated")
        if len(buf) > self.max_length * 4:            # a client that never sends a newline
            buf.clear()

    @staticmethod
    def _listen(path: Path) -> socket.socket:
        if path.exists() and stat.S_ISSOCK(path.stat().st_mode):
            path.unlink()                           # left over by a crash
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            server.bind(str(path))
        finally:
            os.umask(old)
        server.listen(4)
        return server

    @staticmethod
    def _open_fifo(path: Path) -> int:
        if not path.exists():
            os.mkfifo(path, 0o600)
        elif not stat.S_ISFIFO(path.stat().st_mode):
            raise ValueError(f"{path} exists and is not a named pipe")
        # O_RDWR keeps a writer open ourselves, so the pipe never reads end-of-file between writers.
        return os.open(path, os.O_RDWR | os.O_NONBLOCK)
