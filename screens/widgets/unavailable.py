"""The one sentence every feature says when its data is not on this terminal.

Booking, « Ma ville » and the other features read the offline cache; when it is empty (a
new terminal), being rebuilt (a damaged file was moved aside) or cannot be read (no cache
folder, a disk problem), a person sees the same two plain sentences wherever they tap —
never the apology screen, never a technical word. The technician's side of it is on the
admin screen and in the log.
"""

from __future__ import annotations

from kiosk.i18n import _
from screens.widgets.containers import Column
from screens.widgets.label import Label


def data_unavailable() -> Column:
    return Column([
        Label(_("The town's information is not available on this terminal yet."), bold=True, id="unavailable"),
        Label(_("It arrives with the next update from the town hall. Please try again in a few minutes."),
              colour="muted", id="unavailable-more"),
    ], gap=20)
