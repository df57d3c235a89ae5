"""The apology shown when a screen failed; back home after 10 seconds."""

from __future__ import annotations

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Screen, ScreenHost
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget

RETURN_AFTER_S = 10.0


class FailsafeScreen(Screen):
    name = "failsafe"
    show_footer = False
    ignores_idle = True

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.deadline: float = app.clock.monotonic() + RETURN_AFTER_S

    def title(self) -> str:
        return _("Sorry, something went wrong")

    def compose(self) -> Widget:
        return Column([
            Label(_("The terminal had a problem and stopped what you were doing. Nothing was sent."),
                  size=TEXT_BODY, id="apology"),
            Label(_("You will be back at the start in a few seconds."), colour="muted", id="returning"),
            Button(_("Back to the start"), kind="primary", id="go-home", on_tap=self._go_home),
        ], gap=32)

    def tick(self, now: float) -> None:
        if now >= self.deadline:
            self._go_home()

    def next_deadline(self) -> float | None:
        return self.deadline

    def _go_home(self) -> None:
        self.app.end_visit("after an error")
