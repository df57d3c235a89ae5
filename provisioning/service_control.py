"""Starting, stopping and watching the kiosk service: one small interface, two ways to do it.

``update`` and ``rollback`` need to know one thing about a release: did it come up healthy —
``READY=1`` within a timeout, then no restart for a settling time. On a terminal systemd
answers (:class:`SystemdService`: ``systemctl``, ``systemctl show -p ActiveState,NRestarts…``).
Where systemd is not PID 1 (the tests, a container, a bench machine) :class:`DirectService`
plays its part for this one service: a small detached supervisor runs the kiosk's command with
a ``NOTIFY_SOCKET`` it listens on, restarts it on failure like the unit does (``Restart=
on-failure``, ``RestartPreventExitStatus=2``, a start limit, the start timeout and the watchdog),
and keeps what it knows in a state file the next ``kiosk-provision`` command reads. So update,
health check and rollback are tested with the real kiosk starting and really sending
``READY=1`` — or really failing to.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from provisioning.common import Paths

UNIT = "kiosk.service"


class ServiceError(Exception):
    """The service could not be started or stopped; the message is one plain line."""


class ServiceControl(Protocol):
    """What update, rollback and the other commands need of the kiosk service."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def restart(self) -> None: ...

    def is_active(self) -> bool:
        """Running and ready (systemd's ``ActiveState=active`` for a ``Type=notify`` unit)."""
        ...

    def wait_ready(self, timeout_s: float) -> str | None:
        """After a (re)start: None once the kiosk sent ``READY=1``, else one line saying why not."""
        ...

    def restarts_since(self) -> int:
        """Times the service restarted by itself (crash, watchdog) since this tool last started it."""
        ...


def health_check(control: ServiceControl, ready_timeout_s: float, settle_s: float,
                 *, poll_s: float = 0.1) -> str | None:
    """None if the service sent ``READY=1`` within ``ready_timeout_s`` and then ran
    ``settle_s`` without restarting or stopping; else the reason, one line."""
    reason = control.wait_ready(ready_timeout_s)
    if reason is not None:
        return reason
    deadline = time.monotonic() + settle_s
    while True:
        restarts = control.restarts_since()
        if restarts:
            return f"the kiosk was ready, then restarted by itself {restarts} time(s) within {settle_s:g} s"
        if time.monotonic() >= deadline:
            # not active now and not restarted meanwhile: it stopped (a crash being restarted is counted above)
            return None if control.is_active() else f"the kiosk was ready, then stopped within {settle_s:g} s"
        time.sleep(poll_s)


# -- systemd -----------------------------------------------------------------------------------

SHOW_PROPERTIES = ("ActiveState", "SubState", "Result", "NRestarts", "StatusText", "ExecMainStatus")


