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


def write_target_config(root: Path, *, base_url: str | None = None, extra: str = "",
                        replace: dict[str, str] | None = None, keys: dict[str, Any] | None = None) -> Path:
    """The documented kiosk.toml at ``root``/etc/kiosk/kiosk.toml, with the API address (and other lines,
    or dotted ``keys`` set through tomlkit) changed, and the state folder made, as `install` leaves them."""
    text = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    if base_url is not None:
        text = text.replace('base_url = "http://127.0.0.1:8765/"', f'base_url = "{base_url}"')
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    if keys:
        import tomlkit

        document = tomlkit.parse(text)
        for dotted, value in keys.items():
            section, key = dotted.rsplit(".", 1)
            document[section][key] = value   # type: ignore[index]  # sections of kiosk.toml are tables
        text = tomlkit.dumps(document)
    path = root / "etc/kiosk/kiosk.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + extra, encoding="utf-8")
    (root / "var/lib/kiosk").mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
