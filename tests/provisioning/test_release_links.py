"""The release links, pruning, and update/rollback's refusals (one plain line, exit 1, nothing changed)."""

from __future__ import annotations

import json
import os
import sqlite3
import sys

import pytest
from release_support import write_config

from offline_cache.db import open_cache
from offline_cache.migrations import CURRENT_VERSION, OUTBOX_STEPS
from provisioning import cli, release
from provisioning.cache_backup import BackupError
from provisioning.common import Paths
from provisioning.release import linked_version, point, previous_link, prune
from provisioning.service_control import DirectService, Policy


def releases(paths: Paths, *versions: str) -> None:
    for version in versions:
        (paths.releases / version / "venv").mkdir(parents=True)
        (paths.releases / version / "COMPLETE").write_text(version + "\n")


def run(paths: Paths, *args: str, capsys) -> tuple[int, dict[str, object]]:
    code = cli.main([*args, "--root", str(paths.root), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_links_are_relative_and_switched_whole(tmp_path):
    paths = Paths(tmp_path)
    releases(paths, "1.0.0", "1.1.0")
    point(paths.current, "1.0.0")
    point(paths.current, "1.1.0")
    assert os.readlink(paths.current) == "releases/1.1.0" and linked_version(paths.current) == "1.1.0"
    assert sorted(p.name for p in paths.opt.iterdir()) == ["current", "releases"]   # no temporary link left
    point(previous_link(paths), None)                                               # removing a missing link
    assert linked_version(previous_link(paths)) is None


def test_only_the_current_and_previous_releases_are_kept(tmp_path):
    paths = Paths(tmp_path)
    releases(paths, "1.0.0", "1.1.0", "1.2.0")
    (paths.releases / ".1.3.0.partial").mkdir()         # an interrupted build
    point(paths.current, "1.2.0")
    point(previous_link(paths), "1.1.0")
    assert prune(paths) == ["1.0.0"]
    assert sorted(p.name for p in paths.releases.iterdir()) == ["1.1.0", "1.2.0"]


def test_update_before_any_install_says_what_to_do(tmp_path, capsys):
    paths = Paths(tmp_path)
    code, out = run(paths, "update", str(tmp_path / "kiosk-9.0.0-py3-none-any.whl"), capsys=capsys)
    assert code == 1 and out["changed"] is False
    assert out["problems"] == [f"update: no current release in {paths.opt}: run kiosk-provision install first"]


def test_update_with_a_release_that_is_not_there(tmp_path, capsys):
    paths = Paths(tmp_path)
    write_config(paths)
    releases(paths, "1.0.0")
    point(paths.current, "1.0.0")
    missing = tmp_path / "nowhere"
    code, out = run(paths, "update", str(missing), capsys=capsys)
    assert (code, out["problems"]) == (1, [f"update: release not installed: {missing}: no such wheel or folder"])
    assert linked_version(paths.current) == "1.0.0"


def test_rollback_without_a_previous_release(tmp_path, capsys):
    paths = Paths(tmp_path)
    releases(paths, "1.0.0")
    point(paths.current, "1.0.0")
    code, out = run(paths, "rollback", capsys=capsys)
    assert (code, out["problems"]) == (1, [f"rollback: no previous release to go back to in {paths.opt}"])
    assert linked_version(paths.current) == "1.0.0"


def test_bad_usage_is_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["update", "--root", str(tmp_path), "--settle", "soon"])
    assert exit_.value.code == 2
    assert "invalid float value: 'soon'" in capsys.readouterr().err


READY = ("import os, socket, time\n"
         "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
         "s.sendto(b'READY=1', '\\0' + os.environ['NOTIFY_SOCKET'][1:])\n"
         "while True: time.sleep(0.05)\n")


def test_a_rollback_refused_for_the_cache_leaves_the_kiosk_running_as_it_was(tmp_path):
    paths = Paths(tmp_path / "root")
    write_config(paths)
    for version in ("1.0.0", "1.1.0"):
        python = paths.releases / version / "venv" / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text(f"#!/bin/sh\necho {CURRENT_VERSION} {OUTBOX_STEPS[-1][0]}\n")   # release.schema_of's answer
        python.chmod(0o755)
    point(paths.current, "1.1.0")
    point(previous_link(paths), "1.0.0")
    cache = paths.state / "cache.sqlite3"
    open_cache(cache).close()
    conn = sqlite3.connect(cache)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")   # migrated by 1.1.0, and no backup kept
    conn.commit()
    conn.close()
    control = DirectService(paths.run_dir / "service", [sys.executable, "-c", READY], env={"PATH": "/usr/bin:/bin"},
                            policy=Policy(restart_s=0.1, start_timeout_s=5, stop_timeout_s=2, watchdog_s=0))
    control.start()
    try:
        assert control.wait_ready(5) is None
        with pytest.raises(BackupError, match="no backup of an older cache is kept"):
            release.rollback(paths, control, ready_timeout_s=5, settle_s=0)
        assert control.wait_ready(5) is None and control.is_active()
        assert (linked_version(paths.current), linked_version(previous_link(paths))) == ("1.1.0", "1.0.0")
    finally:
        control.stop()


def test_an_invalid_configuration_stops_update_before_anything_changes(tmp_path, capsys):
    paths = Paths(tmp_path / "root")
    write_config(paths)
    paths.config.write_text(paths.config.read_text().replace('profile = "street"', 'profile = "kiosque"'))
    releases(paths, "1.0.0")
    point(paths.current, "1.0.0")
    code, out = run(paths, "update", str(tmp_path / "kiosk-9.0.0-py3-none-any.whl"), capsys=capsys)
    assert code == 1 and out["changed"] is False
    [problem] = out["problems"]
    assert problem.startswith(f"update: {paths.config} is not valid: ") and "profile" in problem
    assert not (paths.releases / "9.0.0").exists() and linked_version(paths.current) == "1.0.0"
