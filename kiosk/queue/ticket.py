"""The queue ticket: what a person holds while waiting, for a check-in or a walk-in number.

Short on purpose (under 1 KB on the wire with the printer's native QR code, so it comes out
at once): the town, the number in double size, the service, where to wait, how many people are
ahead and the estimated wait — or why there is none (offline: never an invented figure) —, the
appointment's time for a check-in, when it was printed and, when the town configures
``[queue] follow_url``, a QR code to follow one's turn on a phone. Never a name: the ticket is
left on chairs and counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.clock import PARIS
from kiosk.formatting import format_duration_min, format_time
from kiosk.i18n import _, current_language, ngettext
from kiosk.printing.document import Marked, Ticket, TicketBuilder


@dataclass(frozen=True)
class QueueTicketView:
    """What a queue ticket says; the screens show the same values (none of them personal)."""

    number: str | None                 # "A012"; None: no number could be given (offline, no block)
    service: str                       # the service's name
    where: str                         # where to wait
    people_ahead: int | None           # None: not known (offline)
    wait_minutes: int | None           # None: cannot be estimated now …
    wait_unknown_reason: str | None    # … and why, in the visit's language
    appointment: datetime | None       # the appointment's start, for a check-in


def follow_address(template: str | None, number: str, day: date) -> str | None:
    """The configured follow address for ``number`` (``{number}``, ``{day}`` filled in), or None."""
    if not template:
        return None
    return template.format(number=number, day=day.isoformat())


def people_ahead_words(count: int) -> str:
    if count == 0:
        return _("You are next")
    return ngettext("{n} person before you", "{n} people before you", count).format(n=count)


def wait_words(view: QueueTicketView) -> str:
    """« Attente estimée : 15 min », or why there is no estimate."""
    language = current_language()
    if view.wait_minutes is not None:
        return _("Estimated wait: {wait}").format(wait=format_duration_min(view.wait_minutes, language))
    return view.wait_unknown_reason or _("The wait cannot be estimated right now.")


def queue_ticket(view: QueueTicketView, *, town: str, follow_url: str | None, printed_at: datetime) -> Ticket:
    """The printed queue ticket (see the module's docstring); in the visit's language."""
    language = current_language()
    local = printed_at.astimezone(PARIS)
    b = TicketBuilder(town)
    if view.number:
        b.line(_("Your number"), align="center")
        b.line(view.number, bold=True, size="large", align="center",
               marked=Marked(view.number, "queue_number", personal=False))   # the room calls it aloud anyway
    else:
        b.line(_("No number could be given"), bold=True, align="center")
        b.line(_("Please show this ticket at the reception desk."), align="center")
    b.rule()
    b.line(view.service, bold=True)
    if view.appointment is not None:
        b.line(_("Appointment at {time}").format(time=format_time(view.appointment.astimezone(PARIS), language)))
    if view.where:
        b.line(_("Wait in: {where}").format(where=view.where))
    if view.people_ahead is not None:
        b.line(people_ahead_words(view.people_ahead))
    b.line(wait_words(view))
    address = follow_address(follow_url, view.number, local.date()) if view.number else None
    if address:
        b.rule()
        b.qr(address, module=4)
        b.line(_("Follow your turn on your phone"), align="center")
    b.line(_("Printed at {time}").format(time=format_time(local, language)), align="center")
    return b.build()
