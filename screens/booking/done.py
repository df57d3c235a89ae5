"""« C'est réservé »: the reference in large characters, the check-in QR code, the ticket.

The ticket prints by itself when a printer is ready; when it cannot (no paper, printer
off) the booking stands all the same: the screen says so, shows reference and QR code
larger (to photograph or note down) and offers to try again. A booking waiting in the
outbox (offline, or its answer lost) is shown as what it is — recorded, not confirmed yet —
with the reference this terminal assigned (the server keeps it) and no QR code (there is no
appointment to check in to yet). It promises a confirmation by SMS or e-mail only when the
person gave a phone or an e-mail; otherwise it says to check the reference at a terminal or
at the town hall.
The screen erases itself after ``[booking] done_home_after_s`` without a touch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.booking import flow as booking_flow
from kiosk.booking.tickets import CHECK_WITH_THE_REFERENCE, appointment_words
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_DISPLAY, TEXT_SMALL
from screens.printing.auto_print import AutoPrintedTicket
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.qr_code import QrCodeView

if TYPE_CHECKING:
    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost


class BookingDoneScreen(AutoPrintedTicket):
    name = "booking_done"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.draft = booking_flow.draft(app)
        self.wipe_after_s = app.config.booking.done_home_after_s

    def title(self) -> str:
        if booking_flow.is_confirmed(self.draft):
            return _("Your appointment is booked")
        if booking_flow.confirmation_by_message(self.draft):
            return _("Your request is recorded")
        return _("Your appointment is recorded")     # not confirmed yet: the note says how to check it

    def compose(self) -> Widget:
        d, lang = self.draft, self.app.visit.settings.language
        confirmed = booking_flow.is_confirmed(d)
        service = booking_flow.services(self.app).availability.service(d.chosen_service_id) or {}
        when = appointment_words(booking_flow.confirmed_start(d), lang)
        parts: list[Widget] = []
        if booking_flow.confirmation_by_message(d):
            parts.append(Label(_("Request recorded — you will receive the confirmation by SMS or e-mail. The time is "
                                 "not guaranteed until then."), bold=True, bg="surface", padding=24, id="request-note"))
        elif not confirmed:       # no contact: no promise of a message, the reference to check it with
            parts.append(Label(_(CHECK_WITH_THE_REFERENCE), bold=True, bg="surface", padding=24, id="request-note"))
        reference = [Label(_("Reference"), size=TEXT_SMALL, colour="muted", align="center", id="reference-title"),
                     Label(booking_flow.reference(d), size=TEXT_DISPLAY, bold=True, align="center", id="reference")]
        if not confirmed:         # what the person must keep comes right under « recorded under this reference »
            parts += reference
        parts.append(Label(service.get("name", ""), bold=True, id="service-name"))
        parts.append(Label(when if confirmed else _("Time asked for: {when}").format(when=when),
                           size=TEXT_BODY + 4, bold=True, id="when"))
        name = booking_flow.shown_name(self.app)
        if name:                                          # the ticket has it too
            parts.append(Label(_("Name: {name}").format(name=name), id="person-name"))
        if confirmed:
            parts += reference
        token = d.outcome.result.get("checkin_token") if confirmed and d.outcome else None
        code: list[Widget] = []
        if token:
            code = [QrCodeView(token, size=560 if self._cannot_print() else 420, id="qr"),
                    Label(_("Show this code at the counter when you arrive."), size=TEXT_SMALL, align="center",
                          id="qr-hint")]
        parts.append(self.print_status(
            no_printer=_("Printing is not possible on this terminal: note the reference."),
            cannot=_("The ticket cannot be printed. Your appointment is recorded all the same: note the reference "
                     "or photograph the code.")))
        buttons: list[Widget] = [*self.print_buttons()]
        buttons.append(Button(_("Finish"), kind="primary", id="finish",
                              on_tap=lambda: self.app.end_visit("booking finished")))
        parts.append(Row(buttons, gap=20))
        width, height = self.app.display.logical
        if code and width > height:
            # Landscape: the code beside the words, so that nothing needs scrolling.
            return Row([Column(parts, gap=20), Column(code, gap=12)], gap=48, wrap=False)
        return Column(parts[:-2] + code + parts[-2:], gap=20)

    def on_hide(self) -> None:
        """Left by « Retour » (not covered by Help): the booking is made, nothing typed stays."""
        if self not in self.app.nav.stack:
            booking_flow.forget(self.app)

    def ticket_to_print(self) -> Ticket:
        return booking_flow.ticket(self.app, self.draft)
