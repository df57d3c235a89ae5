"""Child processes for benchmarks: start `kiosk run`, read its output, stop it, read /proc.

A benchmark that leaves a process behind would skew every later figure and keep
using the terminal's CPU and memory, so :func:`child` always stops and reaps what it
started; output is read without a thread so that reading adds no delay to what is timed.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO

from kiosk.devtools.bench import REPO, BenchmarkError

RUN_ARGS = ("run", "--demo", "--windowed", "--size", "1080x1920")
HEADLESS_ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
SYSTEMD_ENV = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")  # the app must not talk to our service manager
READY = "ready in"
START_TIMEOUT_S = 30.0
STOP_GRACE_S = 3.0


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SYSTEMD_ENV}
    env.update(HEADLESS_ENV)
    return env


class OutputLines:
    """A child's output, line by line, with a deadline; no thread, so no added delay."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self._fd = pipe.fileno()
        self._buf = b""
        self.eof = False
        self.tail: deque[str] = deque(maxlen=15)

    def _line(self, deadline: float) -> str | None:
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if self.eof or remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self.eof = True
                return None
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\n", 1)
        line = raw.decode("utf-8", "replace").rstrip("\r")
        self.tail.append(line)
        return line

    def wait_for(self, text: str, timeout: float) -> str | None:
        """The first line containing ``text``, or None at end of output or after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (line := self._line(deadline)) is not None:
            if text in line:
                return line
        return None

    def drain(self, seconds: float, *, until_eof: bool = False) -> None:
        """Read and forget output for ``seconds``, so the child never blocks on a full pipe.

        With ``until_eof``, return as soon as the output ends (the child exited).
        """
        deadline = time.monotonic() + seconds
        while self._line(deadline) is not None:
            pass
        remaining = deadline - time.monotonic()
        if remaining > 0 and not until_eof:
            time.sleep(remaining)

    def last(self) -> str:
        return "\n".join(f"    {line}" for line in self.tail) or "    (nothing)"


Child = tuple[subprocess.Popen[bytes], OutputLines, float]   # what child() yields


def stop(proc: subprocess.Popen[bytes], grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``; always reaps the child."""
    try:
        if proc.poll() is None:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(grace_s)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def child(argv: list[str], grace_s: float = STOP_GRACE_S) -> Iterator[Child]:
    """Start ``argv`` (stdout and stderr on one pipe); yields (process, its lines, perf_counter just before start).

    The child is stopped and reaped when the block ends, however it ends.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=child_env(), cwd=REPO, bufsize=0)
    try:
        assert proc.stdout is not None   # stdout=PIPE
        yield proc, OutputLines(proc.stdout), t0
    finally:
        stop(proc, grace_s)


def kiosk_run(*extra: str) -> AbstractContextManager[Child]:
    return child([sys.executable, "-m", "kiosk", *RUN_ARGS, *extra])


def wait_ready(proc: subprocess.Popen[bytes], lines: OutputLines) -> str:
    line = lines.wait_for(READY, START_TIMEOUT_S)
    if line is not None:
        return line
    if proc.poll() is not None:
        why = f"`kiosk run` exited with code {proc.returncode} before its first frame"
    else:
        why = f"`kiosk run` printed no {READY!r} line within {START_TIMEOUT_S:.0f} s"
    raise BenchmarkError(f"{why}; its last output:\n{lines.last()}")


def proc_cpu_s(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_mib(pid: int, key: str) -> float:
    """A memory line of /proc/<pid>/status (in KiB there) in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    raise BenchmarkError(f"/proc/{pid}/status has no {key} line")
