"""Releases side by side, the ``current`` link, and update / rollback with a health check.

Layout (under ``--root``)::

    /opt/kiosk/releases/<version>/   app/ (the release's code) and venv/ (its own virtualenv)
    /opt/kiosk/current  -> releases/<version>     what the service runs
    /opt/kiosk/previous -> releases/<version>     where `rollback` (or a failed update) goes back to

Both links are switched atomically (a temporary link renamed over the old one): a power cut at any
instant leaves each one pointing at a whole release. Only the releases the two links name are
kept; older ones are removed after an update came up healthy.

An update: install the new release beside the current one; stop the kiosk; back up the cache
(:mod:`provisioning.cache_backup`); point ``current`` at the new release; start; wait for
``READY=1`` and a settling time without restart (:func:`provisioning.service_control.health_check`).
If that fails, everything goes back by itself (links, cache) and the old release is started
again; the reason is one plain line. The cache rule is in :mod:`provisioning.cache_backup`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from provisioning import cache_backup
from provisioning.common import Paths
from provisioning.service_control import ServiceControl, ServiceError, health_check, kiosk_environment

PACKAGES = ("kiosk", "screens", "drivers", "offline_cache", "provisioning")
EXTRA_FILES = ("pyproject.toml", "kiosk.toml", "systemd")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
READY_TIMEOUT_S = 60.0   # the unit's TimeoutStartSec=
SETTLE_S = 20.0          # ready, then this long without a restart: a crash loop shows within it


class ReleaseError(Exception):
    """Something to fix before the release can be installed or switched (one plain line)."""


# -- the releases and their links ---------------------------------------------------------------

def previous_link(paths: Paths) -> Path:
    return paths.opt / "previous"


def linked_version(link: Path) -> str | None:
    """The release a link names, or None (no link, or a link to nothing)."""
    try:
        target = os.readlink(link)
    except OSError:
        return None
    name = Path(target).name
    return name if (link.parent / target).is_dir() else None


def point(link: Path, version: str | None) -> None:
    """Make ``link`` name ``releases/<version>`` (relative), atomically; None removes it."""
    if version is None:
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(f"releases/{version}", tmp)
    os.replace(tmp, link)
    fd = os.open(link.parent, os.O_RDONLY)
    try:
        os.fsync(fd)   # the rename itself is on disk before we start the service on it
    finally:
        os.close(fd)


def prune(paths: Paths) -> list[str]:
    """Remove releases neither ``current`` nor ``previous`` names (and leftovers of an interrupted install)."""
    keep = {linked_version(paths.current), linked_version(previous_link(paths))} - {None}
    removed = []
    if paths.releases.is_dir():
        for entry in sorted(paths.releases.iterdir()):
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
    return [name for name in removed if not name.startswith(".")]


def source_version(source: Path) -> str:
    """The version a release's ``pyproject.toml`` declares."""
    try:
        data = tomllib.loads((source / "pyproject.toml").read_text())
        version = str(data["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ReleaseError(f"{source} is not a kiosk release: no readable pyproject.toml version ({exc})") from None
    return version


def _unpacked(source: Path, scratch: Path) -> Path:
    """The release's folder: ``source`` itself, or a .tar.gz unpacked (one top folder allowed)."""
    if source.is_dir():
        return source
    if not tarfile.is_tarfile(source):
        raise ReleaseError(f"{source}: not a release folder or a .tar.gz archive")
    with tarfile.open(source) as archive:
        archive.extractall(scratch, filter="data")
    entries = list(scratch.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else scratch


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=env)
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        why = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "no message")
        raise ReleaseError(f"{what} failed: {why[:200]}")
    return done.stdout


def dependencies_dir() -> Path:
    """Where the installed kiosk's dependencies live (pygame, pydantic…): a new release's
    virtualenv reuses them, so an update needs no network and no compiler."""
    spec = find_spec("pydantic")
    if spec is None or spec.origin is None:
        raise ReleaseError("cannot find the installed dependencies (pydantic) to give to the new release")
    return Path(spec.origin).parent.parent


def stage(paths: Paths, source: Path, version: str | None = None) -> tuple[str, bool]:
    """Install ``source`` as ``releases/<version>`` unless that release is already there;
    returns (version, installed now). Built in a hidden folder, renamed when whole."""
    source = source.resolve()
    if not source.exists():
        raise ReleaseError(f"{source}: no such release folder or archive")
    with tempfile.TemporaryDirectory(prefix="kiosk-release-") as scratch:
        tree = _unpacked(source, Path(scratch))
        version = version or source_version(tree)
        if not VERSION_RE.match(version):
            raise ReleaseError(f"{version!r} is not a usable release name (letters, digits, . _ + -)")
        final = paths.releases / version
        if (final / "venv" / "bin" / "python").exists():
            return version, False
        missing = [name for name in PACKAGES if not (tree / name / "__init__.py").is_file()]
        if missing:
            raise ReleaseError(f"{source} is not a kiosk release: missing {', '.join(missing)}")
        partial = paths.releases / f".{version}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        try:
            _build(tree, partial, final)
            if final.exists():
                shutil.rmtree(final)
            os.replace(partial, final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return version, True


def _build(tree: Path, into: Path, final: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    app = into / "app"
    for name in (*PACKAGES, *EXTRA_FILES):
        item = tree / name
        if item.is_dir():
            shutil.copytree(item, app / name, ignore=ignore)
        elif item.is_file():
            app.mkdir(exist_ok=True)
            shutil.copy2(item, app / name)
    venv = into / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "creating the release's virtualenv")
    site = next((venv / "lib").glob("python*/site-packages"))
    # The release's code first, then the dependencies; both as the final paths (after the rename).
    (site / "kiosk-release.pth").write_text(f"{final / 'app'}\n")
    (site / "kiosk-dependencies.pth").write_text(f"{dependencies_dir()}\n")
    python = venv / "bin" / "python"
    for script, module in (("kiosk", "kiosk.cli"), ("kiosk-provision", "provisioning.cli")):
        path = venv / "bin" / script
        path.write_text(f"#!{final / 'venv' / 'bin' / 'python'}\nimport sys\nfrom {module} import main\n"
                        "sys.exit(main())\n")
        path.chmod(0o755)
    env = {**kiosk_environment(), "PYTHONPATH": str(app)}
    # A terminal never compiles at start (/opt is read-only there): catalogs and byte code now.
    _run([str(python), "-m", "kiosk.i18n_catalogs"], "compiling the release's translations", env)
    _run([str(python), "-m", "compileall", "-q", "-j", "0", *(str(app / name) for name in PACKAGES)],
         "byte-compiling the release", env)


def schema_of(paths: Paths, version: str) -> int:
    """The newest cache schema release ``version`` knows (asked of its own code)."""
    python = paths.releases / version / "venv" / "bin" / "python"
    out = _run([str(python), "-c", "from offline_cache.migrations import CURRENT_VERSION; print(CURRENT_VERSION)"],
               f"reading release {version}'s cache schema", kiosk_environment())
    try:
        return int(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise ReleaseError(f"release {version} did not say which cache schema it knows") from None


# -- update and rollback ----------------------------------------------------------------------------

@dataclass
class Report:
    """What happened, for the command's output (human lines and --json)."""

    changed: bool = False
    lines: list[str] = field(default_factory=list)
    problem: str | None = None
    current: str | None = None
    previous: str | None = None
    removed: list[str] = field(default_factory=list)


def _cache(paths: Paths) -> Path:
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(paths.config)
    except ConfigError as err:
        raise ReleaseError(f"{paths.config} is not valid: {'; '.join(err.problems[:3])}") from None
    return paths.inside(config.sync.cache_path)


def _backup_dir(paths: Paths) -> Path:
    return paths.state / "update-backup"


def _go_to(paths: Paths, control: ServiceControl, target: str, *, leaving: str, previous: str | None,
           ready_timeout_s: float, settle_s: float, backup_first: bool,
           log: Callable[[str], None]) -> str | None:
    """Stop, (back up,) make the cache readable by ``target``, switch links, start, health check.
    Returns None when ``target`` came up healthy, else why not (the links then name ``target``)."""
    cache = _cache(paths)
    control.stop()
    if backup_first:
        cache_backup.take(cache, _backup_dir(paths), release=leaving)
    else:
        outcome = cache_backup.make_readable(cache, _backup_dir(paths), schema_of(paths, target))
        if outcome:
            log(outcome)
    point(previous_link(paths), previous)
    point(paths.current, target)
    control.start()
    return health_check(control, ready_timeout_s, settle_s)


def update(paths: Paths, source: Path, control: ServiceControl, *, version: str | None = None,
           ready_timeout_s: float = READY_TIMEOUT_S, settle_s: float = SETTLE_S) -> Report:
    report = Report()
    old = linked_version(paths.current)
    if old is None:
        raise ReleaseError(f"no current release in {paths.opt}: run kiosk-provision install first")
    before_previous = linked_version(previous_link(paths))
    new, installed = stage(paths, source, version)
    report.current, report.previous = old, before_previous
    if new == old:
        report.lines.append(f"release {new} is already the current one: nothing to do")
        return report
    report.changed = True
    if installed:
        report.lines.append(f"release {new} installed beside {old}")
    why = _go_to(paths, control, new, leaving=old, previous=old, ready_timeout_s=ready_timeout_s,
                 settle_s=settle_s, backup_first=True, log=report.lines.append)
    if why is None:
        report.current, report.previous = new, old
        report.removed = prune(paths)
        report.lines.append(f"release {new} is running and healthy (previous: {old})")
        return report
    # Back by itself: links, cache, service; the failed release is removed.
    report.problem = f"update to {new} failed: {why}; back on {old}"
    try:
        again = _go_to(paths, control, old, leaving=new,
                       previous=before_previous if before_previous != new else None, ready_timeout_s=ready_timeout_s,
                       settle_s=0.0, backup_first=False, log=report.lines.append)
    except (ReleaseError, ServiceError, cache_backup.BackupError) as err:
        report.problem = f"update to {new} failed: {why}; going back to {old} failed too: {err}"
        return report
    if again is not None:
        report.problem += f", but it is not healthy either: {again}"
    report.current, report.previous = old, before_previous
    if before_previous == new:   # the failed release was the previous one: it is gone now
        point(previous_link(paths), None)
        report.previous = None
    shutil.rmtree(paths.releases / new, ignore_errors=True)
    return report


def rollback(paths: Paths, control: ServiceControl, *, ready_timeout_s: float = READY_TIMEOUT_S,
             settle_s: float = SETTLE_S) -> Report:
    """Back to the previous release; the one left becomes ``previous`` (a second rollback returns)."""
    report = Report()
    current, previous = linked_version(paths.current), linked_version(previous_link(paths))
    if previous is None or current is None:
        raise ReleaseError(f"no previous release to go back to in {paths.opt}")
    report.changed = True
    why = _go_to(paths, control, previous, leaving=current, previous=current, ready_timeout_s=ready_timeout_s,
                 settle_s=settle_s, backup_first=False, log=report.lines.append)
    report.current, report.previous = previous, current
    if why is None:
        report.lines.append(f"back on release {previous} (previous: {current})")
    else:
        report.problem = f"back on release {previous}, but it is not healthy: {why}"
    return report
