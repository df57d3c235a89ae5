"""systemd/kiosk.service: valid for systemd, and as locked down as a full-screen DRM app allows.

`systemd-analyze` comes with Debian's `systemd` package; tools/bootstrap.sh
installs it, so these tests never skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "systemd" / "kiosk.service"
INSTALLED_KIOSK = "/opt/kiosk/current/venv/bin/kiosk"
# Measured with systemd 252 (Debian 12): 1.5 ("OK"; 1.6 before @resources was filtered, issue 17).
# What remains is what the kiosk needs: the network (PrivateNetwork, AF_INET, no IP allow list),
# devices (PrivateDevices, DeviceAllow), supplementary groups, no PrivateUsers/MemoryDenyWriteExecute
# (they break device groups and Mesa/ctypes) -- each justified in the unit's comments. Removing any
# one of the big directives raises it above 1.5, so the test fails on any such regression.
EXPOSURE_MAX = 1.5


def systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    assert path, "systemd-analyze is missing: run tools/bootstrap.sh (Debian package: systemd)"
    return path


def analyze(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([systemd_analyze(), *args], capture_output=True, text=True, timeout=120)


def directives(text: str) -> dict[str, list[str]]:
    """Key -> values (a key may repeat) from a unit file."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.fixture
def runnable_unit(tmp_path) -> Path:
    """The unit with ExecStart pointing at this checkout's kiosk, so verify can check everything else."""
    kiosk = Path(sys.executable).parent / "kiosk"
    assert kiosk.exists(), kiosk
    text = UNIT.read_text(encoding="utf-8")
    assert text.count(f"ExecStart={INSTALLED_KIOSK} ") == 1
    copy = tmp_path / "kiosk.service"
    copy.write_text(text.replace(f"ExecStart={INSTALLED_KIOSK} ", f"ExecStart={kiosk} "), encoding="utf-8")
    return copy


def test_unit_verifies(runnable_unit):
    result = analyze("verify", str(runnable_unit))
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and output == "", output


def test_only_the_missing_binary_stops_verify_on_this_machine():
    """Without the copy, the one complaint is that /opt/kiosk is not installed here."""
    result = analyze("verify", str(UNIT))
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    if Path(INSTALLED_KIOSK).exists():
        assert result.returncode == 0 and problems == [], problems
    else:
        assert problems == [f"kiosk.service: Command {INSTALLED_KIOSK} is not executable: No such file or directory"]


def test_exposure_score(runnable_unit):
    result = analyze("security", "--offline=yes", str(runnable_unit))
    assert result.returncode == 0, result.stderr
    match = re.search(r"Overall exposure level for kiosk\.service: (\d+\.\d)", result.stdout)
    assert match, result.stdout
    score = float(match[1])
    exposed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("✗")]
    print(f"\nsystemd-analyze security: exposure {score} (at most {EXPOSURE_MAX}); "
          f"accepted: {', '.join(exposed)}")
    assert score <= EXPOSURE_MAX, result.stdout


def test_every_remaining_exposure_is_justified_in_the_unit(runnable_unit):
    """Each line `systemd-analyze security` still marks ✗ names a directive the unit's comments
    discuss (why it is not set, or why it allows what it allows)."""
    result = analyze("security", "--offline=yes", str(runnable_unit))
    comments = "\n".join(line for line in UNIT.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    exposed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("✗")]
    assert exposed
    unexplained = [name for name in exposed
                   if not all(part.split("=")[0] in comments for part in name.split("/"))]
    assert unexplained == []


def test_the_unit_says_what_the_design_asks():
    d = directives(UNIT.read_text(encoding="utf-8"))
    single = {key: values[-1] for key, values in d.items()}
    expected = {
        "Type": "notify", "NotifyAccess": "main", "WatchdogSec": "30", "Restart": "on-failure",
        "RestartSec": "2", "User": "kiosk", "StandardOutput": "journal",
        "ExecStart": f"{INSTALLED_KIOSK} run --config /etc/kiosk/kiosk.toml",
        "ProtectSystem": "strict", "ReadWritePaths": "/var/lib/kiosk", "ProtectHome": "yes",
        "PrivateTmp": "yes", "NoNewPrivileges": "yes", "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes", "LockPersonality": "yes",
        "RestrictRealtime": "yes", "SystemCallArchitectures": "native", "CapabilityBoundingSet": "",
        "DevicePolicy": "closed", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6 AF_NETLINK",
    }
    assert {key: single.get(key) for key in expected} == expected
    assert "SDL_VIDEODRIVER=kmsdrm" in d["Environment"]
    assert set(single["SupplementaryGroups"].split()) >= {"video", "input", "render"}
    allowed = {value.split()[0] for value in d["DeviceAllow"]}
    assert allowed >= {"char-drm", "char-input", "char-usb", "char-usb_device"}
    assert d["SystemCallFilter"] == ["@system-service", "~@privileged @resources"]
    # Directives that would break a full-screen DRM app must stay out.
    for breaking in ("PrivateDevices", "MemoryDenyWriteExecute", "PrivateUsers", "PrivateNetwork"):
        assert breaking not in d, breaking


def test_every_directive_is_explained():
    """Each directive (or group of related directives) has a comment just above it."""
    lines = UNIT.read_text(encoding="utf-8").splitlines()
    unexplained, previous = [], ""
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "[")) and previous == "":
            unexplained.append(stripped)
        previous = "" if not stripped or stripped.startswith("[") else stripped
    assert unexplained == [], unexplained
    assert not any(re.match(r"[A-Za-z]+=.*\s#", line) for line in lines), "systemd has no end-of-line comments"
