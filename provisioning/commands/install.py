"""`kiosk-provision install`: the kiosk user, a versioned release, kiosk.toml, the unit and udev rules.

Each part is a step that first looks at the target and says whether it would change anything; ``--check``
stops there and prints the plan, a normal run applies only the steps that differ. So a second run
changes nothing and says so, and a run interrupted half-way is finished by the next one.

The order matters for « nothing half-done »: everything that may be refused (the source, the
configuration, a different current release) is checked before the first change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from provisioning.common import GROUPS, USER, Outcome, Paths, UsageError, atomic_write

HELP = "install or repair this terminal (user, release, configuration, unit, udev rules)"
DESCRIPTION = ("Install or repair this terminal: user kiosk and its groups (input, lp, dialout, video), a release "
               "under /opt/kiosk/releases/<version> with its own virtualenv behind the 'current' link, "
               "/etc/kiosk/kiosk.toml (validated first; an existing one is kept), the systemd unit and udev rules, "
               "the state folder /var/lib/kiosk. Running it again changes nothing. Under --root other than /, the "
               "user and groups are not created on this machine: they are recorded in "
               "PREFIX/etc/kiosk/accounts.json, files keep the owner running the command, and systemd and udev "
               "are not reloaded.")
EXAMPLE = "kiosk-provision install --source /tmp/kiosk-1.4.0-py3-none-any.whl --config-from town.toml --check"
CHECKOUT = Path(__file__).resolve().parents[2]   # the source folder this kiosk-provision runs from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", metavar="WHEEL|DIR", type=Path,
                        help="what to install: a kiosk wheel or a source folder (default: the source folder this "
                             "kiosk-provision comes from, if it is one)")
    parser.add_argument("--version", dest="release_version", metavar="VERSION",
                        help="release name (default: the version the source declares)")
    parser.add_argument("--config-from", metavar="TOML", type=Path,
                        help="kiosk.toml to install when the terminal has none (default: the documented one "
                             "of the source)")
    parser.add_argument("--check", action="store_true", help="print the plan and change nothing")
    parser.add_argument("--no-deps", action="store_true",
                        help="offline: install only the kiosk; its dependencies come from the system's "
                             "site-packages and those of the Python running kiosk-provision")


@dataclass
class Step:
    """One part of the install: ``what`` it does, whether it is ``needed``, and how to ``apply`` it."""

    what: str
    needed: bool
    apply: Callable[[], None]


def _files_dir(source: Path | None) -> Path:
    """Where systemd/ and kiosk.toml come from: the source folder, else this checkout."""
    if source is not None and source.is_dir() and (source / "systemd" / "kiosk.service").is_file():
        return source
    return CHECKOUT


def _differs(path: Path, data: bytes, mode: int) -> bool:
    try:
        return path.read_bytes() != data or (path.stat().st_mode & 0o777) != mode
    except OSError:
        return True


def _copy_step(what: str, target: Path, data: bytes, mode: int = 0o644) -> Step:
    return Step(what, _differs(target, data, mode), lambda: atomic_write(target, data, mode))


def _folder_step(what: str, folder: Path, mode: int, paths: Paths, owner: str | None = None) -> Step:
    def wrong() -> bool:
        try:
            return (folder.stat().st_mode & 0o777) != mode or not folder.is_dir()
        except OSError:
            return True

    def apply() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(mode)
        if owner and paths.real_root:
            shutil.chown(folder, owner, owner)

    return Step(what, wrong(), apply)


# --- accounts ----------------------------------------------------------------------------

def _account_step(paths: Paths) -> Step:
    if not paths.real_root:
        wanted = json.dumps({"user": USER, "home": "/var/lib/kiosk", "shell": "/usr/sbin/nologin",
                             "system": True, "groups": list(GROUPS)}, indent=1).encode() + b"\n"
        return _copy_step(f"record user {USER} and groups {', '.join(GROUPS)} in {paths.accounts} "
                          "(install prefix: no account is created on this machine)", paths.accounts, wanted)
    import grp
    import pwd

    missing_groups = []
    for group in (USER, *GROUPS):
        try:
            grp.getgrnam(group)
        except KeyError:
            missing_groups.append(group)
    try:
        pwd.getpwnam(USER)
        has_user = True
        member_of = {g.gr_name for g in grp.getgrall() if USER in g.gr_mem}
    except KeyError:
        has_user, member_of = False, set()
    missing_membership = [g for g in GROUPS if g not in member_of]

    def apply() -> None:
        for group in missing_groups:
            subprocess.run(["groupadd", "--system", group], check=True, capture_output=True)
        if not has_user:
            subprocess.run(["useradd", "--system", "--gid", USER, "--home-dir", "/var/lib/kiosk", "--no-create-home",
                            "--shell", "/usr/sbin/nologin", "--groups", ",".join(GROUPS), USER],
                           check=True, capture_output=True)
        elif missing_membership:
            subprocess.run(["usermod", "--append", "--groups", ",".join(missing_membership), USER],
                           check=True, capture_output=True)

    return Step(f"system user {USER} in groups {', '.join(GROUPS)}",
                bool(missing_groups or not has_user or missing_membership), apply)


# --- release -----------------------------------------------------------------------------

def _release_steps(paths: Paths, args: argparse.Namespace, out: Outcome) -> list[Step] | None:
    from provisioning.release_build import BuildError, build_release, is_installed, read_source

    source_path = args.source or (CHECKOUT if (CHECKOUT / "pyproject.toml").is_file() else None)
    if source_path is None:
        raise UsageError("say what to install: --source WHEEL or --source DIR")
    try:
        source = read_source(source_path, args.release_version)
    except BuildError as err:
        out.problem(str(err))
        return None
    release = paths.releases / source.version
    out.data["version"] = source.version
    current = os.readlink(paths.current) if paths.current.is_symlink() else None
    link = f"releases/{source.version}"
    if current is not None and current != link:
        out.problem(f"release {Path(current).name} is the current one; to switch to {source.version}, "
                    f"run: kiosk-provision update {source_path}")
        return None

    def build() -> None:
        try:
            build_release(paths.releases, source, no_deps=args.no_deps)
        except BuildError as err:
            raise StepFailed(str(err)) from None

    def switch() -> None:
        tmp = paths.current.with_name(".current.tmp")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(link)
        os.replace(tmp, paths.current)

    return [Step(f"release {source.version} with its virtualenv in {release}", not is_installed(release), build),
            Step(f"link {paths.current} -> {link}", current != link, switch)]


class StepFailed(Exception):
    """A step could not be applied; the message is one line for the technician."""


# --- configuration -----------------------------------------------------------------------

def _config_step(paths: Paths, args: argparse.Namespace, files: Path, out: Outcome) -> Step | None:
    """Keep a valid existing kiosk.toml; install a validated one where there is none."""
    from provisioning.kiosk_config import validate_text

    if paths.config.exists():
        problems = validate_text(paths.config.read_text(encoding="utf-8"), paths.config)
        for line in problems:
            out.problem(line)
        return None if problems else Step(f"configuration {paths.config} (kept)", False, lambda: None)
    origin = args.config_from or files / "kiosk.toml"
    try:
        text = origin.read_text(encoding="utf-8")
    except OSError as exc:
        out.problem(f"{origin}: cannot be read ({exc.strerror or exc})")
        return None
    problems = validate_text(text, paths.config)
    for line in problems:
        out.problem(line)
    if problems:
        return None
    return _copy_step(f"configuration {paths.config} from {origin}", paths.config, text.encode(), 0o644)


# --- systemd and udev --------------------------------------------------------------------

def _reload_services(paths: Paths) -> None:
    if not paths.real_root:
        return
    if shutil.which("systemctl") and Path("/run/systemd/system").is_dir():
        subprocess.run(["systemctl", "daemon-reload"], check=False, capture_output=True)
        subprocess.run(["systemctl", "enable", "kiosk.service"], check=False, capture_output=True)
    if shutil.which("udevadm"):
        subprocess.run(["udevadm", "control", "--reload"], check=False, capture_output=True)


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    files = _files_dir(args.source)
    steps: list[Step] = [_account_step(paths)]
    release = _release_steps(paths, args, out)
    config = _config_step(paths, args, files, out)
    if out.problems or release is None or config is None:
        out.data["changed"] = []
        out.problems.append("nothing was changed")
        return out
    unit = (files / "systemd" / "kiosk.service").read_bytes()
    rules = (files / "systemd" / "70-kiosk-devices.rules").read_bytes()
    steps += [
        _folder_step(f"folder {paths.etc}", paths.etc, 0o755, paths),
        _folder_step(f"state folder {paths.state} (kiosk only)", paths.state, 0o700, paths, owner=USER),
        *release,
        config,
        _copy_step(f"systemd unit {paths.unit}", paths.unit, unit),
        _copy_step(f"udev rules {paths.udev_rules}", paths.udev_rules, rules),
    ]
    todo = [step for step in steps if step.needed]
    out.data["check"] = bool(args.check)
    out.data["changed" if not args.check else "planned"] = [step.what for step in todo]
    if not todo:
        out.say(f"already installed: nothing to change ({paths.root})")
        out.data["changed"] = []
        return out
    if args.check:
        out.say("plan (nothing changed, --check):")
        out.lines += [f"  - {step.what}" for step in todo]
        return out
    done: list[str] = []
    for step in todo:
        try:
            step.apply()
        except (StepFailed, OSError, subprocess.CalledProcessError) as err:
            out.problem(f"{step.what}: {err}")
            out.problem("install stopped here; run it again once this is fixed: it resumes where it stopped")
            out.data["changed"] = done
            return out
        done.append(step.what)
        out.say(f"done: {step.what}")
    if any(s.what.startswith(("systemd unit", "udev rules")) for s in todo):
        _reload_services(paths)
    out.data["changed"] = done
    return out
