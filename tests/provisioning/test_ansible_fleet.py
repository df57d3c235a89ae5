"""The fleet playbook (provisioning/ansible) with the real ansible-playbook over real SSH.

Each « terminal » is a target root behind the loopback sshd of tests/sshd.py; several of them
make a fleet of two sites with street and counter terminals. The role drives the on-terminal
`kiosk-provision` of this checkout; its kiosks really start (direct service) for the update's
health check. Run as a script to time the playbook for 1 and 10 targets:
``PYTHONPATH=$PWD python tests/provisioning/test_ansible_fleet.py 1 10``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from release_support import IMPORT_ERROR, REPO, make_release, service, write_config
from sshd import SshServer, start_sshd
from timebase import test_now

from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server
from provisioning import release
from provisioning.common import Paths
from provisioning.wheel_build import build_wheel

ANSIBLE = REPO / "provisioning" / "ansible"
VENV_BIN = Path(sys.executable).parent
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
KINDS = ("street", "street", "counter")   # per site, in turn
SITES = ("site_mairie", "site_annexe")


class Fleet:
    """Target roots, their inventory, and the wheels of the releases to roll out."""

    def __init__(self, server: SshServer, work: Path, size: int, town: tuple[str, Path, ManualClock]) -> None:
        """``town``: the reference server's URL, database and clock: each terminal gets its own code."""
        base_url, town_db, clock = town
        self.server, self.work = server, work
        self.hosts = [f"borne-{i:02d}" for i in range(1, size + 1)]
        self.paths = {host: Paths(work / host) for host in self.hosts}
        self.wheels: dict[str, Path] = {}
        self.codes: list[str] = []
        self.inventory = work / "inventory.yml"
        groups: dict[str, dict[str, dict[str, object]]] = {}
        for i, host in enumerate(self.hosts):
            paths = self.paths[host]
            paths.root.mkdir()
            template = work / f"{host}.toml"            # its paths inside the target root
            write_config(paths, base_url)
            template.write_bytes(paths.config.read_bytes())
            paths.config.unlink()
            target = server.target(paths.root)
            variables: dict[str, object] = {**target.inventory_vars(), "kiosk_config_template": str(template),
                                             "kiosk_host_settings": {"terminal.id": host},
                                             "kiosk_enrolment_code": admin.create_enrolment_code(town_db, clock)}
            self.codes.append(str(variables["kiosk_enrolment_code"]))
            groups.setdefault(KINDS[i % len(KINDS)], {})[host] = variables
            groups.setdefault(SITES[i % len(SITES)], {})[host] = {}
        kinds = {kind: {"hosts": groups.get(kind, {}), "vars": {"kiosk_kind_settings": {"terminal.profile": kind}}}
                 for kind in ("street", "counter")}
        sites = {site: {"hosts": groups.get(site, {}), "vars": {"kiosk_site_settings": {
            "location.address": f"{n} place de la Mairie, 49170 Saint-Clément-des-Vignes"}}}
            for n, site in enumerate(SITES, start=1)}
        fleet_vars = {"kiosk_provision": [sys.executable, "-m", "provisioning.cli"],
                      "kiosk_provision_environment": {"PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"},
                      "kiosk_offline": True,
                      # the terminal's clock for the enrolment's check: the server's test instant
                      "kiosk_enroll_extra_args": ["--now", clock.now.isoformat()],
                      "kiosk_ready_timeout_s": 40, "kiosk_settle_s": 1,
                      # a target root has no display, no NTP, no devices: its self-test is shown, not enforced
                      "kiosk_check_must_pass": False}
        self.inventory.write_text(json.dumps({"all": {"children": {
            "kiosks": {"children": kinds, "vars": fleet_vars}, **sites}}}))

    def wheel(self, version: str, *patches: dict[str, tuple[str, str]]) -> Path:
        if version not in self.wheels:
            tree = make_release(self.work, version, *patches)
            self.wheels[version] = build_wheel(tree, self.work / "dist", version)
        return self.wheels[version]

    def play(self, version: str, *extra: str, batches: tuple[int | str, ...] = (1, "100%")
             ) -> tuple[subprocess.CompletedProcess[str], dict[str, tuple[int, int, int]]]:
        """ansible-playbook site.yml with this release; returns the run and {host: (ok, changed, failed)}."""
        env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_HOME": str(self.work / "ansible-home"), "ANSIBLE_FORKS": "10",
               "ANSIBLE_RETRY_FILES_ENABLED": "0"}
        env.pop("PYTHONPATH", None)
        done = subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", str(self.inventory), str(ANSIBLE / "site.yml"),
                               "-e", json.dumps({"kiosk_release_wheel": str(self.wheel(version)),
                                                 "kiosk_batches": list(batches)}),
                               *extra], capture_output=True, text=True, env=env, timeout=600, cwd=ANSIBLE, check=False)
        recap = {m[1]: (int(m[2]), int(m[3]), int(m[5])) for m in RECAP.finditer(done.stdout)}
        return done, recap

    def current(self, host: str) -> str | None:
        return release.linked_version(self.paths[host].current)

    def stop(self) -> None:
        for paths in self.paths.values():
            service(paths).stop()


