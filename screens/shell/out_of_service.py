"""Shown while the terminal cannot serve (maintenance, no data, device failure)."""

from __future__ import annotations

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.base import Screen
from screens.widgets import Column, Label
from screens.widgets.base import Widget


class OutOfServiceScreen(Screen):
    name = "out_of_service"
    show_footer = False
    ignores_idle = True

    def title(self) -> str:
        return _("Terminal out of service")

    def compose(self) -> Widget:
        return Column([
            Label(_("This terminal cannot serve you at the moment. We are sorry."), size=TEXT_BODY, id="oos-message"),
            Label(_("The town hall reception can help you during opening hours."), colour="muted", id="oos-help"),
            Label(self.app.config.location.address, colour="muted", id="oos-address"),
        ], gap=28)
