"""The booking screens' states for ``kiosk screenshots``.

The gallery runs without a server: the app gets a :class:`SeededData` (the reference seed's
catalog and slots in a real cache), and steps are reached by taps and typing as a person
would. What only a server can answer — a booking's reference and signed token, a 409 with
alternatives, a cancellation — is given to the screen as the ``Outcome`` the services would
post, with sample values (like the tracking result states).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.clock import PARIS
from kiosk.devtools.screenshots.speech import with_speech

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot
    from kiosk.services import Outcome
    from screens.base import Screen

SERVICE = "svc-cni"
# a reference of the seeded terminal (kiosk.devtools.offline_seed.SEEDED_NAMESPACE), with its check character
TERMINAL_REFERENCE = "K7M-Q4HP-XRE"
S = TypeVar("S", bound="Screen")


def _on(p: Pilot, kind: type[S]) -> S:
    """The screen the gallery is on, which the step before it made a ``kind``."""
    screen = p.screen
    assert isinstance(screen, kind), screen
    return screen


def _then(*steps: Callable[[Pilot], object]) -> Callable[[Pilot], None]:
    """A state reached by several actions, each in turn."""
    def reach(p: Pilot) -> None:
        for step in steps:
            step(p)
    return reach


#: The gallery's signing key: public on purpose, it signs nothing a terminal would accept.
GALLERY_KEY_SEED = bytes(range(32))


def sample_token(reference: str, start: datetime) -> str:
    """A token in the contract's format, signed by a fixed throwaway key (the gallery has no server):
    the same gallery state gives the same QR code, so two renderings can be compared by hash."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.api.checkin_token import b64url

    payload = {"v": 1, "kid": "scv-2026-01", "jti": "bk-0001", "ref": reference, "svc": SERVICE,
               "slot": "ag-etat-civil-1-sample", "start": start.isoformat(),
               "exp": int((start + timedelta(days=1)).timestamp())}
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{b64url(Ed25519PrivateKey.from_private_bytes(GALLERY_KEY_SEED).sign(body.encode('ascii')))}"


def _offline(p: Pilot) -> None:
    from kiosk import events
    from kiosk.devtools.offline_seed import SeededData

    data = p.app.data
    assert isinstance(data, SeededData)     # the booking states run on the seeded cache (data_for)
    data.online = False
    events.NetworkStatus(online=False).post()
    p.settle()


def _domain(p: Pilot, name: str = "État civil") -> None:
    from kiosk.catalog_text import domain_name

    p.tap("feature-booking")
    p.tap(text=domain_name(name))    # as the tile says it, in the gallery's language


def _service(p: Pilot) -> None:
    from screens.booking.choose_service import open_booking

    open_booking(p.app, SERVICE)
    p.settle()


def _day(p: Pilot) -> None:
    _service(p)
    p.tap("choose-day")


def _time(p: Pilot) -> None:
    _day(p)
    p.tap("see-times")


def _person(p: Pilot, offline: bool = False) -> None:
    if offline:
        _offline(p)
    from kiosk.booking import flow as booking_flow
    from screens.booking.times import BookingTimeScreen

    _time(p)
    day = _on(p, BookingTimeScreen).draft.chosen_day
    first = booking_flow.services(p.app).availability.day_slots(SERVICE, day)[0]
    p.tap(f"slot-{first.start:%H%M}")


def _person_errors(p: Pilot) -> None:
    _person(p)
    p.type("Dupont2")
    p.tap("field-phone")
    p.type("0612")
    p.tap("continue")


def _typed(p: Pilot, offline: bool = False) -> None:
    _person(p, offline)
    p.type("Lefèvre-Müller")
    p.tap("key-enter")
    p.type("Ève")
    p.tap("key-enter")
    p.type("06 12 34 56 78")


def _confirm(p: Pilot, offline: bool = False) -> None:
    _typed(p, offline)
    p.tap("continue")


def _outcome(p: Pilot, status: str, **kw: Any) -> Outcome:
    from kiosk.booking import flow as booking_flow
    from kiosk.services import Kind, Outcome, Status

    kind = Kind.BOOKING_REQUEST if status == "queued" and booking_flow.services(p.app).is_offline else Kind.BOOKING
    return Outcome(kind, Status(status), str(uuid.uuid5(uuid.NAMESPACE_URL, "kiosk-gallery")), **kw)


def _conflict(p: Pilot) -> None:
    from screens.booking.confirm import BookingConfirmScreen

    _confirm(p)
    screen = _on(p, BookingConfirmScreen)
    slot = screen.draft.slot
    assert slot is not None
    alternatives = [{"id": f"alt-{i}", "agenda_id": "ag-etat-civil-1", "places_left": 1,
                     "start": (slot.start + timedelta(minutes=20 * i)).isoformat(),
                     "end": (slot.start + timedelta(minutes=20 * i + 20)).isoformat()} for i in (1, 2, 3)]
    screen._answer(_outcome(p, "conflict", alternatives=alternatives, code="slot_unavailable"))


def _refused(p: Pilot) -> None:
    from screens.booking.confirm import BookingConfirmScreen

    _confirm(p)
    _on(p, BookingConfirmScreen)._answer(_outcome(p, "refused", code="invalid_state"))