def parse_show(text: str) -> dict[str, str]:
    """``systemctl show -p A,B`` output (``A=value`` lines) as a dict."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


class SystemdService:
    """The unit through ``systemctl`` (systemd as PID 1: a real terminal)."""

    def __init__(self, unit: str = UNIT, systemctl: str = "systemctl") -> None:
        self.unit, self.systemctl = unit, systemctl
        self._restarts_at_start = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([self.systemctl, *args], capture_output=True, text=True, timeout=90, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServiceError(f"systemctl {' '.join(args)}: {exc}") from exc

    def _action(self, verb: str) -> None:
        # --no-block: a Type=notify start would wait for READY=1 itself; wait_ready does, with our timeout.
        done = self._run("--no-block", verb, self.unit)
        if done.returncode != 0:
            raise ServiceError(f"systemctl {verb} {self.unit} failed: {(done.stderr or done.stdout).strip()}")

    def show(self) -> dict[str, str]:
        done = self._run("show", "-p", ",".join(SHOW_PROPERTIES), self.unit)
        if done.returncode != 0:
            raise ServiceError(f"systemctl show {self.unit} failed: {done.stderr.strip()}")
        return parse_show(done.stdout)

    def _nrestarts(self) -> int:
        try:
            return int(self.show().get("NRestarts", "0") or 0)
        except ValueError:
            return 0

    def start(self) -> None:
        # A unit left « failed » would read as a failed start before systemd even ran this one.
        self._run("reset-failed", self.unit)
        self._restarts_at_start = self._nrestarts()
        self._action("start")

    def stop(self) -> None:
        done = self._run("stop", self.unit)   # blocking: the cache is closed when it returns
        if done.returncode != 0:
            raise ServiceError(f"systemctl stop {self.unit} failed: {(done.stderr or done.stdout).strip()}")

    def restart(self) -> None:
        self._restarts_at_start = self._nrestarts()
        self._action("restart")

    def is_active(self) -> bool:
        return self.show().get("ActiveState") == "active"

    def wait_ready(self, timeout_s: float) -> str | None:
        deadline = time.monotonic() + timeout_s
        while True:
            props = self.show()
            if props.get("ActiveState") == "active":
                return None
            if props.get("ActiveState") == "failed":
                return (f"the kiosk failed to start ({props.get('Result', '?')}, exit status "
                        f"{props.get('ExecMainStatus', '?')}); see kiosk-provision logs")
            if self.restarts_since():
                return (f"the kiosk stopped before it was ready (exit status {props.get('ExecMainStatus', '?')}) "
                        "and was restarted; see kiosk-provision logs")
            if time.monotonic() >= deadline:
                return f"the kiosk did not report ready within {timeout_s:g} s"
            time.sleep(0.25)

    def restarts_since(self) -> int:
        return max(0, self._nrestarts() - self._restarts_at_start)


# -- direct: a small supervisor standing in for systemd ------------------------------------------

@dataclass(frozen=True)
class Policy:
    """The unit's restart rules (systemd/kiosk.service), for the direct supervisor."""

    restart_s: float = 2.0            # RestartSec=
    start_timeout_s: float = 60.0     # TimeoutStartSec=
    stop_timeout_s: float = 10.0      # TimeoutStopSec=
    watchdog_s: float = 30.0          # WatchdogSec= (0: none)
    burst: int = 10                   # StartLimitBurst=
    burst_interval_s: float = 300.0   # StartLimitIntervalSec=
    no_restart_status: int = 2        # RestartPreventExitStatus=

    def args(self) -> list[str]:
        return [f"--{name.replace('_', '-')}={value}" for name, value in self.__dict__.items()]


LOG_MAX_BYTES = 1_000_000   # the kiosk's output in direct mode: one old file kept, like a small journal


