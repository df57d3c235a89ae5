"""What every `kiosk-provision` command shares: the target's paths under ``--root``, and one way to answer.

A technician reads the human output over SSH; a fleet's Ansible reads ``--json``. Both come from one
:class:`Outcome`, so they never disagree. Exit codes are the contract of the whole tool:
0 all is well, 1 something on the terminal to fix (one plain line per problem), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OK, TO_FIX, USAGE = 0, 1, 2
USER, GROUPS = "kiosk", ("input", "lp", "dialout", "video")


def add_common(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """``--root`` and ``--json``, taken after the command's name (``kiosk-provision status --json``).

    ``nested``: for a command's own sub-actions (``config set … --json``); their defaults are left out
    so they do not overwrite a value given earlier on the line (argparse copies a sub-parser's defaults).
    """
    root_default: Any = argparse.SUPPRESS if nested else Path("/")
    json_default: Any = argparse.SUPPRESS if nested else False
    parser.add_argument("--root", default=root_default, metavar="PREFIX", type=Path,
                        help="install prefix standing for / (default /; tests and image builds use a folder)")
    parser.add_argument("--json", action="store_true", default=json_default,
                        help="print one JSON object (for Ansible and scripts)")


class UsageError(Exception):
    """The command line itself is wrong (exit 2): the message says what to write instead."""


@dataclass(frozen=True)
class Paths:
    """Where things live on a terminal, under an install prefix (``/`` on a real one).

    Tests and image builders pass ``--root DIR``: every path moves under DIR, and paths read from
    kiosk.toml that are absolute (``/var/lib/kiosk/…``) are moved there too, by :meth:`inside`.
    """

    root: Path

    @property
    def real_root(self) -> bool:
        """True on the machine itself: accounts and services are really created, not recorded."""
        return self.root == Path("/")

    def inside(self, path: Path | str) -> Path:
        """``path`` on the target: absolute paths move under the root (unless already there)."""
        path = Path(path)
        if not path.is_absolute() or self.real_root or path.is_relative_to(self.root):
            return path
        return self.root / path.relative_to("/")

    @property
    def etc(self) -> Path:
        return self.inside("/etc/kiosk")

    @property
    def config(self) -> Path:
        return self.etc / "kiosk.toml"

    @property
    def opt(self) -> Path:
        return self.inside("/opt/kiosk")

    @property
    def releases(self) -> Path:
        return self.opt / "releases"

    @property
    def current(self) -> Path:
        """The link to the running release (``releases/<version>``), switched atomically."""
        return self.opt / "current"

    @property
    def state(self) -> Path:
        return self.inside("/var/lib/kiosk")

    @property
    def run_dir(self) -> Path:
        return self.inside("/run/kiosk")

    @property
    def device_state(self) -> Path:
        """The JSON file the running kiosk publishes its device states in (kiosk.devices.published)."""
        return self.run_dir / "state.json"

    @property
    def unit(self) -> Path:
        return self.inside("/etc/systemd/system/kiosk.service")

    @property
    def udev_rules(self) -> Path:
        return self.inside("/etc/udev/rules.d/70-kiosk-devices.rules")

    @property
    def accounts(self) -> Path:
        """Under a ``--root`` other than ``/``: the user and groups install would create, recorded
        here instead of touching this machine's /etc/passwd (see install's --help)."""
        return self.etc / "accounts.json"


@dataclass
class Outcome:
    """A command's answer: lines for people, data for ``--json``, and the problems (exit 1 if any)."""

    lines: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)

    def problem(self, line: str) -> None:
        self.problems.append(line)

    @property
    def code(self) -> int:
        return TO_FIX if self.problems else OK

    def as_json(self, command: str) -> str:
        return json.dumps({"command": command, "ok": not self.problems, "problems": self.problems, **self.data},
                          ensure_ascii=False, default=str)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write beside, flush, then rename over: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