def _done(p: Pilot, print_state: str | None = None, offline: bool = False, answer_lost: bool = False) -> None:
    """« C'est réservé », or — ``offline`` — a request waiting in the outbox (a contact given), or
    — ``answer_lost`` — a booking without phone or e-mail whose answer never came (issue 14, defect 1)."""
    from screens.booking.confirm import BookingConfirmScreen
    from screens.booking.done import BookingDoneScreen

    if answer_lost:
        _person(p)
        p.type("Lefèvre-Müller")
        p.tap("key-enter")
        p.type("Ève")
        p.tap("continue")                    # online: no contact needed
    else:
        _confirm(p, offline)
    confirm = _on(p, BookingConfirmScreen)
    slot = confirm.draft.slot
    assert slot is not None
    mine = {"reference": TERMINAL_REFERENCE, "contact_given": not answer_lost}   # as kiosk.booking.service says
    if offline or answer_lost:
        outcome = _outcome(p, "queued", details=mine)
    else:
        outcome = _outcome(p, "done", details=mine,
                           result={"reference": TERMINAL_REFERENCE, "start": slot.start.isoformat(),
                                   "checkin_token": sample_token(TERMINAL_REFERENCE, slot.start)})
    confirm._answer(outcome)
    p.settle()
    if print_state is not None:
        p.settle_printing()            # the real ticket's answer first: then the state shown stays
        done = _on(p, BookingDoneScreen)
        done.print_state = print_state
        done.rebuild()


def _cancel(p: Pilot, reference: str = "", name: str = "") -> None:
    p.tap("feature-booking")
    p.tap("cancel-booking")
    if reference:
        p.type(reference.lower())
    if name:
        p.tap("field-last-name")
        p.type(name)


def _cancel_scanned(p: Pilot) -> None:
    from screens.booking.cancel import BookingCancelScreen

    _cancel(p)
    start = datetime(2026, 12, 3, 10, 30, tzinfo=PARIS)
    screen = _on(p, BookingCancelScreen)
    screen.ticket = {"ref": "RDV-K7QM-4P", "svc": SERVICE, "start": start.isoformat()}
    p.app.visit.fields["cancel_reference"] = "RDV-K7QM-4P"
    screen.focus = "cancel_last_name"
    screen.rebuild()
    p.type("N'Diaye")


def _cancel_review(p: Pilot) -> None:
    _cancel_scanned(p)
    p.tap("continue")


def _cancel_typed_review(p: Pilot, outcome: str) -> None:
    """A reference typed without hyphens, read as printed; the central API's check answered
    (found: the appointment it names) or could not be asked (unchecked: offline)."""
    from kiosk.booking.cancel_answer import CancelCheck
    from screens.booking.cancel import BookingCancelScreen

    _cancel(p, "rdvk7qm4p", "Lefèvre")
    p.tap("continue")
    screen = _on(p, BookingCancelScreen)
    start = datetime(2026, 12, 3, 10, 30, tzinfo=PARIS)
    found = {"reference": "RDV-K7QM-4P", "service_id": SERVICE, "start": start.isoformat()}
    screen._check_answer(CancelCheck(screen.checking or 0, outcome, found if outcome == "found" else {}))


def _cancel_answer(p: Pilot, status: str) -> None:
    from kiosk.services import Kind, Outcome, Status
    from screens.booking.cancel import BookingCancelScreen

    _cancel_review(p)
    screen = _on(p, BookingCancelScreen)
    if status == "refused":
        screen._answer(Outcome(Kind.CANCELLATION, Status.REFUSED, code="not_found"))
    else:
        screen._answer(Outcome(Kind.CANCELLATION, Status(status), "k", result={"service_id": SERVICE}))


STATES: dict[str, dict[str, Callable[[Pilot], object]]] = {
    "booking": {
        "domains": lambda p: p.tap("feature-booking"),
        "services": _domain,
        # a service the town gives in French only: in English, the tile is French and one note says so
        "services-french-only": lambda p: _domain(p, "Réglementation"),
        "search": _then(lambda p: p.tap("feature-booking"), lambda p: p.tap("search"), lambda p: p.type("etat civ")),
        "offline": _then(_offline, _domain),
    },
    "booking_service": {"default": _service},
    "booking_day": {"default": _day, "next-month": _then(_day, lambda p: p.tap("month-next"))},
    "booking_time": {"default": _time},
    "booking_person": {
        "empty": _person,
        "typed": _typed,
        "errors": _person_errors,
        "offline-contact-required": _then(lambda p: _person(p, offline=True), lambda p: p.type("Lefèvre"),
                                          lambda p: p.tap("continue")),
    },
    "booking_confirm": {
        "default": _confirm,
        "offline-request": lambda p: _confirm(p, offline=True),
        "slot-taken": _conflict,
        "refused": _refused,
    },
    "booking_done": {
        "printing": lambda p: _done(p, "printing"),
        "printed": lambda p: _done(p, "printed"),
        "printer-failed": lambda p: _done(p, "failed"),
        "offline-request": lambda p: _done(p, offline=True),
        "answer-lost-no-contact": lambda p: _done(p, answer_lost=True),
        "speech-on-printed": with_speech(lambda p: _done(p, "printed")),
        "speech-on-printer-failed": with_speech(lambda p: _done(p, "failed")),
    },
    "booking_cancel": {
        "empty": _cancel,
        "typed": lambda p: _cancel(p, TERMINAL_REFERENCE.replace("-", ""), "Lefèvre"),
        "scanned": _cancel_scanned,
        "review": _cancel_review,
        "typed-review": lambda p: _cancel_typed_review(p, "found"),
        "typed-unchecked": lambda p: _cancel_typed_review(p, "unchecked"),
        "wrong-name": lambda p: _cancel_answer(p, "refused"),
        "cancelled": lambda p: _cancel_answer(p, "done"),
        "offline-recorded": lambda p: _cancel_answer(p, "queued"),
    },
}
