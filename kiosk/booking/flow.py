"""The booking a person is putting together, step by step, kept in the visit.

Each step's screen reads and writes one :class:`BookingDraft` in ``visit.drafts`` (the
typed name, phone and e-mail are in ``visit.fields``): going back, « Modifier », a
language switch or a 409 never loses anything, and ending the visit wipes it all in
one call. Screens call the functions here rather than the services directly for the
two decisions that belong to the booking rather than to a screen: booking or asking
(offline), and what the printed ticket says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.booking import form as booking_form
from kiosk.booking.tickets import booking_ticket
from kiosk.services import DaySlot, Outcome

DRAFT = "booking"


@dataclass
class BookingDraft:
    service_id: str | None = None
    day: date | None = None
    slot: DaySlot | None = None
    outcome: Outcome | None = None        # once confirmed (done or queued)
    offline: bool = False                 # the person is asking for a time, not booking it


def draft(app) -> BookingDraft:
    return app.visit.drafts.setdefault(DRAFT, BookingDraft())


def choose_service(app, service_id: str) -> BookingDraft:
    """A new service starts a new booking, keeping the typed person (they are the same)."""
    current = draft(app)
    if current.service_id != service_id:
        app.visit.drafts[DRAFT] = current = BookingDraft(service_id=service_id)
    return current


def contact_required(app) -> bool:
    return app.services.is_offline or app.network == "offline"


def checked_person(app) -> booking_form.Checked:
    return booking_form.check(booking_form.typed(app.visit.fields), contact_required=contact_required(app))


def submit(app, person: dict[str, str]) -> int:
    """Book the chosen slot, or — offline — ask for it (confirmed later by SMS or e-mail)."""
    d = draft(app)
    assert d.service_id and d.slot
    d.offline = contact_required(app)
    if d.offline:
        return app.services.request_booking(d.service_id, d.slot.start, person, wanted_slot_id=d.slot.slot_id)
    return app.services.book(d.service_id, d.slot, person)


def confirmed_start(d: BookingDraft) -> datetime:
    result = d.outcome.result if d.outcome else {}
    if result.get("start"):
        return datetime.fromisoformat(result["start"])
    return d.slot.start


def reference(d: BookingDraft) -> str:
    """The server's reference, or the local one of a request waiting in the outbox."""
    outcome = d.outcome
    return (outcome.result.get("reference") if outcome and outcome.status == "done" else None) \
        or (outcome.local_reference if outcome else "") or ""


def is_confirmed(d: BookingDraft) -> bool:
    """A booking the server accepted (a request, even acknowledged, waits for the town)."""
    return bool(d.outcome and d.outcome.status == "done" and d.outcome.kind == "booking")


def ticket(app, d: BookingDraft) -> Any:
    services = app.services.availability
    service = services.service(d.service_id)
    return booking_ticket(
        town=app.config.branding.town_name, service=service, place=services.place(service.get("place_id")),
        start=confirmed_start(d), reference=reference(d),
        token=d.outcome.result.get("checkin_token") if is_confirmed(d) else None,
        confirmed=is_confirmed(d), printed_at=app.clock.now(), language=app.visit.settings.language,
        town_phone=app.config.booking.phone)


def forget(app) -> None:
    """Drop this booking and what was typed for it (the booking itself is made: it is in the
    outbox or at the town hall), keeping the visit's language and accessibility choices."""
    app.visit.drafts.pop(DRAFT, None)
    for key in booking_form.KEYS.values():
        if key in app.visit.fields:
            app.visit.fields[key] = ""
            del app.visit.fields[key]
