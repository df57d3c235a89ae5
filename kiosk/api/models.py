"""Pydantic v2 models for every Kiosk Sync API v1 payload (mirrors ``openapi.yaml``).

Two families, on purpose:

* ``Outgoing`` — what a terminal *sends*. ``extra="forbid"``: a typo or a stray field in
  our own code fails loudly in tests instead of being silently ignored by the server.
  The reference server validates request bodies with these same classes.
* ``Incoming`` — what a terminal *receives*. ``extra="ignore"``: a newer server may add
  fields without breaking terminals already in the street. Fields the kiosk acts on are
  still strict (enumerated states, aware datetimes, coordinate ranges, ``strict=True`` on
  the numbers and flags the kiosk computes with: ``"3"`` is not a number of places),
  because a wrong value there must keep the previous cache in use rather than show nonsense.

A test checks that every component schema in the YAML has a model here with the same
required fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

TRACKING_CODE = r"^[A-Z]{4}-[0-9]{4}$"
Domain = Literal["État civil", "Citoyenneté", "Éducation", "Urbanisme", "Social-Solidarité",
                 "Réglementation", "Emploi", "Réservation"]
BookingState = Literal["booked", "arrived", "cancelled", "noshow", "fulfilled"]
Short = Field(min_length=1, max_length=200)


class Outgoing(BaseModel):
    """Base of request bodies: unknown fields are an error (see module docstring)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Incoming(BaseModel):
    """Base of response bodies: unknown fields are ignored (see module docstring)."""

    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------- errors
class Error(Incoming):
    """The one error shape; ``error`` is a stable machine code, ``message`` is for logs."""

    error: str = Field(pattern=r"^[a-z_]+$")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------- enrolment
class TerminalFacts(Outgoing):
    """What a terminal says about itself when enrolling; never personal data."""

    hostname: str = Field(min_length=1, max_length=100)
    kind: Literal["totem", "counter"]
    app_version: str = Field(min_length=1, max_length=40)
    model: str | None = Field(default=None, max_length=100)
    location: str | None = Field(default=None, max_length=200)


class EnrollRequest(Outgoing):
    enrolment_code: str = Field(min_length=6, max_length=64)
    terminal: TerminalFacts


class EnrollResponse(Incoming):
    device_id: str
    token: str = Field(min_length=20)
    token_type: Literal["Bearer"]


# ---------------------------------------------------------------- catalog
class Document(Incoming):
    label: str
    note: str | None = None


class Service(Incoming):
    id: str
    name: str
    domain: Domain
    description: str
    documents: list[Document]
    duration_minutes: int = Field(ge=5, le=480, strict=True)
    agenda_ids: list[str]
    place_id: str | None


class Closure(Incoming):
    """An exceptional closure, inclusive dates, on top of ``opening_hours``."""

    start: date
    end: date
    reason: str


class Address(Incoming):
    street: str
    postcode: str
    city: str


class Place(Incoming):
    """A place; ``opening_hours`` is the raw OSM string: the kiosk parses it and shows
    "horaires : voir sur place" when it cannot, so it is not validated here."""

    id: str
    name: str
    category: str
    address: Address
    latitude: float | None = Field(ge=-90, le=90, strict=True)
    longitude: float | None = Field(ge=-180, le=180, strict=True)
    phone: str | None
    opening_hours: str | None
    closures: list[Closure]
    wheelchair: Literal["yes", "limited", "no", "unknown"]


class Page(Incoming):
    """Practical information; ``format`` is open: the kiosk shows plain text for markup it
    does not know."""

    id: str
    title: str
    format: str
    body: str
    updated_at: AwareDatetime


class Event(Incoming):
    id: str
    title: str
    description: str
    start: AwareDatetime
    end: AwareDatetime
    place_id: str | None
    category: str


class DeletedIds(Incoming):
    services: list[str]
    places: list[str]
    pages: list[str]
    events: list[str]


class Catalog(Incoming):
    """Full catalog, or only what changed after ``since`` (then ``deleted`` lists the ids
    to drop). ``cursor`` is opaque: send it back as ``?since=``."""

    cursor: str
    full: bool = Field(strict=True)
    services: list[Service]
    places: list[Place]
    pages: list[Page]
    events: list[Event]
    deleted: DeletedIds


# ---------------------------------------------------------------- availability
class Slot(Incoming):
    id: str
    start: AwareDatetime
    end: AwareDatetime
    places_left: int = Field(ge=0, strict=True)


class Alternative(Slot):
    """A nearby free slot offered in a 409 (``details.alternatives``), on any agenda of
    the service."""

    agenda_id: str
    places_left: int = Field(ge=1, strict=True)


class SlotList(Incoming):
    agenda_id: str
    cursor: str
    full: bool = Field(strict=True)
    slots: list[Slot]
    deleted: list[str]


# ---------------------------------------------------------------- bookings
class Person(Outgoing):
    """The citizen booking a slot; a phone or an e-mail is optional (a reminder): the booking
    is confirmed on the spot."""

    last_name: str = Field(min_length=1, max_length=100)
    first_name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 .]{8,20}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)


