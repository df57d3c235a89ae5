"""The command line's contract over SSH: help with an example, exit 2 for bad usage, the table of commands."""

from __future__ import annotations

import pytest
from provision_support import provision

from provisioning.cli import COMMANDS


def test_help_lists_every_command(ssh_target):
    done = provision(ssh_target, "--help", root=False)
    assert done.returncode == 0, done.stderr
    for name in COMMANDS:
        assert name in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_has_an_example(ssh_target, name):
    done = provision(ssh_target, name, "--help", root=False)
    assert done.returncode == 0, done.stderr
    assert f"example:\n  kiosk-provision {name}" in done.stdout


def test_bad_usage_exits_2_with_one_line(ssh_target):
    done = provision(ssh_target, "no-such-command")
    assert done.returncode == 2
    assert "invalid choice: 'no-such-command'" in done.stderr


def test_the_server_refuses_an_unknown_key(sshd_server, tmp_path):
    """The harness is strict: a host key that does not match known_hosts stops the connection."""
    target = sshd_server.target(tmp_path)
    forged = tmp_path / "known_hosts"
    forged.write_text(f"[127.0.0.1]:{sshd_server.port} ssh-ed25519 "
                      "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n")
    sshd_server_copy = type(sshd_server)(sshd_server.folder, sshd_server.port, sshd_server.user,
                                         sshd_server.identity, forged, sshd_server.process)
    done = sshd_server_copy.target(tmp_path).run("true")
    assert done.returncode == 255
    assert "host key" in done.stderr.lower()
    assert target.run("true").returncode == 0


def test_ansible_reaches_the_target_with_the_inventory_variables(ssh_target, tmp_path):
    """The harness's inventory data is enough for Ansible (the fleet tests build on it)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {"hosts": {"terminal-1": ssh_target.inventory_vars()}}}))
    ansible = Path(sys.executable).parent / "ansible"
    done = subprocess.run([str(ansible), "all", "-i", str(inventory), "-m", "ansible.builtin.ping"],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "ANSIBLE_HOST_KEY_CHECKING": "True",
                               "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
                               "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible-remote"), "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"ping": "pong"' in done.stdout
