"""The tickets the application prints, as documents (see drivers.printer.ticket).

Built in the language the person chose, from data already on screen; a ticket never
carries more personal data than the screen showed.
"""

from __future__ import annotations

from datetime import datetime

from drivers.printer.ticket import Ticket, TicketBuilder
from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_datetime_long
from kiosk.i18n import _
from kiosk.tracking_code import tracking_address


def tracking_slip(request, *, town: str, portal_url: str, info_at: datetime | None, online: bool,
                  printed_at: datetime, language: str) -> Ticket:
    """A short status slip: number, type, current step, date of the information, where to follow it."""
    b = TicketBuilder(town)
    b.line(_("Follow-up of your request"), bold=True, align="center").rule()
    b.line(_("Number: {code}").format(code=request.tracking_code), bold=True, size="tall")
    b.line(request.request_type)
    b.line(_("Current step: {step}").format(step=request.current_step), bold=True)
    b.line(status_words(request.status))
    if info_at is not None:
        when = format_datetime_long(info_at.astimezone(PARIS), language)
        b.line((_("Information as of {when}") if online else _("Information as of {when} (offline)")).format(when=when))
    b.rule()
    address = tracking_address(portal_url, request.tracking_code)
    b.line(_("Follow your request online:"), align="center")
    b.line(address, align="center")
    b.qr(address, module=5)
    b.line(_("Printed on {date}").format(date=format_date_long(printed_at.astimezone(PARIS).date(), language)),
           align="center")
    return b.build()


def status_words(status: str) -> str:
    return {
        "in_progress": _("Being processed"),
        "waiting_citizen": _("The department is waiting for something from you"),
        "completed": _("Request completed"),
        "rejected": _("Request refused"),
    }.get(status, status)