class ContactPerson(Person):
    """The citizen of an offline request: the town confirms later, so it must reach them."""

    @model_validator(mode="after")
    def _contact(self) -> ContactPerson:
        if not self.phone and not self.email:
            raise ValueError("a phone number or an e-mail address is required")
        return self


class BookingCreate(Outgoing):
    slot_id: str = Field(min_length=1, max_length=100)
    service_id: str = Field(min_length=1, max_length=100)
    person: Person
    channel: Literal["kiosk"]
    terminal_id: str = Field(min_length=1, max_length=100)
    created_at: AwareDatetime


class Booking(Incoming):
    """A booking as the server holds it; no personal data comes back to the terminal."""

    id: str
    reference: str
    state: BookingState
    service_id: str
    slot_id: str
    start: AwareDatetime
    end: AwareDatetime
    checkin_token: str


class BookingCancel(Outgoing):
    """The reference, proved by the last name (typed) or by the check-in token (the QR code)."""

    reference: str = Field(min_length=1, max_length=40)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    token: str | None = Field(default=None, max_length=2000)
    terminal_id: str = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _one_proof(self) -> BookingCancel:
        if bool(self.last_name) == bool(self.token):
            raise ValueError("give exactly one of last_name or token")
        return self


class BookingRequestCreate(Outgoing):
    """A booking asked while the terminal was offline: the wanted time, not a slot."""

    service_id: str = Field(min_length=1, max_length=100)
    wanted_start: AwareDatetime
    wanted_slot_id: str | None = Field(default=None, max_length=100)
    person: ContactPerson
    channel: Literal["kiosk"]
    terminal_id: str = Field(min_length=1, max_length=100)
    created_at: AwareDatetime


class BookingRequest(Incoming):
    id: str
    reference: str
    state: Literal["pending", "confirmed", "proposed", "refused"]
    service_id: str
    wanted_start: AwareDatetime


# ---------------------------------------------------------------- check-ins
class CheckinCreate(Outgoing):
    token: str | None = Field(default=None, max_length=2000)
    reference: str | None = Field(default=None, max_length=40)
    terminal_id: str = Field(min_length=1, max_length=100)
    scanned_at: AwareDatetime

    @model_validator(mode="after")
    def _one_of(self) -> CheckinCreate:
        if bool(self.token) == bool(self.reference):
            raise ValueError("give exactly one of token or reference")
        return self


class Checkin(Incoming):
    booking_id: str
    reference: str
    queue_number: str
    counter: str
    estimated_wait_minutes: int = Field(ge=0, strict=True)


# ---------------------------------------------------------------- request tracking
class TrackingStep(Incoming):
    label: str
    date: date | None
    done: bool = Field(strict=True)


class TrackedRequest(Incoming):
    """A citizen's file as the public may see it from its code: never personal data."""

    tracking_code: str = Field(pattern=TRACKING_CODE)
    request_type: str
    status: Literal["in_progress", "waiting_citizen", "completed", "rejected"]
    current_step: str
    steps: list[TrackingStep]
    message: str | None
    updated_at: AwareDatetime


# ---------------------------------------------------------------- keys
class PublicKey(Incoming):
    kid: str
    alg: Literal["EdDSA"]
    crv: Literal["Ed25519"]
    public_key: str = Field(pattern=r"^[A-Za-z0-9_-]{43}$", description="raw 32-byte key, base64url without padding")
    not_before: AwareDatetime
    not_after: AwareDatetime


class RevokedKey(Incoming):
    kid: str
    revoked_at: AwareDatetime


class RevokedToken(Incoming):
    jti: str
    revoked_at: AwareDatetime


class KeySet(Incoming):
    keys: list[PublicKey]
    revoked_keys: list[RevokedKey]
    revoked_tokens: list[RevokedToken]


# ---------------------------------------------------------------- heartbeat
class StorageHealth(Outgoing):
    """The state of the terminal's own disk: « full » (new actions refused, none lost),
    « outbox_moved_aside » (a damaged file of waiting actions kept for support), or
    « unavailable » (the cache cannot be opened)."""

    state: Literal["ok", "full", "outbox_moved_aside", "unavailable"]
    outbox_files_moved_aside: int = Field(ge=0)


class Heartbeat(Outgoing):
    """Health of one terminal; usage counters are anonymous per-feature totals."""

    version: str = Field(min_length=1, max_length=40)
    uptime_s: int = Field(ge=0)
    device_states: dict[str, Literal["ok", "degraded", "error", "absent"]]
    outbox_depth: int = Field(ge=0)
    last_sync: AwareDatetime | None
    usage: dict[str, int]
    sent_at: AwareDatetime
    storage: StorageHealth | None = None


class HeartbeatAck(Incoming):
    server_time: AwareDatetime
    config_overrides: dict[str, Any]


ALL_MODELS: dict[str, type[BaseModel]] = {
    name: obj for name, obj in list(globals().items())
    if isinstance(obj, type) and issubclass(obj, BaseModel) and obj not in (Outgoing, Incoming, BaseModel)
}
