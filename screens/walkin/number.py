"""« Votre numéro »: the number in very large characters, where to wait, the people ahead.

The queue ticket prints by itself as the screen opens (when a printer can print); the number
stands without it, and the screen says so. No name is shown, nor anything about the person:
the service, the number, the place, the wait. Offline the wait is not estimated, and the
screen says why. When no number could be had (sent, but the town did not answer in time) the
screen says to ask at the reception desk rather than show a number nobody will call. The
visit — and with it the memory of this number — is wiped when the person finishes or walks
away (``wipe_after_s``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.formatting import format_duration_min
from kiosk.i18n import _, ngettext
from kiosk.shell.ui import TEXT_BODY, TEXT_DISPLAY, TEXT_SMALL
from kiosk.walkin import service as walkin
from kiosk.walkin.tickets import walk_in_ticket
from screens.printing.auto_print import AutoPrintedTicket
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.queue_number import QueueNumber

if TYPE_CHECKING:
    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost

NUMBER_SIZE = TEXT_DISPLAY * 3     # read from a few steps away, by people with poor sight too


class WalkInNumberScreen(AutoPrintedTicket):
    name = "walkin_number"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        taken = walkin.visit_state(app.visit.drafts).taken
        assert taken is not None, "the number screen opens once the number is given"
        self.taken = taken
        self.wipe_after_s = app.config.booking.done_home_after_s

    def title(self) -> str:
        return _("Your number") if self.taken.number else _("Your request is recorded")

    def compose(self) -> Widget:
        t, lang = self.taken, self.app.visit.settings.language
        head: list[Widget] = [Label(t.service.name, bold=True, size=TEXT_BODY + 4, align="center", id="service-name")]
        if t.number:
            head.append(QueueNumber(t.number, size=NUMBER_SIZE, id="number"))
        else:
            head.append(Label(_("No number could be given: the town hall did not answer in time. Please ask at "
                                "the reception desk."), bold=True, bg="surface", padding=24, id="no-number"))
        parts: list[Widget] = []
        parts.append(Label(_("Wait in: {place}").format(place=t.waiting_area), size=TEXT_BODY, bold=True,
                           align="center", id="where"))
        if t.people_ahead is not None:
            ahead = _("Nobody before you.") if t.people_ahead == 0 else ngettext(
                "{n} person before you.", "{n} people before you.", t.people_ahead).format(n=t.people_ahead)
            parts.append(Label(ahead, size=TEXT_BODY, align="center", id="ahead"))
        parts.append(Label(self._wait(lang), size=TEXT_BODY, align="center", id="wait"))
        if t.number:
            parts.append(Label(_("Your number will be called on the screen of the waiting room."), size=TEXT_SMALL,
                               colour="muted", align="center", id="called"))
        parts.append(self.print_status(
            no_printer=_("Printing is not possible on this terminal: note your number."),
            cannot=_("The ticket cannot be printed. Your number stands all the same: note it.")))
        buttons: list[Widget] = [*self.print_buttons()]
        buttons.append(Button(_("Finish"), kind="primary", id="finish",
                              on_tap=lambda: self.app.end_visit("walk-in number taken")))
        parts.append(Row(buttons, gap=20))
        width, height = self.app.display.logical
        if width > height:
            # Landscape (a counter terminal, often): the number on the left, the rest beside it, no scrolling.
            return Row([Column(head, gap=20), Column(parts, gap=20)], gap=48, wrap=False)
        return Column(head + parts, gap=20)

    def _wait(self, lang: str) -> str:
        t = self.taken
        if t.wait_unknown == "offline":
            return _("The terminal is not connected: the waiting time cannot be estimated.")
        if t.wait_minutes is None:
            return _("The waiting time cannot be estimated now.")
        if t.wait_minutes == 0:
            return _("Estimated wait: none, you are next.")
        return _("Estimated wait: about {duration}.").format(duration=format_duration_min(t.wait_minutes, lang))

    # -- printing ------------------------------------------------------------------------------
    def ticket_to_print(self) -> Ticket:
        config = self.app.config
        return walk_in_ticket(self.taken, town=config.branding.town_name, follow_url=config.queue.follow_url or None,
                              printed_at=self.app.clock.now())
