"""A window manager's close request (issue 17, finding 7): Alt+F4 under a window manager used to end
the kiosk « window closed » with exit status 0, which systemd's ``Restart=on-failure`` does not
restart. A terminal (full screen) ignores it and logs it; the admin's « Quitter pour la
maintenance » still stops it; a developer's window still closes."""

from __future__ import annotations

import logging
from pathlib import Path

import pygame
import pytest
from support import open_admin

from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.devtools.pilot import Pilot
from kiosk.shell.app import App

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def terminal():
    """The real app as a terminal runs it: the documented kiosk.toml (fullscreen = true)."""
    config = load_config(REPO / "kiosk.toml")
    assert config.display.fullscreen
    app = App(config, clock=ManualClock(), demo=True, size=(1080, 1920))
    app.start()
    app.running = True
    pilot = Pilot(app)
    pilot.settle()
    yield pilot
    app.stop()
    assert app.errors == []


def close_request(pilot) -> None:
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    pilot.settle()


def test_a_terminal_ignores_a_close_request_and_logs_it(terminal, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.shell.app")
    for _ in range(3):
        close_request(terminal)
    app = terminal.app
    assert app.running and not app.quitting and app.exit_code == 0
    assert terminal.screen.is_home
    assert app.close_requests_ignored == 3
    assert [r.getMessage() for r in caplog.records].count(
        "window close request ignored (3 so far): a terminal stops only from the admin screen "
        "or with systemctl stop") == 1


def test_the_admin_still_quits_for_maintenance(terminal):
    close_request(terminal)
    open_admin(terminal)
    terminal.tap("quit")                       # « Quitter pour la maintenance »
    terminal.tap("confirm-quit")
    assert terminal.app.quitting and not terminal.app.running and terminal.app.exit_code == 0


def test_a_development_window_closes(make_pilot):
    pilot = make_pilot()                       # --windowed: fullscreen = false
    pilot.app.running = True
    close_request(pilot)
    assert pilot.app.quitting and not pilot.app.running and pilot.app.exit_code == 0
