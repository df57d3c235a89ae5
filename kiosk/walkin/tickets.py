"""The walk-in number's printed ticket: the shared queue ticket (:mod:`kiosk.queue.ticket`)
filled from what the number screen shows, so the paper and the screen never disagree."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.queue.ticket import QueueTicketView, queue_ticket

if TYPE_CHECKING:
    from kiosk.printing.document import Ticket
    from kiosk.walkin.service import Taken


def ticket_view(taken: Taken) -> QueueTicketView:
    reason = None
    if taken.wait_minutes is None:
        reason = _("Not connected: the wait cannot be estimated.") if taken.wait_unknown == "offline" \
            else _("The wait cannot be estimated right now.")
    return QueueTicketView(number=taken.number, service=taken.service.name, where=taken.waiting_area,
                           people_ahead=taken.people_ahead, wait_minutes=taken.wait_minutes,
                           wait_unknown_reason=reason, appointment=None)


def walk_in_ticket(taken: Taken, *, town: str, follow_url: str | None, printed_at: datetime) -> Ticket:
    """In the current language (the visit's: the screen prints on the UI thread)."""
    return queue_ticket(ticket_view(taken), town=town, follow_url=follow_url, printed_at=printed_at)
