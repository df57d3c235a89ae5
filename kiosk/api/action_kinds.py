"""The kinds of citizens' actions a terminal sends, each declared once: the contract's side.

A citizen's action (a booking, a cancellation, a check-in...) travels as one outbox row of
a *kind*; the sync worker and the booking service send it with one keyed POST, and the
reference server answers it. Everything the contract says about a kind lives in its
:class:`ActionKind` below: the outbox name, the HTTP route, the request and response models,
the status of success. The terminal's side (the words the admin screen shows, the sentences
of its refusals) is declared beside it in :mod:`kiosk.services.action_kinds`; the outbox, the
push routes, the client and the reference server's URL table are derived from these two.
Why here: the reference server may import only ``kiosk.api``, and it must serve exactly
these routes.

Adding a kind (the démarche was the last one added, in four steps):

1. declare it here: a member of :class:`Kind` and its ``ActionKind`` in ``ACTION_KINDS`` (its
   operation must be in ``openapi.yaml``, its models in :mod:`kiosk.api.models`);
2. declare the words the admin screen shows and the refusal codes it may meet in
   ``kiosk.services.action_kinds.TERMINAL_SIDE`` (a new code gets its sentence in
   ``kiosk.services.outcomes.MESSAGES``; translate both in ``kiosk/locale``);
3. give the reference server its handler in ``kiosk.demo_api.routes.ACTION_HANDLERS``;
4. build its :class:`~kiosk.services.outcomes.Action` in the feature's service.

Nothing else: the outbox accepts it (its ``kind`` column has no list since schema v5), the
sync worker sends it, and ``tests/central_api/test_action_kinds.py`` fails if a piece is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from kiosk.api import models


class Kind(StrEnum):
    """The name of a kind: an outbox row's ``kind``, an Outcome's ``kind``."""

    BOOKING = "booking"
    BOOKING_REQUEST = "booking_request"
    CANCELLATION = "cancellation"
    CHECKIN = "checkin"
    QUEUE_TICKET = "queue_ticket"
    DEMARCHE = "demarche"


@dataclass(frozen=True)
class ActionKind:
    """One kind of citizen's action, as the contract knows it."""

    name: Kind
    path: str                         # the operation's path template in openapi.yaml
    request: type[models.Outgoing]    # the body the terminal POSTs
    response: type[models.Incoming]   # the server's answer
    success_status: int               # the HTTP status of success (kept for the admin screen)
    method: str = "POST"
    # for a path with a parameter: the body fields that fill it, first present wins; the
    # first one is taken out of the body (it only names the resource, the rest proves it)
    path_fields: tuple[str, ...] = ()

    def request_path(self, body: dict[str, Any]) -> str:
        """The path of one request, without its leading slash. ``body`` loses the first path
        field (it only names the resource); a later one stays (it proves it too)."""
        if not self.path_fields:
            return self.path.lstrip("/")
        first, *others = self.path_fields
        value = body.pop(first, None) or (body[others[0]] if others else None)
        if value is None:
            raise KeyError(first)
        start, _brace, rest = self.path.partition("{")
        return f"{start.lstrip('/')}{quote(str(value), safe='')}{rest.partition('}')[2]}"


BOOKING = ActionKind(Kind.BOOKING, "/v1/bookings", models.BookingCreate, models.Booking, 201)
BOOKING_REQUEST = ActionKind(Kind.BOOKING_REQUEST, "/v1/booking-requests", models.BookingRequestCreate,
                             models.BookingRequest, 202)
# the path names the booking (id or reference); the body proves it (reference + last name or token)
CANCELLATION = ActionKind(Kind.CANCELLATION, "/v1/bookings/{booking_id}/cancel", models.BookingCancel, models.Booking,
                          200, path_fields=("booking_id", "reference"))
CHECKIN = ActionKind(Kind.CHECKIN, "/v1/checkins", models.CheckinCreate, models.Checkin, 200)
# a walk-in number: the outbox row's UUID makes a second press, or a retry, the same number
QUEUE_TICKET = ActionKind(Kind.QUEUE_TICKET, "/v1/queue-tickets", models.QueueTicketCreate, models.QueueTicket, 200)
# a filled form (a request or a report): the answer is a tracking code; a report may go to Open311
# instead (the terminal's sender picks the route, the outbox row stays of this kind)
DEMARCHE = ActionKind(Kind.DEMARCHE, "/v1/demarches", models.DemarcheRequest, models.DemarcheFiled, 201)

ACTION_KINDS: Mapping[Kind, ActionKind] = {k.name: k for k in (BOOKING, BOOKING_REQUEST, CANCELLATION, CHECKIN,
                                                                 QUEUE_TICKET, DEMARCHE)}
KIND_NAMES: tuple[str, ...] = tuple(ACTION_KINDS)


def action_kind(name: str) -> ActionKind:
    """The kind called ``name``; ``ValueError`` names the known ones."""
    try:
        return ACTION_KINDS[Kind(name)]
    except ValueError:
        raise ValueError(f"unknown action kind {name!r}; one of {', '.join(KIND_NAMES)}") from None