class DirectService:
    """The kiosk run by a detached supervisor (``python -m provisioning.service_control``).

    Its files live in ``state_dir``: ``state.json`` (what the supervisor knows: its pid, the
    kiosk's pid, activating/active/failed/inactive, ready, restarts, last exit, StatusText),
    ``kiosk.log`` (the kiosk's output, the journal of this mode).
    """

    def __init__(self, state_dir: Path, command: Sequence[str], *, cwd: Path | None = None,
                 env: Mapping[str, str] | None = None, policy: Policy = Policy()) -> None:
        self.state_dir, self.command, self.cwd = Path(state_dir), list(command), cwd
        self.env = dict(env) if env is not None else kiosk_environment()
        self.policy = policy

    @property
    def state_path(self) -> Path:
        return self.state_dir / "state.json"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "kiosk.log"

    def state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def supervisor_running(self, state: Mapping[str, Any] | None = None) -> bool:
        pid = (state if state is not None else self.state()).get("supervisor_pid")
        return isinstance(pid, int) and _is_supervisor(pid)

    def start(self) -> None:
        if self.supervisor_running():
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.state_path.unlink()
        command = [sys.executable, "-m", "provisioning.service_control", "--state-dir", str(self.state_dir),
                   *self.policy.args()]
        if self.cwd is not None:
            command.append(f"--cwd={self.cwd}")
        # The supervisor needs this tool's own modules; the kiosk it starts gets self.env, not this.
        env = {**os.environ, "KIOSK_SUPERVISED_ENV": json.dumps(self.env)}
        proc = subprocess.Popen([*command, "--", *self.command], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, env=env, close_fds=True)
        deadline = time.monotonic() + 10
        while self.state().get("supervisor_pid") != proc.pid:
            if proc.poll() is not None:
                raise ServiceError(f"the service supervisor stopped at once (exit status {proc.returncode})")
            if time.monotonic() > deadline:
                proc.kill()
                raise ServiceError("the service supervisor did not start within 10 s")
            time.sleep(0.02)

    def stop(self) -> None:
        pid = self.state().get("supervisor_pid")
        if not (isinstance(pid, int) and _is_supervisor(pid)):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.policy.stop_timeout_s + 5
        while _is_supervisor(pid):
            if time.monotonic() > deadline:
                raise ServiceError(f"the kiosk did not stop within {self.policy.stop_timeout_s + 5:g} s")
            time.sleep(0.02)

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_active(self) -> bool:
        state = self.state()
        return state.get("active_state") == "active" and self.supervisor_running(state)

    def wait_ready(self, timeout_s: float) -> str | None:
        deadline = time.monotonic() + timeout_s
        while True:
            state = self.state()
            if state.get("ready") and state.get("active_state") == "active":
                return None
            if state.get("exits", 0) > 0 or state.get("active_state") == "failed" or not self.supervisor_running(state):
                return f"the kiosk stopped before it was ready ({state.get('last_exit', 'no status')}){self._why()}"
            if time.monotonic() >= deadline:
                return f"the kiosk did not report ready within {timeout_s:g} s{self._why()}"
            time.sleep(0.05)

    def restarts_since(self) -> int:
        restarts = self.state().get("restarts", 0)
        return restarts if isinstance(restarts, int) else 0

    def _why(self) -> str:
        """The kiosk's last error line (an exception's last line), if its log has one."""
        line = last_error_line(self.log_path)
        return f": {line}" if line else ""


