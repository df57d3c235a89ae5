"""`kiosk soak`: a short run through the command line (the long ones are run by hand, their figures
are in the README), and the slope it reports."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from timebase import test_now

from kiosk.devtools.soak import JUDGED_FROM, SoakReport

pytestmark = pytest.mark.reference_server     # it runs the demo, whose reference server starts at --now


def test_a_short_soak_of_the_demo_ends_without_crash_or_apology():
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    result = subprocess.run([sys.executable, "-m", "kiosk", "soak", "--events", "300", "--warmup", "100",
                             "--seed", "7", "--now", test_now().isoformat()],
                            capture_output=True, text=True, env=env, timeout=180)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    events = int(re.search(r"^events: (\d+) in", out, re.M)[1])
    assert 300 <= events < 400                     # an action may be a few events (a word typed)
    assert "crashes: 0 (goal 0)" in out and "apology screens: 0 (goal 0)" in out
    assert re.search(r"resident memory: [\d.]+ MiB after warm-up, [\d.]+ MiB at the end", out)
    assert f"not judged under {JUDGED_FROM} events" in out
    assert re.search(r"^command: kiosk soak --seed 7 --warmup 100 --size 1080x1920 --events 300 --now ", out, re.M)
    for action in ("tap_widget", "scan", "clock_jump"):
        assert re.search(rf"\b{action} \d+", out), action


def test_growth_is_the_slope_through_the_samples_not_the_two_ends():
    report = SoakReport(events=60_000, warmup_events=5_000)
    # 1 MiB per 10 000 events, with a spike at the end that two end points would take for growth
    report.samples = [(5_000 + 10_000 * i, 200_000 + 1024 * i) for i in range(6)]
    report.samples.append((60_000, 200_000 + 1024 * 5 + 2048))
    assert 0.9 < report.growth_per_10k_mib < 1.5
    assert report.growth_judged
    report.crashes.append("Traceback …")
    assert not report.ok
