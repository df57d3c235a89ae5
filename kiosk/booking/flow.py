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
from typing import Any, Protocol

from kiosk.booking import form as booking_form
from kiosk.booking.tickets import booking_ticket
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.printing.document import Ticket
from kiosk.services import DaySlot, Kind, Outcome, Services, Status

DRAFT = "booking"


class _Settings(Protocol):
    @property
    def language(self) -> str: ...


class _Visit(Protocol):
    @property
    def drafts(self) -> dict[str, Any]: ...
    @property
    def fields(self) -> dict[str, str]: ...
    @property
    def settings(self) -> _Settings: ...


class BookingHost(Protocol):
    """What the booking steps read of the app (the shell's App has all of it)."""

    @property
    def visit(self) -> _Visit: ...
    @property
    def services(self) -> Services | None: ...
    @property
    def network(self) -> str | None: ...
    @property
    def config(self) -> KioskConfig: ...
    @property
    def clock(self) -> Clock: ...


@dataclass
class BookingDraft:
    service_id: str | None = None
    day: date | None = None
    slot: DaySlot | None = None
    outcome: Outcome | None = None        # once confirmed (done or queued)
    offline: bool = False                 # the person is asking for a time, not booking it

    @property
    def chosen_service_id(self) -> str:
        """The service chosen at the first step, which every later step follows."""
        if self.service_id is None:
            raise RuntimeError("no service chosen: the booking steps start with the choice of a service")
        return self.service_id

    @property
    def chosen_day(self) -> date:
        """The day chosen at the calendar step, which the steps after it follow."""
        if self.day is None:
            raise RuntimeError("no day chosen: the time step follows the choice of a day")
        return self.day


def services(app: BookingHost) -> Services:
    """The feature services. The booking steps open only when they exist (the first step says
    « booking is not available » without them), so their absence here is a bug, said plainly."""
    found = app.services
    if found is None:
        raise RuntimeError("the booking steps need the feature services, and this terminal has none")
    return found


def draft(app: BookingHost) -> BookingDraft:
    d = app.visit.drafts.setdefault(DRAFT, BookingDraft())
    assert isinstance(d, BookingDraft)
    return d


def choose_service(app: BookingHost, service_id: str) -> BookingDraft:
    """A new service starts a new booking, keeping the typed person (they are the same)."""
    current = draft(app)
    if current.service_id != service_id:
        app.visit.drafts[DRAFT] = current = BookingDraft(service_id=service_id)
    return current


def contact_required(app: BookingHost) -> bool:
    """Offline the booking becomes a request, confirmed later by SMS or e-mail. Without a
    reference namespace a booking whose answer is lost would leave the person with no reference
    that works, so the message is then the only way to reach them: a contact is asked too."""
    found = services(app)
    return found.is_offline or app.network == "offline" or found.reference_namespace is None


def checked_person(app: BookingHost) -> booking_form.Checked:
    return booking_form.check(booking_form.typed(app.visit.fields), contact_required=contact_required(app))


def submit(app: BookingHost, person: dict[str, str]) -> int:
    """Book the chosen slot, or — offline — ask for it (confirmed later by SMS or e-mail)."""
    d = draft(app)
    assert d.service_id and d.slot
    d.offline = contact_required(app)
    if d.offline:
        return services(app).request_booking(d.service_id, d.slot.start, person, wanted_slot_id=d.slot.slot_id)
    return services(app).book(d.service_id, d.slot, person)


def confirmed_start(d: BookingDraft) -> datetime:
    result = d.outcome.result if d.outcome else {}
    if result.get("start"):
        return datetime.fromisoformat(result["start"])
    assert d.slot is not None
    return d.slot.start


def reference(d: BookingDraft) -> str:
    """The reference the person leaves with: the server's answer, or — waiting in the outbox —
    the one this terminal assigned and sent, which the server keeps (the same after sync). Only
    a terminal without a namespace shows the outbox row's local code, with a contact given."""
    outcome = d.outcome
    if outcome is None:
        return ""
    answered = outcome.result.get("reference") if outcome.status == Status.DONE else None
    return str(answered or outcome.details.get("reference") or outcome.local_reference or "")


def confirmation_by_message(d: BookingDraft) -> bool:
    """Whether the screen and the ticket may say « confirmation par SMS ou e-mail » for a
    booking not confirmed yet: only if the person gave a phone or an e-mail (a request always
    has one). Without, nobody could send it: they are told to check with their reference."""
    outcome = d.outcome
    if outcome is None or is_confirmed(d):
        return False
    return outcome.kind == Kind.BOOKING_REQUEST or bool(outcome.details.get("contact_given"))


def is_confirmed(d: BookingDraft) -> bool:
    """A booking the server accepted (a request, even acknowledged, waits for the town)."""
    return bool(d.outcome and d.outcome.status == Status.DONE and d.outcome.kind == Kind.BOOKING)


def ticket(app: BookingHost, d: BookingDraft) -> Ticket:
    reads = services(app).availability
    service = reads.service(d.chosen_service_id)
    assert service is not None
    return booking_ticket(
        town=app.config.branding.town_name, service=service, place=reads.place(service.get("place_id")),
        start=confirmed_start(d), reference=reference(d),
        token=d.outcome.result.get("checkin_token") if d.outcome and is_confirmed(d) else None,
        confirmed=is_confirmed(d), by_message=confirmation_by_message(d), printed_at=app.clock.now(),
        language=app.visit.settings.language,
        town_phone=app.config.booking.phone, person_name=shown_name(app))


def shown_name(app: BookingHost) -> str:
    """The booking's name as the screen and the ticket write it (« Marie-Thérèse Dupré-Lefèvre »),
    or "" once what was typed is forgotten."""
    checked = checked_person(app)
    return booking_form.person_name(checked.person) if "last_name" in checked.person else ""


def forget(app: BookingHost) -> None:
    """Drop this booking and what was typed for it (the booking itself is made: it is in the
    outbox or at the town hall), keeping the visit's language and accessibility choices."""
    app.visit.drafts.pop(DRAFT, None)
    for key in booking_form.KEYS.values():
        if key in app.visit.fields:
            app.visit.fields[key] = ""
            del app.visit.fields[key]
