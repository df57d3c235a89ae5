"""The failsafe: a screen's exception never ends the app (like pibooth's failsafe state).

The traceback goes to the log, what the person typed is dropped, and an
apology screen is shown that returns home by itself. If even that screen
fails, a plain message is drawn straight on the display and home is tried
again a little later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from kiosk.shell.host import ShellHost

log = logging.getLogger(__name__)

RECOVER_AFTER_S = 10.0   # how long the plain message stays when even the apology screen failed


class Failsafe:
    def __init__(self, app: ShellHost) -> None:
        self.app = app
        self.recover_at = 0.0

    def guard(self, fn: Callable[..., object], *args: object) -> None:
        """Run ``fn``; if it raises, show the apology instead of dying."""
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001 - the failsafe's whole point
            self.catch(exc)

    def catch(self, exc: BaseException) -> None:
        app = self.app
        screen = app.nav.current
        log.error("screen %s failed; showing the apology screen", getattr(screen, "name", "?"),
                  exc_info=(type(exc), exc, exc.__traceback__))
        app.errors.append(exc)
        from screens.shell.failsafe import FailsafeScreen

        app.pointer.reset()
        app.visit.fields.clear()
        app.visit.drafts.clear()
        try:
            app.apply_settings(rebuild=False)
            app.nav.reset([app.home_screen(), FailsafeScreen(app)])
        except Exception as inner:  # even the apology failed: show a plain one
            log.exception("the failsafe screen itself failed")
            app.errors.append(inner)
            app.nav.stack.clear()
            self.recover_at = app.clock.monotonic() + RECOVER_AFTER_S
            self._plain_message()

    def _plain_message(self) -> None:
        surf = self.app.display.surface
        assert surf is not None, "the display is not open"
        surf.fill((0, 0, 0))
        font = pygame.font.Font(None, max(24, surf.get_width() // 20))
        text = font.render("Service momentanément indisponible", True, (255, 255, 255))
        surf.blit(text, text.get_rect(center=surf.get_rect().center))
        self.app.display.present(None)

    @property
    def down(self) -> bool:
        """No screen at all: the plain message is showing."""
        return not self.app.nav.stack

    def recover_if_due(self) -> None:
        if self.down and self.app.clock.monotonic() >= self.recover_at:
            self.guard(self._recover)

    def _recover(self) -> None:
        self.app.nav.reset([self.app.home_screen()])

    def deadline(self) -> float | None:
        return self.recover_at if self.down else None