def last_error_line(log: Path, tail_bytes: int = 8192) -> str:
    try:
        with log.open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - tail_bytes))
            lines = f.read().decode(errors="replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        text = line.strip()
        if text and (text.split(":", 1)[0].endswith(("Error", "Exception")) or " ERROR " in f" {text} "):
            return text[:200]
    return ""


def kiosk_environment(base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The kiosk's environment in direct mode: the unit's ``Environment=`` lines, headless SDL
    unless told otherwise, and nothing of this tool's Python set-up (PYTHONPATH would make the
    release run another release's code)."""
    env = {k: v for k, v in base.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
           or (k.startswith("KIOSK_") and k != "KIOSK_SUPERVISED_ENV")}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.update(SDL_VIDEODRIVER=base.get("SDL_VIDEODRIVER", "dummy"), SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1", PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    return env


def _is_supervisor(pid: int) -> bool:
    """``pid`` is alive and is a supervisor (not a recycled pid, not a zombie)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read()
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z" and b"provisioning.service_control" in cmdline


class _Supervisor:
    """The process that stands in for systemd (one per DirectService start)."""

    def __init__(self, state_dir: Path, command: list[str], env: dict[str, str], cwd: str | None,
                 policy: Policy) -> None:
        self.state_dir, self.command, self.env, self.cwd, self.policy = state_dir, command, env, cwd, policy
        self.stopping = False
        self.child: subprocess.Popen[bytes] | None = None
        self.state: dict[str, Any] = {"supervisor_pid": os.getpid(), "main_pid": None, "active_state": "activating",
                                      "ready": False, "restarts": 0, "exits": 0, "last_exit": None,
                                      "status_text": ""}
        # An abstract socket (Linux), named after the state folder: a path under a deep install
        # prefix would exceed the 108 bytes of a socket address; only the kiosk's own pid is heard.
        digest = hashlib.sha256(str(state_dir.resolve()).encode()).hexdigest()[:24]
        self.notify_address = f"@kiosk-provision/{digest}/{os.getpid()}"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self.sock.bind("\0" + self.notify_address[1:])
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)   # who sent it (NotifyAccess=main)

    def write_state(self) -> None:
        tmp = self.state_dir / f".state.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self.state))
        os.replace(tmp, self.state_dir / "state.json")

    def log(self, data: bytes) -> None:
        """Append the kiosk's output; past LOG_MAX_BYTES the file becomes ``kiosk.log.1`` (one kept)."""
        log = self.state_dir / "kiosk.log"
        with contextlib.suppress(OSError):
            if log.stat().st_size + len(data) > LOG_MAX_BYTES:
                os.replace(log, log.with_suffix(".log.1"))
        with log.open("ab") as out:
            out.write(data)

    def drain(self) -> None:
        """Copy what the kiosk wrote so far to the log (its output goes through us, so the log can turn)."""
        pipe = self.child.stdout if self.child is not None else None
        while pipe is not None:
            try:
                data = os.read(pipe.fileno(), 65536)
            except (BlockingIOError, ValueError):
                return
            if not data:
                pipe.close()
                return
            self.log(data)

    def spawn(self) -> None:
        if self.child is not None and self.child.stdout is not None:
            self.child.stdout.close()   # the previous run's pipe
        env = {**self.env, "NOTIFY_SOCKET": self.notify_address}
        if self.policy.watchdog_s > 0:
            env["WATCHDOG_USEC"] = str(int(self.policy.watchdog_s * 1e6))
        try:
            self.child = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, env=env, cwd=self.cwd, start_new_session=True)
            assert self.child.stdout is not None
            os.set_blocking(self.child.stdout.fileno(), False)
        except OSError as exc:
            self.log(f"OSError: cannot start {self.command[0]}: {exc.strerror}\n".encode())
            self.child = None
        self.started_at = self.last_ping = time.monotonic()
        self.state.update(main_pid=self.child.pid if self.child else None, active_state="activating", ready=False,
                          status_text="")
        self.write_state()

    def receive(self) -> None:
        try:
            data, ancdata, _flags, _addr = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
        except BlockingIOError:
            return
        sender = None
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                sender = struct.unpack("iII", payload[:12])[0]
        if self.child is None or sender != self.child.pid:
            return   # NotifyAccess=main: only the kiosk process itself
        for line in data.decode(errors="replace").splitlines():
            key, _, value = line.partition("=")
            if key == "READY" and value == "1":
                self.state.update(ready=True, active_state="active")
            elif key == "STATUS":
                self.state["status_text"] = value[:200]
            elif key == "WATCHDOG" and value == "1":
                self.last_ping = time.monotonic()
        self.write_state()

    def end_child(self, sig: int = signal.SIGTERM) -> int | None:
        child = self.child
        if child is None:
            return None
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, sig)
            deadline = time.monotonic() + self.policy.stop_timeout_s
            while child.poll() is None and time.monotonic() < deadline:
                self.drain()   # a kiosk logging its way out must not block on a full pipe
                time.sleep(0.05)
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.drain()
        return child.returncode

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGINT, self._on_term)
        self.sock.setblocking(False)
        starts: list[float] = []
        self.spawn()
        starts.append(time.monotonic())
        while not self.stopping:
            pipe = self.child.stdout if self.child is not None else None
            watched: list[Any] = [self.sock] + ([pipe] if pipe is not None and not pipe.closed else [])
            ready, _, _ = select.select(watched, [], [], 0.1)
            if ready:
                if self.sock in ready:
                    self.receive()
                if pipe is not None and pipe in ready:
                    self.drain()
                continue
            code = self.child.poll() if self.child is not None else 127
            if code is not None:
                self.drain()   # its last words (a traceback) before its exit is recorded
            now = time.monotonic()
            if code is None:
                if not self.state["ready"] and now - self.started_at > self.policy.start_timeout_s:
                    code = self.end_child()
                    why = f"no READY=1 within {self.policy.start_timeout_s:g} s"
                elif (self.state["ready"] and self.policy.watchdog_s > 0
                      and now - self.last_ping > self.policy.watchdog_s):
                    code = self.end_child(signal.SIGABRT)
                    why = f"watchdog: no ping for {self.policy.watchdog_s:g} s"
                else:
                    continue
            else:
                why = f"exit status {code}" if code >= 0 else f"killed by signal {-code}"
            self.state.update(exits=self.state["exits"] + 1, last_exit=why, ready=False, main_pid=None)
            if code == 0 or code == self.policy.no_restart_status:
                self.state["active_state"] = "inactive" if code == 0 else "failed"
                self.write_state()
                return 0
            starts = [t for t in starts if now - t < self.policy.burst_interval_s]
            if len(starts) >= self.policy.burst:
                self.state["active_state"] = "failed"
                self.write_state()
                return 0
            self.state["active_state"] = "activating"
            self.write_state()
            time.sleep(self.policy.restart_s)
            if self.stopping:
                break
            self.state["restarts"] += 1
            self.spawn()
            starts.append(time.monotonic())
        self.state["active_state"] = "deactivating"
        self.write_state()
        self.end_child()
        self.state.update(active_state="inactive", ready=False, main_pid=None)
        self.write_state()
        return 0

    def _on_term(self, _sig: int, _frame: object) -> None:
        self.stopping = True

    def close(self) -> None:
        self.sock.close()


