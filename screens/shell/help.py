"""Help: how to use the terminal, in a few plain sentences."""

from __future__ import annotations

from kiosk.i18n import _
from screens.base import Screen
from screens.widgets import Column, Label
from screens.widgets.base import Widget
from screens.widgets.icons import Icon


class HelpScreen(Screen):
    name = "help"

    def title(self) -> str:
        return _("Help")

    def compose(self) -> Widget:
        # Each sentence beside the icon of what it is about: the same icons as the buttons it names.
        items = [
            (Icon.TOUCH, _("Touch the screen with one finger. Lists move when you slide your finger up or down.")),
            (Icon.BACK, _("« Back » takes you to the previous step. « Home » takes you to the start.")),
            (Icon.ACCESSIBILITY,
             _("« Accessibility » makes the text larger, the colours stronger, or brings the buttons lower.")),
            (Icon.HOURS,
             _("If you stop for a while, the terminal asks if you are still there, then erases what you typed.")),
            (Icon.ERASE, _("Nothing you type is kept on this terminal after your visit.")),
            (Icon.TOWN_HALL, _("For any question, ask at the town hall reception.")),
        ]
        return Column([Label(text, icon=icon, id=f"help-{i}") for i, (icon, text) in enumerate(items)], gap=28)
