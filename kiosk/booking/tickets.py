"""The tickets the application prints, as documents (see kiosk.printing.document).

Built in the language the person chose, from data already on screen; a ticket never
carries more personal data than the screen showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.api.models import TrackedRequest
from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_datetime_long, format_time
from kiosk.i18n import N_, _
from kiosk.printing.document import Marked, Ticket, TicketBuilder
from kiosk.tracking.code import tracking_address
from kiosk.tracking.progress import progress, status_words

# A booking waiting in the outbox without a phone or an e-mail: nobody can send a confirmation,
# so the screen and the ticket say how to check it instead (the reference is the server's too).
CHECK_WITH_THE_REFERENCE = N_("Appointment recorded under this reference. It will be confirmed as soon as the "
                              "network is back. To check it, give this reference at any terminal or at the town hall.")


def tracking_slip(request: TrackedRequest, *, town: str, portal_url: str, info_at: datetime | None, online: bool,
                  printed_at: datetime, language: str) -> Ticket:
    """A short status slip: number, type, current step, date of the information, where to follow it."""
    b = TicketBuilder(town)
    b.line(_("Follow-up of your request"), bold=True, align="center").rule()
    b.line(_("Number: {code}").format(code=request.tracking_code), bold=True, size="tall",
           marked=Marked(request.tracking_code, "reference"))
    b.line(request.request_type)
    where = progress(request)          # the same reading of the steps as the screen's
    b.line(where.headline(request.status), bold=True)
    if where.current is not None:
        b.line(status_words(request.status))
    if info_at is not None:
        when = format_datetime_long(info_at.astimezone(PARIS), language)
        b.line((_("Information as of {when}") if online else _("Information as of {when} (offline)")).format(when=when))
    b.rule()
    address = tracking_address(portal_url, request.tracking_code)
    b.line(_("Follow your request online:"), align="center")
    b.line(address, align="center", marked=Marked(address))     # it holds the number: personal
    b.qr(address, module=5)
    b.line(_("Printed on {date}").format(date=format_date_long(printed_at.astimezone(PARIS).date(), language)),
           align="center")
    return b.build()


def appointment_words(start: datetime, language: str) -> str:
    """« mardi 3 décembre 2026 à 9 h 30 »."""
    local = start.astimezone(PARIS)
    return _("{date} at {time}").format(date=format_date_long(local.date(), language),
                                        time=format_time(local.time(), language))


def booking_ticket(*, town: str, service: Mapping[str, Any], place: Mapping[str, Any] | None, start: datetime,
                   reference: str, token: str | None, confirmed: bool, printed_at: datetime, language: str,
                   town_phone: str | None = None, person_name: str = "", by_message: bool = True) -> Ticket:
    """The ticket a person leaves with: what, when (in words), where, what to bring, the
    reference and the check-in QR code, and how to cancel. ``confirmed`` is False for a
    booking waiting in the outbox (offline, or its answer lost): it promises nothing and says
    how the confirmation comes — by SMS or e-mail only when ``by_message`` (a contact was
    given), else by checking the reference, which is the one the town's system will hold."""
    b = TicketBuilder(town)
    if confirmed:
        b.line(_("Your appointment"), bold=True, align="center").rule()
    elif by_message:
        b.line(_("Appointment request recorded"), bold=True, align="center")
        b.line(_("Not confirmed yet: you will receive the confirmation by SMS or e-mail."), align="center").rule()
    else:
        b.line(_("Appointment not confirmed yet"), bold=True, align="center")
        b.line(_(CHECK_WITH_THE_REFERENCE), align="center").rule()
    b.line(service["name"], bold=True)
    when = appointment_words(start, language)
    b.line(when if confirmed else _("Time asked for: {when}").format(when=when), bold=confirmed, size="tall")
    if person_name:            # as the screen wrote it (kiosk.booking.form.display_name)
        b.line(_("Name: {name}").format(name=person_name), marked=Marked(person_name, "name"))
    if place:
        b.line(place["name"])
        b.line(place["address"])
    if service.get("documents"):
        b.rule().line(_("Bring with you:"), bold=True)
        for doc in service["documents"]:
            b.line("- " + doc["label"])
    b.rule()
    b.line(_("Reference: {reference}").format(reference=reference), bold=True, size="tall", align="center",
           marked=Marked(reference, "reference"))
    if token:
        b.qr(token, module=4)
        b.line(_("Show this code at the counter when you arrive."), align="center")
    b.rule()
    how = _("To cancel: on a terminal, « Book an appointment » then « Cancel an appointment », with this ticket.")
    b.line(how)
    if town_phone:
        b.line(_("Or call the town hall: {phone}").format(phone=town_phone),
               marked=Marked(town_phone, "phone", personal=False))
    b.line(_("Printed on {date}").format(date=format_date_long(printed_at.astimezone(PARIS).date(), language)),
           align="center")
    return b.build()


def cancellation_slip(*, town: str, reference: str, service_name: str | None, start: datetime | None,
                      queued: bool, printed_at: datetime, language: str) -> Ticket:
    """Proof of a cancellation (or of a cancellation request waiting to be sent)."""
    b = TicketBuilder(town)
    b.line(_("Cancellation recorded") if queued else _("Appointment cancelled"), bold=True, align="center").rule()
    b.line(_("Reference: {reference}").format(reference=reference), bold=True,
           marked=Marked(reference, "reference"))
    if service_name:
        b.line(service_name)
    if start is not None:
        b.line(appointment_words(start, language))
    if queued:
        b.line(_("The terminal is offline: the cancellation will be sent as soon as it is back online."))
    b.line(_("Printed on {date}").format(date=format_date_long(printed_at.astimezone(PARIS).date(), language)),
           align="center")
    return b.build()
