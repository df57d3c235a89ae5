"""Runs the udev hotplug cases (tests/umockdev_hotplug.py) in a process started under umockdev-wrapper.

Why a child process: umockdev's preload library must be in LD_PRELOAD when the process
starts, and it would redirect /sys and /dev for every other test too. The child runs
all cases once; each case is reported here under its own name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import REPO

CASES_FILE = REPO / "tests" / "umockdev_hotplug.py"
CASES = re.findall(r"^def (test_\w+)\(", CASES_FILE.read_text(), re.M)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    wrapper = shutil.which("umockdev-wrapper")
    assert wrapper, "umockdev-wrapper is missing: install the Debian package umockdev (tools/bootstrap.sh does)"
    report = tmp_path_factory.mktemp("umockdev") / "report.xml"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    try:
        run = subprocess.run([wrapper, sys.executable, str(CASES_FILE), "-q", "-o", "faulthandler_timeout=60",
                              f"--junitxml={report}"],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the umockdev cases did not finish in 180 s:\n{exc.stdout}\n{exc.stderr}")
    output = run.stdout + run.stderr
    assert report.exists(), f"the umockdev cases did not run (exit {run.returncode}):\n{output}"
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        problems = [child for child in case if child.tag in ("failure", "error", "skipped")]
        results[case.get("name")] = "\n".join(f"{p.tag}: {p.get('message')}\n{p.text or ''}" for p in problems)
    return results, output


@pytest.mark.parametrize("case", CASES)
def test_umockdev_case(outcomes, case):
    results, output = outcomes
    assert case in results, f"{case} did not run:\n{output}"
    assert results[case] == "", results[case]


def test_cases_are_found():
    assert len(CASES) >= 4
