"""Building one release: ``/opt/kiosk/releases/<version>/`` with its own virtualenv, all or nothing.

Why a folder per version: an update installs beside the running release and only switches the
``current`` link, so going back is switching it again (balena's rule: keep the previous release).
Why all or nothing: a virtualenv cannot move (its scripts name their own path), so the release is
built in place and ``COMPLETE`` is written last, once its kiosk starts: that file is what « installed »
means. A failed build removes its folder; one interrupted harder (power cut) has no ``COMPLETE`` and
is rebuilt from scratch by the next install.

Offline (``no_deps``): the virtualenv sees the system's site-packages, plus those of the Python
running kiosk-provision when it is itself a virtualenv (a ``.pth`` naming them), and pip installs only
the kiosk, with no index. That keeps a test install to seconds and lets a
technician install a release on a terminal without network.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from provisioning.wheel_build import build_wheel

COMPLETE = "COMPLETE"
VENV = "venv"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")


class BuildError(Exception):
    """The release could not be built; the message is one line for the technician."""


@dataclass(frozen=True)
class Source:
    path: Path
    version: str

    @property
    def is_wheel(self) -> bool:
        return self.path.suffix == ".whl"


def read_source(path: Path, version: str | None = None) -> Source:
    """A wheel (``kiosk-1.2.0-py3-none-any.whl``) or a source folder with a pyproject.toml."""
    if not path.exists():
        raise BuildError(f"{path}: no such wheel or folder")
    if path.is_file():
        if path.suffix != ".whl" or not path.name.startswith("kiosk-"):
            raise BuildError(f"{path.name}: not a kiosk wheel (expected kiosk-VERSION-py3-none-any.whl)")
        found = path.name.split("-")[1]
    else:
        try:
            project = tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))["project"]
            found = str(project["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            raise BuildError(f"{path}: not a kiosk source folder (no readable pyproject.toml)") from None
        if project.get("name") != "kiosk":
            raise BuildError(f"{path}: pyproject.toml is not the kiosk's")
    version = version or found
    if not _VERSION.match(version):
        raise BuildError(f"{version!r} is not a release name (letters, digits, '.', '+', '_', '-')")
    return Source(path.resolve(), version)


def is_installed(release: Path) -> bool:
    return (release / COMPLETE).is_file()


def _run(command: list[str], what: str) -> None:
    # Without PYTHONPATH: the release's own code must be what starts, not the caller's checkout.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900, env=env)
    if done.returncode != 0:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        raise BuildError(f"{what} failed: {lines[-1].strip() if lines else f'exit {done.returncode}'}")


def _parent_site_packages() -> list[str]:
    """The running Python's site-packages when it is a virtualenv (not the base interpreter's)."""
    if sys.prefix == sys.base_prefix:
        return []
    return [p for p in site.getsitepackages() if Path(p).is_dir()]


def build_release(releases: Path, source: Source, *, no_deps: bool) -> Path:
    """Build ``releases/<version>`` and return it; raises BuildError and leaves nothing behind."""
    final = releases / source.version
    releases.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(final, ignore_errors=True)   # an earlier build that was interrupted (no COMPLETE)
    try:
        venv = final / VENV
        command = [sys.executable, "-m", "venv", "--without-pip", str(venv)]
        if no_deps:
            command.insert(3, "--system-site-packages")
        _run(command, "creating the virtualenv")
        python = venv / "bin" / "python"
        if no_deps:
            purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                     capture_output=True, text=True, check=True).stdout.strip()
            Path(purelib, "kiosk-provision-offline.pth").write_text(
                "".join(f"{p}\n" for p in _parent_site_packages()), encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="kiosk-build-") as tmp:
            # a source folder becomes a wheel first (provisioning.wheel_build: no build backend needed)
            target = source.path if source.is_wheel else build_wheel(source.path, Path(tmp), source.version)
            # pip of the running Python installs into the release's virtualenv (--python: pip >= 22.3)
            pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                   "--disable-pip-version-check", "--no-warn-script-location"]
            if no_deps:
                # the running kiosk may be visible through the parent site-packages (an editable
                # checkout): install this release anyway rather than call it « already satisfied »
                pip += ["--no-deps", "--no-index", "--ignore-installed"]
            _run([*pip, str(target)], "installing the kiosk into its virtualenv")
        _run([str(venv / "bin" / "kiosk"), "--help"], "starting the installed kiosk")
        (final / COMPLETE).write_text(source.version + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    return final
