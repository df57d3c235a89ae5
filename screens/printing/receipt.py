"""The last receipt the simulated printer drew, for the demo: what a real printer would have printed."""

from __future__ import annotations

from kiosk.i18n import _
from screens.base import Screen
from screens.widgets import Column, Label, Picture
from screens.widgets.base import Widget

PAPER_WIDTH_PX = 576      # an 80 mm receipt at 203 dpi, shown dot for dot when the screen allows


class ReceiptScreen(Screen):
    name = "receipt"
    is_admin = True

    def title(self) -> str:
        return _("Last ticket")

    def compose(self) -> Widget:
        image = self.app.devices.last_receipt()
        if image is None:
            return Column([Label(_("No ticket has been printed yet."), id="no-receipt")])
        return Column([Picture(image, max_width=PAPER_WIDTH_PX, id="receipt")])