@contextmanager
def town(folder: Path) -> Iterator[tuple[str, Path, ManualClock]]:
    clock = ManualClock(test_now())
    with running_server(folder / "town.sqlite3", clock) as base:
        yield base + "/", folder / "town.sqlite3", clock


@pytest.fixture
def fleet(sshd_server: SshServer, tmp_path: Path) -> Iterator[Fleet]:
    with town(tmp_path) as server:
        fleet = Fleet(sshd_server, tmp_path, 3, server)
        try:
            yield fleet
        finally:
            fleet.stop()


def test_the_role_passes_ansible_lint_with_the_production_profile():
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    done = subprocess.run([str(VENV_BIN / "ansible-lint"), "--profile", "production", "--offline"], cwd=ANSIBLE,
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Profile 'production' was required, and it passed" in done.stdout + done.stderr


@pytest.mark.reference_server   # the terminals enrol with it
@pytest.mark.fleet
@pytest.mark.timeout(480)
def test_install_then_nothing_changes_then_a_rollout_in_batches_stops_at_the_first_failed_health_check(fleet):
    # First run: release, install, configuration from the inventory, enrolment (no kiosk runs yet).
    done, recap = fleet.play("1.0.0", batches=("100%",))
    assert done.returncode == 0, done.stdout[-3000:]
    assert sorted(recap) == fleet.hosts and all(changed > 0 and failed == 0 for _ok, changed, failed in recap.values())
    for i, host in enumerate(fleet.hosts):
        assert fleet.current(host) == "1.0.0"
        text = fleet.paths[host].config.read_text()
        assert f'id = "{host}"' in text and f'profile = "{KINDS[i % 3]}"' in text
        assert "# " in text                            # the documented file's comments are kept
        credentials = fleet.paths[host].state / "credentials.json"
        assert credentials.stat().st_mode & 0o777 == 0o600
    assert "Enrol the terminal" in done.stdout and not any(code in done.stdout for code in fleet.codes)  # no_log

    # Idempotent: a second run and a --check --diff run change nothing.
    again, recap = fleet.play("1.0.0", batches=("100%",))
    assert again.returncode == 0, again.stdout[-3000:]
    assert {host: changed for host, (_ok, changed, _failed) in recap.items()} == dict.fromkeys(fleet.hosts, 0)
    checked, recap = fleet.play("1.0.0", "--check", "--diff", batches=("100%",))
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert {host: changed for host, (_ok, changed, _failed) in recap.items()} == dict.fromkeys(fleet.hosts, 0)

    # A good release: one terminal first, then the two others, each health-checked.
    done, recap = fleet.play("1.1.0")
    assert done.returncode == 0, done.stdout[-3000:]
    assert [fleet.current(host) for host in fleet.hosts] == ["1.1.0"] * 3
    assert done.stdout.count("TASK [kiosk : Update the terminal to the release]") == 2   # two batches
    assert all(service(paths).is_active() for paths in fleet.paths.values())

    # A release that cannot start: the first terminal goes back by itself, and the rollout stops there.
    broken = fleet.wheel("1.2.0", IMPORT_ERROR)
    failed, recap = fleet.play("1.2.0")
    assert failed.returncode != 0
    first, *others = fleet.hosts
    assert set(recap) == {first} and recap[first][2] == 1, failed.stdout[-3000:]
    assert "update to 1.2.0 failed: the kiosk stopped before it was ready" in failed.stdout
    assert "back on 1.1.0" in failed.stdout
    assert [fleet.current(host) for host in fleet.hosts] == ["1.1.0"] * 3
    for host in others:                              # never reached: not even the wheel was copied
        assert not (fleet.paths[host].root / "var" / "tmp" / "kiosk-releases" / broken.name).exists()
    assert service(fleet.paths[first]).is_active()   # the first one runs its previous release again


def measure(sizes: list[int]) -> None:
    """Time a first run (install, configure) and an update run for fleets of these sizes."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-fleet-measure-"))
    server = start_sshd(folder / "sshd")
    try:
        for size in sizes:
            (folder / f"fleet-{size}").mkdir()
            with town(folder / f"fleet-{size}") as reference:
                measure_one(server, folder / f"fleet-{size}", size, reference)
    finally:
        server.stop()


def measure_one(server: SshServer, folder: Path, size: int, reference: tuple[str, Path, ManualClock]) -> None:
    fleet = Fleet(server, folder, size, reference)
    fleet.wheel("1.0.0")
    fleet.wheel("1.1.0")
    try:
        for version, what in (("1.0.0", "install, configure, enrol"), ("1.0.0", "second run (nothing to do)"),
                              ("1.1.0", "update, health-checked, batches 1/100%")):
            t0 = time.monotonic()
            done, recap = fleet.play(version)
            elapsed = time.monotonic() - t0
            assert done.returncode == 0, done.stdout[-2000:]
            print(f"{size:>3} target(s): {what:<45} {elapsed:6.1f} s "
                  f"(changed: {sum(c for _o, c, _f in recap.values())})", flush=True)
    finally:
        fleet.stop()


if __name__ == "__main__":
    measure([int(n) for n in sys.argv[1:]] or [1, 10])
