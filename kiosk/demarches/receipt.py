"""The printed receipt of a démarche (a :class:`~kiosk.printing.document.Ticket`).

Built in the visit's language from what the receipt screen shows, never more: the form's
title, the tracking number in large characters with its QR code (the portal's tracking
address), what happens next. Waiting in the outbox, there is no number yet and no stand-in
for one (the town assigns it on arrival): the receipt says how it will come — by SMS or e-mail,
or at the town hall's reception, who finds the request by the day and time printed at the
bottom. No answer of the form is printed (a receipt left on the totem must not tell anyone's
business).
"""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import PARIS
from kiosk.demarches import words
from kiosk.demarches.views import Receipt
from kiosk.formatting import format_date_long, format_time
from kiosk.i18n import N_
from kiosk.printing.document import Marked, Ticket, TicketBuilder

TRACKING_NUMBER = N_("Your tracking number")
FOLLOW = N_("Follow your request at any terminal (« Follow my request ») or online:")
NEXT = N_("What happens next")
FILED_ON = N_("Filed on {date} at {time}")
RECEIVED = N_("Request received")
PENDING = N_("Request saved")


def receipt_ticket(receipt: Receipt, *, town: str, language: str, printed_at: datetime) -> Ticket:
    """The receipt to print (``receipt`` received or pending; a refused one is not printed)."""
    if receipt.status not in ("received", "pending"):
        raise ValueError(f"a {receipt.status} démarche has no receipt to print")
    say = words.say
    b = TicketBuilder(town)
    b.line(receipt.title, bold=True, align="center")
    b.line(say(language, RECEIVED if receipt.received else PENDING), align="center").rule()
    if receipt.tracking_code:
        b.line(say(language, TRACKING_NUMBER), align="center")
        b.line(receipt.tracking_code, bold=True, size="large", align="center",
               marked=Marked(receipt.tracking_code, "reference"))
        if receipt.qr_data:
            b.qr(receipt.qr_data, module=6)
            b.line(say(language, FOLLOW), align="center")
            if receipt.qr_data != receipt.tracking_code:
                b.line(receipt.qr_data, align="center", marked=Marked(receipt.qr_data))   # holds the number
    else:
        b.line(receipt.notice or say(language, words.PENDING_NOTICE), bold=True, align="center")
        if receipt.follow_up:
            b.line(receipt.follow_up, align="center")
    if receipt.next_steps:
        b.rule().line(say(language, NEXT), bold=True).line(receipt.next_steps)
    local = printed_at.astimezone(PARIS)
    b.rule().line(say(language, FILED_ON, date=format_date_long(local.date(), language),
                      time=format_time(local.time(), language)), align="center")
    return b.build()
