"""Releases side by side, the ``current`` link, and update / rollback with a health check.

Layout (under ``--root``)::

    /opt/kiosk/releases/<version>/   venv/ (its own virtualenv, built like install builds it)
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
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from provisioning import cache_backup
from provisioning.common import Paths
from provisioning.service_control import ServiceControl, ServiceError, health_check, kiosk_environment

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


def stage(paths: Paths, source: Path, version: str | None = None, *, no_deps: bool = False) -> tuple[str, bool]:
    """Install ``source`` (a wheel or a source folder) as ``releases/<version>`` the way ``install``
    does (:mod:`provisioning.release_build`), unless that release is already there; returns
    (version, installed now). A release that does not even start (``kiosk --help``) is refused
    here, before anything is stopped."""
    from provisioning.release_build import BuildError, build_release, is_installed, read_source

    try:
        wanted = read_source(source, version)
        if is_installed(paths.releases / wanted.version):
            return wanted.version, False
        if wanted.version in {linked_version(paths.current), linked_version(previous_link(paths))}:
            raise ReleaseError(f"release {wanted.version} is in use but incomplete: run kiosk-provision install")
        build_release(paths.releases, wanted, no_deps=no_deps)
    except BuildError as err:
        raise ReleaseError(f"release not installed: {err}") from None
    return wanted.version, True


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    """``command``'s output; ReleaseError with its last error line if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=env)
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        why = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "no message")
        raise ReleaseError(f"{what} failed: {why[:200]}")
    return done.stdout


PROBE = ("from offline_cache import migrations as m\n"
         "print(m.CURRENT_VERSION, m.OUTBOX_STEPS[-1][0] if hasattr(m, 'OUTBOX_STEPS') else '-')")


def schema_of(paths: Paths, version: str) -> tuple[int, int | None]:
    """The newest cache schemas release ``version`` knows, asked of its own code: the catalog's,
    and its outbox file's (None: a release that keeps the outbox in its catalog)."""
    python = paths.releases / version / "venv" / "bin" / "python"
    out = _run([str(python), "-c", PROBE], f"reading release {version}'s cache schema", kiosk_environment())
    try:
        catalog, outbox = out.strip().splitlines()[-1].split()
        return int(catalog), (None if outbox == "-" else int(outbox))
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


def _go_to(paths: Paths, control: ServiceControl, cache: Path, target: str, *, leaving: str,
           previous: str | None, ready_timeout_s: float, settle_s: float, backup_first: bool,
           log: Callable[[str], None]) -> str | None:
    """Stop, (back up,) make the cache readable by ``target``, switch links, start, health check.
    Returns None when ``target`` came up healthy, else why not (the links then name ``target``)."""
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


def update(paths: Paths, source: Path, control: ServiceControl, *, version: str | None = None, no_deps: bool = False,
           ready_timeout_s: float = READY_TIMEOUT_S, settle_s: float = SETTLE_S) -> Report:
    report = Report()
    old = linked_version(paths.current)
    if old is None:
        raise ReleaseError(f"no current release in {paths.opt}: run kiosk-provision install first")
    before_previous = linked_version(previous_link(paths))
    cache = _cache(paths)   # an unreadable kiosk.toml stops us here, before anything changed
    new, installed = stage(paths, source, version, no_deps=no_deps)
    report.current, report.previous = old, before_previous
    if new == old:
        report.lines.append(f"release {new} is already the current one: nothing to do")
        return report
    report.changed = True
    if installed:
        report.lines.append(f"release {new} installed beside {old}")
    try:
        why = _go_to(paths, control, cache, new, leaving=old, previous=old, ready_timeout_s=ready_timeout_s,
                     settle_s=settle_s, backup_first=True, log=report.lines.append)
    except (ReleaseError, ServiceError, cache_backup.BackupError) as err:   # e.g. the backup: go back all the same
        why = str(err)
    if why is None:
        report.current, report.previous = new, old
        report.removed = prune(paths)
        report.lines.append(f"release {new} is running and healthy (previous: {old})")
        return report
    # Back by itself: links, cache, service; the failed release is removed.
    report.problem = f"update to {new} failed: {why}; back on {old}"
    try:
        again = _go_to(paths, control, cache, old, leaving=new,
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
    cache = _cache(paths)
    report.changed = True
    try:
        why = _go_to(paths, control, cache, previous, leaving=current, previous=current,
                     ready_timeout_s=ready_timeout_s, settle_s=settle_s, backup_first=False, log=report.lines.append)
    except (ReleaseError, ServiceError, cache_backup.BackupError):
        # Refused before the links moved (the cache could not be made readable): the kiosk
        # that was stopped for it runs again, unchanged.
        if linked_version(paths.current) == current:
            control.start()
        raise
    report.current, report.previous = previous, current
    if why is None:
        report.lines.append(f"back on release {previous} (previous: {current})")
    else:
        report.problem = f"back on release {previous}, but it is not healthy: {why}"
    return report
