"""Help: how to use the terminal, in a few plain sentences."""

from __future__ import annotations

from kiosk.i18n import _
from screens.base import Screen
from screens.widgets import Column, Label
from screens.widgets.base import Widget


class HelpScreen(Screen):
    name = "help"

    def title(self) -> str:
        return _("Help")

    def compose(self) -> Widget:
        items = [
            _("Touch the screen with one finger. Lists move when you slide your finger up or down."),
            _("« Back » takes you to the previous step. « Home » takes you to the start."),
            _("« Accessibility » makes the text larger, the colours stronger, or brings the buttons lower."),
            _("If you stop for a while, the terminal asks if you are still there, then erases what you typed."),
            _("Nothing you type is kept on this terminal after your visit."),
            _("For any question, ask at the town hall reception."),
        ]
        return Column([Label(f"• {text}", id=f"help-{i}") for i, text in enumerate(items)], gap=28)
