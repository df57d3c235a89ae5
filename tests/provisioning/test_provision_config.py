"""`kiosk-provision config` over SSH: comment-keeping edits, validated before the file is replaced."""

from __future__ import annotations

import difflib
import subprocess
import sys

import pytest
from provision_support import REPO, provision, provision_json


@pytest.fixture
def config_file(ssh_target):
    path = ssh_target.root / "etc/kiosk/kiosk.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes((REPO / "kiosk.toml").read_bytes())
    path.chmod(0o640)
    return path


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def check_config_lines(tmp_path, text: str) -> list[str]:
    """What `kiosk check-config` says of this text, its problem lines without their indent."""
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-m", "kiosk.cli", "check-config", str(path)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    return [line.strip() for line in done.stderr.splitlines()[1:]]


def test_set_changes_one_line_keeps_comments_and_restarts(ssh_target, config_file):
    before = config_file.read_text()
    done = provision(ssh_target, "config", "set", "display.rotation", "90")
    assert done.returncode == 0, done.stderr
    after = config_file.read_text()
    assert changed_lines(before, after) == ["-rotation = 0", "+rotation = 90"]
    assert config_file.stat().st_mode & 0o777 == 0o640       # same mode as before
    assert (ssh_target.root / "run/kiosk/restart-requested").read_text() == "kiosk.service\n"
    again = provision(ssh_target, "config", "set", "display.rotation", "90")
    assert again.stdout.splitlines() == ["display.rotation is already 90: nothing to change"]


def test_bare_text_and_a_new_section(ssh_target, config_file):
    before = config_file.read_text()
    assert provision(ssh_target, "config", "set", "terminal.name", "Mairie annexe", "--no-restart").returncode == 0
    assert changed_lines(before, config_file.read_text()) == [
        '-name = "Totem de démonstration — place de la Mairie"', '+name = "Mairie annexe"']
    assert not (ssh_target.root / "run/kiosk/restart-requested").exists()
    code, answer = provision_json(ssh_target, "config", "get", "terminal.name")
    assert (code, answer["value"], answer["default"]) == (0, "Mairie annexe", False)


def test_a_bad_value_is_refused_with_check_configs_line_and_the_file_untouched(ssh_target, config_file, tmp_path):
    before = config_file.read_bytes()
    done = provision(ssh_target, "config", "set", "display.rotation", "45")
    assert done.returncode == 1
    expected = check_config_lines(tmp_path, before.decode().replace("rotation = 0", "rotation = 45"))
    assert expected == ["kiosk.toml: display.rotation = 45: must be one of 0, 90, 180, 270"]
    assert done.stderr.splitlines() == [*expected, "kiosk.toml was not changed"]
    assert config_file.read_bytes() == before
    assert sorted(p.name for p in config_file.parent.iterdir()) == ["kiosk.toml"]   # no temporary file left
    assert not (ssh_target.root / "run/kiosk/restart-requested").exists()
    quoted = provision(ssh_target, "config", "set", "display.rotation", '"90"')
    assert quoted.stderr.splitlines()[0] == ("kiosk.toml: display.rotation = '90': must be one of 0, 90, 180, 270 "
                                             "(write it without quotes)")
    assert config_file.read_bytes() == before


def test_get_shows_defaults_and_refuses_unknown_keys(ssh_target, config_file):
    text = config_file.read_text()
    config_file.write_text(text.replace("dim_after_s = 120\n", ""))
    done = provision(ssh_target, "config", "get", "idle.dim_after_s")
    assert done.stdout.splitlines() == ["120   (default: not in the file)"]
    wrong = provision(ssh_target, "config", "get", "display.rotaton")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("kiosk-provision config: display.rotaton: unknown key "
                                    "(allowed in display: size, rotation, fullscreen)")


def test_validate_says_what_check_config_says(ssh_target, config_file, tmp_path):
    ok = provision(ssh_target, "config", "validate")
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[-1] == f"{config_file}: OK"
    broken = config_file.read_text().replace('profile = "street"', 'profile = "kiosk"')
    config_file.write_text(broken)
    bad = provision(ssh_target, "config", "validate")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == check_config_lines(tmp_path, broken)


def test_edit_keeps_a_valid_change_and_refuses_an_invalid_one(ssh_target, config_file):
    before = config_file.read_bytes()
    good_editor = "sed -i s/^rotation\\ =\\ 0/rotation\\ =\\ 180/"
    done = provision(ssh_target, "config", "edit", "--no-restart", env={"EDITOR": good_editor})
    assert done.returncode == 0, done.stderr
    assert b"rotation = 180" in config_file.read_bytes()
    assert not config_file.with_name("kiosk.toml.draft").exists()

    accepted = config_file.read_bytes()
    bad_editor = "sed -i s/^rotation\\ =\\ 180/rotation\\ =\\ 33/"
    refused = provision(ssh_target, "config", "edit", env={"EDITOR": bad_editor})
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == "kiosk.toml: display.rotation = 33: must be one of 0, 90, 180, 270"
    assert config_file.read_bytes() == accepted != before
    draft = config_file.with_name("kiosk.toml.draft")
    assert b"rotation = 33" in draft.read_bytes()    # the technician's work is not lost
