"""`kiosk screenshots` renders every screen state to a PNG of the asked size."""

from __future__ import annotations

import os
import subprocess
import sys

import pygame

from kiosk.devtools.screenshots import STATES
from tests.conftest import REPO


def test_screenshots_command_writes_every_state(tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env.pop("KIOSK_CONFIG", None)
    out = tmp_path / "shots"
    result = subprocess.run([sys.executable, "-m", "kiosk", "screenshots", "--out", str(out), "--size", "1920x1080",
                             "--lang", "en", "--large-text"], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=600)   # a guard against a hang, not a speed test: ~70 s in CI, more when loaded
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {f"{screen}-{state}.png" for screen, states in STATES.items() for state in states}
    assert {p.name for p in out.iterdir()} == expected
    assert f"{len(expected)} screenshots written" in result.stdout
    assert "layout problem" not in result.stdout
    image = pygame.image.load(str(out / "home-default.png"))
    assert image.get_size() == (1920, 1080)