def _supervise(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m provisioning.service_control",
                                     description="run the kiosk like its systemd unit would (no systemd here)")
    parser.add_argument("--state-dir", required=True, type=Path)
    parser.add_argument("--cwd")
    defaults = Policy()
    for name, value in defaults.__dict__.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    policy = Policy(**{name: getattr(args, name) for name in defaults.__dict__})
    env = json.loads(os.environ.get("KIOSK_SUPERVISED_ENV", "{}")) or kiosk_environment()
    supervisor = _Supervisor(args.state_dir, args.command, env, args.cwd, policy)
    try:
        return supervisor.run()
    finally:
        supervisor.close()


def for_paths(paths: Paths, policy: Policy = Policy()) -> ServiceControl:
    """systemd on the terminal itself; the direct supervisor under an install prefix (``--root``).

    The direct service runs what the unit's ``ExecStart=`` runs — the ``current`` release's
    virtualenv with the terminal's kiosk.toml — in the state folder, through the ``current``
    link at each start, so a switched link is what the next (re)start runs.
    """
    if paths.real_root:
        return SystemdService()
    return direct_service(paths, policy)


def direct_service(paths: Paths, policy: Policy = Policy()) -> DirectService:
    command = [str(paths.current / "venv" / "bin" / "python"), "-m", "kiosk", "run", "--config", str(paths.config)]
    return DirectService(paths.run_dir / "service", command, cwd=paths.state, policy=policy)


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str


def restart(paths: Paths) -> Result:
    """Restart the kiosk so it reads its new configuration; never raises.

    Under an install prefix with no kiosk running there is nothing to restart: the request is
    recorded in ``<root>/run/kiosk/restart-requested`` (a test sees it was made)."""
    if not paths.real_root:
        service = direct_service(paths)
        if not service.state().get("supervisor_pid") or not service.supervisor_running():
            marker = paths.run_dir / "restart-requested"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(UNIT + "\n")
            return Result(True, f"restart recorded in {marker} (install prefix: the kiosk is not running)")
        control: ServiceControl = service
    else:
        if shutil.which("systemctl") is None:
            return Result(False, "systemctl not found: restart the kiosk by hand")
        control = SystemdService()
    try:
        control.restart()
    except ServiceError as err:
        return Result(False, f"the kiosk service did not restart ({err}); see: kiosk-provision logs")
    return Result(True, "kiosk service restarted")


if __name__ == "__main__":
    sys.exit(_supervise(sys.argv[1:]))
