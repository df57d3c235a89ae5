"""Starting and restarting the kiosk service.

Minimal for now: ``restart()`` through ``systemctl`` on a real terminal; under an install prefix
(``--root`` other than ``/``, tests and image builds) there is no service to restart, and the
request is recorded in ``<root>/run/kiosk/restart-requested`` so a test can see it was made.
The update/rollback work replaces this with the full interface (systemd, or the kiosk run
directly under a ``NOTIFY_SOCKET``).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from provisioning.common import Paths

UNIT = "kiosk.service"


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str


def restart(paths: Paths) -> Result:
    """Restart the kiosk so it reads its new configuration; never raises."""
    if not paths.real_root:
        marker = paths.run_dir / "restart-requested"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(UNIT + "\n")
        return Result(True, f"restart recorded in {marker} (install prefix: no service to restart)")
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        return Result(False, "systemctl not found: restart the kiosk by hand")
    done = subprocess.run([systemctl, "restart", UNIT], capture_output=True, text=True, check=False, timeout=90)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return Result(False, f"the kiosk service did not restart ({why}); see: kiosk-provision logs")
    return Result(True, "kiosk service restarted")
