"""A real OpenSSH server on loopback, for the provisioning tests (``kiosk-provision`` and Ansible over SSH).

Technicians reach terminals over SSH, so the tests do too: Debian's ``/usr/sbin/sshd`` (openssh-server)
runs as a child process on a free port of 127.0.0.1, with throw-away host and user keys made by
``ssh-keygen`` in a temporary folder, accepting only the current user (root in CI) by that key. The
client side is strict, as a fleet's should be: ``StrictHostKeyChecking=yes`` against a generated
``known_hosts``, ``BatchMode=yes`` (never a password prompt that would hang a test), no user or
system ssh configuration read.

There is no second machine: each test's « terminal » is a target root folder (``--root``) on this one.

Fixtures (registered for every test folder through ``pytest_plugins`` in tests/conftest.py):

- ``sshd_server``: one server per test process (session scope);
- ``ssh_target``: a :class:`SshTarget` whose ``root`` is a fresh folder of the test, with ``run(cmd)``
  over ssh, ``ssh_args()`` for other tools and ``inventory_vars()`` for an Ansible inventory.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")  # sshd refuses to start unless called by its absolute path
SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
SSH = shutil.which("ssh") or "/usr/bin/ssh"
PRIVSEP_DIR = Path("/run/sshd")  # Debian's sshd wants it to exist when started as root; systemd makes it
REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path, comment: str) -> None:
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True, capture_output=True)


@dataclass
class SshServer:
    """A running sshd and the client files that trust it (known_hosts, the user's key)."""

    folder: Path
    port: int
    user: str
    identity: Path
    known_hosts: Path
    process: subprocess.Popen[bytes]
    host: str = "127.0.0.1"

    def ssh_options(self) -> list[str]:
        """Client options, without the destination: strict host key, key only, no prompt, no user config."""
        return ["-F", "/dev/null", "-p", str(self.port), "-i", str(self.identity),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR"]

    def target(self, root: Path) -> SshTarget:
        return SshTarget(self, root)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class SshTarget:
    """One « terminal »: the SSH server plus the root folder that stands for its file system."""

    server: SshServer
    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def destination(self) -> str:
        return f"{self.server.user}@{self.server.host}"

    def ssh_args(self) -> list[str]:
        """``ssh …options… user@host``: append a remote command (one shell-quoted string)."""
        return [SSH, *self.server.ssh_options(), self.destination]

    def run(self, cmd: str | Sequence[str], *, input: str | None = None, timeout: float = 60,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` on the target over ssh; a sequence is shell-quoted. Never raises on a non-zero exit:
        the tests assert on the exit code (0 / 1 / 2) themselves."""
        remote = cmd if isinstance(cmd, str) else shlex.join(cmd)
        variables = {**self.env, **(env or {})}
        if variables:
            remote = "env " + " ".join(shlex.quote(f"{k}={v}") for k, v in variables.items()) + " " + remote
        return subprocess.run([*self.ssh_args(), remote], input=input, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def inventory_vars(self) -> dict[str, str]:
        """The host variables an Ansible inventory needs to reach this target like ``run`` does."""
        options = self.server.ssh_options()
        common = options[options.index("-o"):]  # the -o options, as one string
        return {
            "ansible_host": self.server.host,
            "ansible_port": str(self.server.port),
            "ansible_user": self.server.user,
            "ansible_ssh_private_key_file": str(self.server.identity),
            "ansible_ssh_common_args": shlex.join(common),
            "ansible_python_interpreter": sys.executable,
            # Ansible's default ~/.ansible/cp may be too deep for a Unix socket path (108 bytes) in a test's
            # home: the control sockets go to the server's short folder instead
            "ansible_control_path_dir": str(self.server.folder / "cp"),
            "kiosk_root": str(self.root),
        }


def _wait_listening(server: SshServer) -> None:
    """Until the server greets with its SSH banner, or fail with what sshd said."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            err = (server.folder / "sshd.log").read_text(errors="replace")
            raise RuntimeError(f"sshd exited with {server.process.returncode}: {err.strip()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=1) as s:
                if s.recv(64).startswith(b"SSH-2.0"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"sshd did not listen on port {server.port} within {START_TIMEOUT} s")


def start_sshd(folder: Path) -> SshServer:
    """An sshd in ``folder`` (keys, config, known_hosts) accepting the current user by a fresh key."""
    if not SSHD.exists():
        raise RuntimeError(f"{SSHD} is missing: install Debian's openssh-server (tools/bootstrap.sh does)")
    user = getpass.getuser()
    folder.mkdir(parents=True, exist_ok=True)
    host_key, user_key = folder / "host_ed25519", folder / "user_ed25519"
    _keygen(host_key, "kiosk-test-host")
    _keygen(user_key, "kiosk-test-user")
    authorized = folder / "authorized_keys"
    authorized.write_text((folder / "user_ed25519.pub").read_text())
    authorized.chmod(0o600)
    if os.geteuid() == 0:
        PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
    last_error: Exception | None = None
    for _attempt in range(3):  # another process may take the free port between the probe and sshd's bind
        port = _free_port()
        config = folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {host_key}",
            "PidFile none",
            f"AuthorizedKeysFile {authorized}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            # the temporary folder's modes are not sshd's business in a test
            "StrictModes no",
            f"AllowUsers {user}",
            "PermitRootLogin prohibit-password",
            # Ansible runs ten targets at once through this one server
            "MaxStartups 100:30:200",
            "MaxSessions 100",
            "Subsystem sftp internal-sftp",
            "LogLevel ERROR",
            "",
        ]))
        known_hosts = folder / "known_hosts"
        host_pub = (folder / "host_ed25519.pub").read_text().split()
        known_hosts.write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
        # -D: stay in the foreground as our child; -e: log to stderr, kept in a file (a pipe could fill up)
        with (folder / "sshd.log").open("wb") as log:
            process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        server = SshServer(folder, port, user, user_key, known_hosts, process)
        try:
            _wait_listening(server)
            return server
        except RuntimeError as exc:
            last_error = exc
    raise RuntimeError(f"sshd could not start: {last_error}")


@pytest.fixture(scope="session")
def sshd_server() -> Iterator[SshServer]:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-sshd-"))
    server = start_sshd(folder)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def ssh_target(sshd_server: SshServer, tmp_path: Path) -> SshTarget:
    root = tmp_path / "target"
    root.mkdir()
    return sshd_server.target(root)
