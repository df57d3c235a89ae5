"""`kiosk-provision install` over SSH into a target root: plan, fresh install, idempotence, refusals."""

from __future__ import annotations

import json
import os
import time

from provision_support import REPO, provision, provision_json


def tree(root):
    """Every path under root with its kind, mode, size and mtime: what 'changes nothing' compares."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return found


def test_check_prints_the_plan_and_changes_nothing(ssh_target):
    done = provision(ssh_target, "install", "--no-deps", "--check")
    assert done.returncode == 0, done.stderr
    assert "plan (nothing changed, --check):" in done.stdout
    assert "release 0.1.0 with its virtualenv" in done.stdout
    assert "record user kiosk and groups input, lp, dialout, video" in done.stdout
    assert tree(ssh_target.root) == {}


def test_fresh_install_then_a_second_run_changes_nothing(ssh_target):
    root = ssh_target.root
    started = time.monotonic()
    code, answer = provision_json(ssh_target, "install", "--no-deps")
    elapsed = time.monotonic() - started
    print(f"\nfresh install over ssh (offline, --no-deps): {elapsed:.2f} s")
    assert code == 0, answer
    assert answer["version"] == "0.1.0"
    assert len(answer["changed"]) == 8
    assert os.readlink(root / "opt/kiosk/current") == "releases/0.1.0"
    release = root / "opt/kiosk/releases/0.1.0"
    assert (release / "COMPLETE").is_file()
    assert (root / "etc/kiosk/kiosk.toml").read_bytes() == (REPO / "kiosk.toml").read_bytes()
    assert (root / "etc/systemd/system/kiosk.service").read_bytes() == (REPO / "systemd/kiosk.service").read_bytes()
    assert (root / "etc/udev/rules.d/70-kiosk-devices.rules").is_file()
    assert (root / "var/lib/kiosk").stat().st_mode & 0o777 == 0o700
    accounts = json.loads((root / "etc/kiosk/accounts.json").read_text())
    assert accounts["user"] == "kiosk" and accounts["groups"] == ["input", "lp", "dialout", "video"]
    # the release's own virtualenv runs its own kiosk, which accepts the installed configuration
    checked = ssh_target.run([str(root / "opt/kiosk/current/venv/bin/kiosk"), "check-config",
                              str(root / "etc/kiosk/kiosk.toml")])
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip().endswith(": OK")
    imported = ssh_target.run(["sh", "-c", f"cd / && {release}/venv/bin/python -c "
                                           "'import kiosk; print(kiosk.__file__)'"])
    assert imported.stdout.strip().startswith(str(release)), imported

    before = tree(root)
    again = provision(ssh_target, "install", "--no-deps")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"already installed: nothing to change ({root})"
    assert tree(root) == before
    code, answer = provision_json(ssh_target, "install", "--no-deps", "--check")
    assert (code, answer["planned"]) == (0, [])


def test_an_invalid_configuration_is_refused_before_any_change(ssh_target, tmp_path):
    bad = tmp_path / "town.toml"
    bad.write_text((REPO / "kiosk.toml").read_text().replace("rotation = 0", "rotation = 45"))
    done = provision(ssh_target, "install", "--no-deps", "--config-from", str(bad))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "kiosk.toml: display.rotation = 45: must be one of 0, 90, 180, 270",
        "nothing was changed",
    ]
    assert tree(ssh_target.root) == {}


def test_an_interrupted_build_is_redone(ssh_target):
    assert provision(ssh_target, "install", "--no-deps").returncode == 0
    release = ssh_target.root / "opt/kiosk/releases/0.1.0"
    (release / "COMPLETE").unlink()          # as if the power went off before the end
    (release / "venv/bin/kiosk").unlink()
    done = provision(ssh_target, "install", "--no-deps")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"done: release 0.1.0 with its virtualenv in {release}"]
    assert (release / "venv/bin/kiosk").is_file() and (release / "COMPLETE").is_file()


def test_install_does_not_switch_releases(ssh_target):
    assert provision(ssh_target, "install", "--no-deps").returncode == 0
    done = provision(ssh_target, "install", "--no-deps", "--version", "0.2.0")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == ("release 0.1.0 is the current one; to switch to 0.2.0, "
                                           f"run: kiosk-provision update {REPO}")
    assert not (ssh_target.root / "opt/kiosk/releases/0.2.0").exists()


def test_a_source_that_is_not_the_kiosk(ssh_target, tmp_path):
    wheel = tmp_path / "other-1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    done = provision(ssh_target, "install", "--no-deps", "--source", str(wheel))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "other-1.0-py3-none-any.whl: not a kiosk wheel (expected kiosk-VERSION-py3-none-any.whl)",
        "nothing was changed",
    ]
    missing = provision(ssh_target, "install", "--source", str(tmp_path / "nowhere"))
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[0] == f"{tmp_path / 'nowhere'}: no such wheel or folder"
