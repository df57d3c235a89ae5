"""`kiosk-provision rollback`: back to the previous release, with a cache it can read."""

from __future__ import annotations

import argparse

from provisioning.commands.update import add_health_arguments, outcome_of
from provisioning.common import Outcome, Paths

HELP = "go back to the previous release (the one the last update left)"
DESCRIPTION = (
    "Stop the kiosk, switch the 'current' link back to the previous release and start it; the release left "
    "becomes the previous one, so a second rollback returns to it. If the newer release had migrated the cache "
    "beyond what the previous one reads, the cache saved before the update comes back with the newer outbox in it: "
    "no citizen action is lost or sent twice. Exit 1 if there is no previous release or it does not come up healthy.")
EXAMPLE = "kiosk-provision rollback --json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_health_arguments(parser)


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    from provisioning import cache_backup, release
    from provisioning.service_control import ServiceError, for_paths

    try:
        report = release.rollback(paths, for_paths(paths), ready_timeout_s=args.ready_timeout, settle_s=args.settle)
    except (release.ReleaseError, ServiceError, cache_backup.BackupError) as err:
        out = Outcome(data={"changed": False})
        out.problem(f"rollback: {err}")
        return out
    return outcome_of(report)
