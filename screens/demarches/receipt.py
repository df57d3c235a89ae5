"""« Votre demande est enregistrée »: the tracking number in very large characters, printed.

The number is what the person leaves with: they follow the request with it at any terminal
(« Suivre ma demande ») or on the portal, so it is the largest thing on the screen and the
receipt prints by itself (:class:`~screens.printing.auto_print.AutoPrintedTicket`), with its
QR code and what happens next. Waiting in the outbox, there is no number yet: the screen
says how it will come (SMS or e-mail, or ask at the town hall's reception) and shows no
stand-in reference nobody could look up. The answers are already wiped; the receipt holds none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.demarches import receipt as printed
from kiosk.demarches import words
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_DISPLAY, TEXT_SMALL
from screens.printing.auto_print import AutoPrintedTicket
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.qr_code import QrCodeView

if TYPE_CHECKING:
    from kiosk.demarches import Receipt
    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost

NUMBER_SIZE = TEXT_DISPLAY * 8 // 5  # « ABCD-1234 » read from a step away, on one line even in large text


class DemarcheReceiptScreen(AutoPrintedTicket):
    name = "demarche_receipt"

    def __init__(self, app: ScreenHost, receipt: Receipt) -> None:
        super().__init__(app)
        self.receipt = receipt
        self.wipe_after_s = app.config.booking.done_home_after_s

    def title(self) -> str:
        return _("Your request is filed") if self.receipt.received else _("Your request is saved")

    def compose(self) -> Widget:
        r, lang, say = self.receipt, self.app.visit.settings.language, words.say
        top: list[Widget] = [Label(r.title, size=TEXT_BODY + 4, bold=True, align="center", id="form-title")]
        if r.tracking_code:
            top += [Label(say(lang, printed.TRACKING_NUMBER), size=TEXT_SMALL, colour="muted", align="center",
                          id="number-title"),
                    Label(r.tracking_code, size=NUMBER_SIZE, bold=True, align="center", id="tracking-code")]
            if r.qr_data:
                top.append(QrCodeView(r.qr_data, size=360, id="qr"))
        else:
            top.append(Label(r.notice or say(lang, words.PENDING_NOTICE),
                             size=TEXT_BODY + 4, bold=True, bg="surface", padding=24, id="pending-note"))
        facts: list[Widget] = []
        if not r.tracking_code and r.follow_up:     # first of the words: in landscape, beside the notice
            facts.append(Label(r.follow_up, size=TEXT_BODY, id="pending-follow-up"))
        if r.tracking_code:
            facts.append(Label(_("Follow it with « Follow my request » at any terminal, or online."),
                               size=TEXT_BODY, id="follow"))
        if r.next_steps:
            facts.append(Column([Label(say(lang, printed.NEXT), size=TEXT_SMALL, colour="muted", id="next-title"),
                                 Label(r.next_steps, id="next")], gap=4))
        facts.append(self.print_status(
            no_printer=_("Printing is not possible on this terminal: note your number.") if r.tracking_code
            else _("Printing is not possible on this terminal."),
            cannot=_("The receipt cannot be printed. Your request is recorded all the same: note your number.")
            if r.tracking_code else _("The receipt cannot be printed. Your request is recorded all the same.")))
        buttons: list[Widget] = [*self.print_buttons()]
        buttons.append(Button(_("Finish"), kind="primary", id="finish",
                              on_tap=lambda: self.app.end_visit("démarche filed")))
        facts.append(Row(buttons, gap=20))
        width, height = self.app.display.logical
        if width > height:      # landscape: the number beside the words, nothing to scroll
            return Row([Column(top, gap=16), Column(facts, gap=20)], gap=48, wrap=False)
        return Column(top + facts, gap=20)

    def ticket_to_print(self) -> Ticket | None:
        demarches = self.app.services.demarches if self.app.services is not None else None
        if demarches is None or not (self.receipt.received or self.receipt.pending):
            return None
        return demarches.receipt_ticket(self.receipt, town=self.app.config.branding.town_name,
                                        language=self.app.visit.settings.language)
