"""`kiosk run --windowed` in a real X11 window (Xvfb), as `make run` does on a desktop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO


@pytest.fixture
def xvfb(tmp_path):
    """A virtual 1920×1080 X display for this test only."""
    assert shutil.which("Xvfb"), "Xvfb missing: tools/bootstrap.sh installs Debian's xvfb"
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket = f"/tmp/.X11-unix/X{display[1:]}"
        deadline = time.monotonic() + 10
        while not os.path.exists(socket):
            assert time.monotonic() < deadline, "Xvfb did not start"
            assert server.poll() is None, "Xvfb exited"
            time.sleep(0.05)
        yield display
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_windowed_run_fits_a_portrait_window_on_a_landscape_desktop(xvfb, tmp_path):
    env = dict(os.environ, DISPLAY=xvfb, PYGAME_HIDE_SUPPORT_PROMPT="1")
    for key in ("SDL_VIDEODRIVER", "NOTIFY_SOCKET", "WATCHDOG_USEC", "KIOSK_CONFIG"):
        env.pop(key, None)
    shot = tmp_path / "live.png"
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--demo", "--windowed", "--exit-after-first-frame",
                             "--live-screenshot", str(shot)], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready in" in result.stdout
    import pygame

    picture = pygame.image.load(str(shot))
    w, h = picture.get_size()
    # 1080×1920 does not fit on 1080 lines: the window keeps the shape, 90 % of the desktop height.
    assert h == round(1920 * 0.9 * 1080 / 1920) and abs(w / h - 1080 / 1920) < 0.01
