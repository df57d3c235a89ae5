"""Booking, booking request and cancellation, as outbox actions.

The payload is checked against the contract's own request model (``kiosk.api.models``)
*before* anything is stored: a bad value is the screen's bug, and it must come back as a
clear :class:`ValueError` at once rather than as a row the server will refuse hours later.
Personal data (the person, the last name of a cancellation) goes into the row's personal
part, which the outbox erases as soon as the server has answered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from kiosk.api import models
from kiosk.api.checkin_token import TokenError, decode_unverified
from kiosk.api.references import normalised
from kiosk.checkin.service import UnknownKey, verify_token
from kiosk.services.outcomes import Action, Kind, Outcome, Status

PLACEHOLDER_TERMINAL = "this-terminal"   # the sync layer puts the enrolled device id in at send time


def _check(model: type[BaseModel], body: dict[str, Any]) -> None:
    """Raise ValueError naming the fields (never their values: they may be personal)."""
    try:
        model.model_validate({"terminal_id": PLACEHOLDER_TERMINAL, **body})
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "body"
                         for e in exc.errors(include_url=False, include_input=False)})
        raise ValueError(f"{model.__name__}: invalid {', '.join(fields)}") from None


def _person(person: Mapping[str, Any]) -> dict[str, Any]:
    return {k: str(v).strip() for k, v in person.items() if v not in (None, "")}


def booking(service_id: str, slot_id: str, person: Mapping[str, Any], now: datetime,
            reference: str | None = None) -> Action:
    """A booking of one slot (online: a reference and a QR at once; offline: queued). A phone or
    an e-mail is optional here (a reminder); ``details["contact_given"]`` says whether there is one.
    ``reference``: the one this terminal assigned in its namespace (kiosk.api.references), sent
    with the booking and kept by the server, so that the ticket's is right even if no answer comes."""
    payload = {"slot_id": slot_id, "service_id": service_id, "channel": "kiosk", "created_at": now.isoformat()}
    if reference is not None:
        payload["reference"] = reference
    personal = {"person": _person(person)}
    _check(models.BookingCreate, {**payload, **personal})
    # a queued booking is confirmed later: the screen says how the person will hear of it
    contact = bool(personal["person"].get("phone") or personal["person"].get("email"))
    details: dict[str, Any] = {"contact_given": contact}
    if reference is not None:
        details["reference"] = reference
    return Action(Kind.BOOKING, payload, personal, details=details)


def booking_request(service_id: str, wanted_start: datetime, person: Mapping[str, Any], now: datetime,
                    wanted_slot_id: str | None = None, reference: str | None = None) -> Action:
    """A booking asked while offline: the wanted time, confirmed later by SMS or e-mail
    (so a phone or an e-mail is required, as the contract says); ``reference`` as for
    :func:`booking` (the ticket's, which the town then finds the request by)."""
    payload = {"service_id": service_id, "wanted_start": wanted_start.isoformat(), "channel": "kiosk",
               "created_at": now.isoformat()}
    if wanted_slot_id:
        payload["wanted_slot_id"] = wanted_slot_id
    if reference is not None:
        payload["reference"] = reference
    personal = {"person": _person(person)}
    _check(models.BookingRequestCreate, {**payload, **personal})
    if wanted_start <= now:
        raise ValueError("BookingRequestCreate: wanted_start must be in the future")
    details = {"service_id": service_id, "wanted_start": wanted_start.isoformat()}
    if reference is not None:
        details["reference"] = reference
    return Action(Kind.BOOKING_REQUEST, payload, personal, details=details)


def cancellation(reference: str, last_name: str) -> Action:
    """Cancel by reference and last name (the server answers 404 for either being wrong); the
    reference as printed, however it was typed (« k7mq4hpxre » is K7M-Q4HP-XRE)."""
    payload = {"reference": normalised(reference)}
    personal = {"last_name": last_name.strip()}
    _check(models.BookingCancel, {**payload, **personal})
    return Action(Kind.CANCELLATION, payload, personal, details={"reference": payload["reference"]})


def cancellation_by_token(token: str, now: datetime) -> Action:
    """Cancel with the ticket's QR code: the token proves the booking (checked on the terminal
    first, like a check-in but any day). It is kept in the row's personal part, erased once
    the server has answered: until then it is what lets anyone cancel that appointment."""
    token = token.strip()
    try:
        reference = str(decode_unverified(token).get("ref") or "")
        payload, personal = {"reference": reference.upper()}, {"token": token}
        _check(models.BookingCancel, {**payload, **personal})
    except ValueError:      # TokenError, or what it claims is no reference: not a ticket, never raised
        return Action(Kind.CANCELLATION, {}, None, precheck=lambda conn: Outcome(Kind.CANCELLATION, Status.REFUSED,
                                                                               code="invalid_token"))

    def precheck(conn: sqlite3.Connection) -> Outcome | dict[str, Any]:
        try:
            claims = verify_token(conn, token, now, any_day=True)
        except UnknownKey:
            return {"verified": False}
        except TokenError as exc:
            return Outcome(Kind.CANCELLATION, Status.REFUSED, code=str(exc.args[0]))
        return {"verified": True, "service_id": claims.get("svc"), "start": claims.get("start")}

    return Action(Kind.CANCELLATION, payload, personal, details={"reference": payload["reference"]}, precheck=precheck)
