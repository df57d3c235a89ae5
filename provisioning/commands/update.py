"""`kiosk-provision update RELEASE`: the new release beside the current one, health-checked, back by itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioning.common import Outcome, Paths
from provisioning.release import READY_TIMEOUT_S, SETTLE_S, Report

HELP = "install RELEASE beside the current one, switch to it, and go back by itself if it is not healthy"
DESCRIPTION = (
    "Install RELEASE (a kiosk wheel or source folder, as for install) as /opt/kiosk/releases/<version> "
    "with its own virtualenv, stop the kiosk, back up its cache, switch the 'current' link and start it. "
    "The release must send READY=1 within --ready-timeout and then run --settle seconds without a restart; "
    "otherwise the previous release, its links and a cache it can read come back by themselves, and the reason is "
    "printed (exit 1). The last two releases are kept. Running it again with the current release changes nothing.")
EXAMPLE = "kiosk-provision update /tmp/kiosk-1.5.0-py3-none-any.whl --settle 30"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("release", metavar="RELEASE", type=Path, help="a kiosk wheel or source folder")
    parser.add_argument("--version", dest="release_version", metavar="VERSION",
                        help="release name (default: the version its pyproject.toml declares)")
    parser.add_argument("--no-deps", action="store_true",
                        help="offline: install only the kiosk; its dependencies come from the system's "
                             "site-packages and those of the Python running kiosk-provision")
    add_health_arguments(parser)


def add_health_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ready-timeout", type=float, default=READY_TIMEOUT_S, metavar="SECONDS",
                        help=f"how long the release may take to send READY=1 (default {READY_TIMEOUT_S:g})")
    parser.add_argument("--settle", type=float, default=SETTLE_S, metavar="SECONDS",
                        help=f"how long it must then run without a restart (default {SETTLE_S:g})")


def outcome_of(report: Report) -> Outcome:
    out = Outcome(data={"changed": report.changed, "current": report.current, "previous": report.previous,
                        "removed": report.removed, "steps": report.lines})
    for line in report.lines:
        out.say(line)
    if report.problem:
        out.problem(report.problem)
    return out


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    from provisioning import cache_backup, release
    from provisioning.service_control import ServiceError, for_paths

    try:
        report = release.update(paths, args.release, for_paths(paths), version=args.release_version,
                                no_deps=args.no_deps, ready_timeout_s=args.ready_timeout, settle_s=args.settle)
    except (release.ReleaseError, ServiceError, cache_backup.BackupError) as err:
        out = Outcome(data={"changed": False})
        out.problem(f"update: {err}")
        return out
    return outcome_of(report)
