"""How the provisioning tests call `kiosk-provision` on a target: over the real SSH of tests/sshd.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from sshd import SshTarget

REPO = Path(__file__).resolve().parent.parent.parent


def provision(target: SshTarget, *args: str, root: bool = True, input: str | None = None,
              env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``kiosk-provision ARGS --root <target root>`` run on the target over ssh, with this checkout's code."""
    command = [sys.executable, "-m", "provisioning.cli", *args]
    if root:
        command += ["--root", str(target.root)]
    variables = {"PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return target.run(command, input=input, env=variables, timeout=timeout)


def provision_json(target: SshTarget, *args: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    done = provision(target, *args, "--json", **kwargs)
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)
