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
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

TRACKING_CODE = r"^[A-Z]{4}-[0-9]{4}$"
# The patterns of openapi.yaml, written with explicit \uXXXX classes (no \s, \w, \d) so that
# JSON Schema (ECMA-262), pydantic (Rust regex) and Python's re read them alike.
ID = r"^[A-Za-z0-9_.:-]{1,100}$"
NO_CONTROL = r"^[^\u0000-\u001F\u007F-\u009F]*$"
_CC = r"[^\u0000-\u001F\u007F-\u009F]*"
LATIN_LETTER = r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]"
NAME = rf"^{_CC}{LATIN_LETTER}{_CC}$"
_E = r"[^@\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]"
EMAIL = rf"^{_E}+@{_E}+\.{_E}+$"
PHONE = r"^\+?[0-9][0-9 .]{6,18}[0-9]$"
VERSION = r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$"
TOKEN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
QUEUE_NUMBER = r"^[A-Z][0-9]{3}$"
LETTER = r"^[A-Z]$"
Domain = Literal["État civil", "Citoyenneté", "Éducation", "Urbanisme", "Social-Solidarité",
                 "Réglementation", "Emploi", "Réservation"]
BookingState = Literal["booked", "arrived", "cancelled", "noshow", "fulfilled"]
Short = Field(min_length=1, max_length=200)


def _integral(value: object) -> object:
    """JSON Schema's ``integer`` is any number without a fractional part: ``130345.0`` is one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_integral)]


class Outgoing(BaseModel):
    """Base of request bodies: unknown fields are an error (see module docstring)."""

    model_config = ConfigDict(extra="forbid")


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
#: What a terminal is to the town: a street totem, a counter terminal, a waiting-room display
#: (the back office lists and counts them apart; a display hands out nothing).
TerminalKind = Literal["totem", "counter", "display"]
_KIND_OF_PROFILE: dict[str, TerminalKind] = {"street": "totem", "counter": "counter", "display": "display"}


def kind_of_profile(profile: str) -> TerminalKind:
    """The contract's terminal kind for a ``[terminal] profile`` (enrolment says it)."""
    return _KIND_OF_PROFILE[profile]


class TerminalFacts(Outgoing):
    """What a terminal says about itself when enrolling; never personal data."""

    hostname: str = Field(min_length=1, max_length=100, pattern=NO_CONTROL)
    kind: TerminalKind
    app_version: str = Field(min_length=1, max_length=40, pattern=VERSION)
    model: str | None = Field(default=None, max_length=100, pattern=NO_CONTROL)
    location: str | None = Field(default=None, max_length=200, pattern=NO_CONTROL)


class EnrollRequest(Outgoing):
    enrolment_code: str = Field(min_length=6, max_length=64, pattern=r"^[A-Za-z0-9-]{6,64}$")
    terminal: TerminalFacts


class EnrollResponse(Incoming):
    device_id: str
    token: str = Field(min_length=20)
    token_type: Literal["Bearer"]


# ---------------------------------------------------------------- catalog
class Document(Incoming):
    label: str
    note: str | None = None


class WalkIn(Incoming):
    """A service that also receives visitors without appointment: its letter, when numbers are
    handed out (OSM opening_hours, parsed by the terminal like a place's), how many a day, and
    where to wait."""

    prefix: str = Field(pattern=LETTER)
    hours: str = Field(min_length=1)
    daily_capacity: int = Field(ge=1, le=999, strict=True)
    waiting_area: str


class ServiceText(Incoming):
    """A service's name and description in one visit language, as the town gives them; a part
    left out is shown in French (the kiosk then says that it is given in French only)."""

    name: str | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, min_length=1)


# A visit language's code in ``translations`` (ISO 639-1, lower case: "en"). French is the text itself.
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]


class Service(Incoming):
    id: str
    name: str
    domain: Domain
    description: str
    documents: list[Document]
    duration_minutes: int = Field(ge=5, le=480, strict=True)
    agenda_ids: list[str]
    place_id: str | None
    walk_in: WalkIn | None = None   # optional: catalogs from before walk-ins stay valid
    # agenda id → the letter of its check-in numbers, so that a terminal numbers a check-in offline
    # without having seen the queue board; optional: catalogs from before it stay valid
    agenda_letters: dict[str, Annotated[str, Field(pattern=LETTER)]] = Field(default_factory=dict)
    # language code → the town's own translation of name and description ("en": {...}); optional:
    # catalogs without it stay valid, and a service without a language is shown in French
    translations: dict[LanguageCode, ServiceText] = Field(default_factory=dict)


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


# ---------------------------------------------------------------- démarches (forms the town publishes)
FORM_ID = r"^[a-z0-9-]{1,64}$"
#: The kinds of form a terminal knows: a request goes to ``POST /v1/demarches``, a report may go to
#: Open311. A form of another kind (from a newer server) is carried by the catalog and left unavailable.
FORM_KINDS = ("request", "report")
#: The widgets of ``ui.fields`` a terminal knows (a closed list: a form using another is unavailable).
FORM_WIDGETS = ("choice", "text", "date", "yes_no", "phone", "email", "postcode", "location", "address")


class LocalizedText(Incoming):
    """A human text in the visit languages: French always, English when the town gives it (else the
    terminal shows the French and says so once)."""

    fr: str = Field(min_length=1)
    en: str | None = Field(default=None, min_length=1)


class Street(Incoming):
    """A street of the town, for the « where » of a report and for postal addresses."""

    id: str = Field(pattern=ID)
    name: str = Field(min_length=1)
    postcode: str = Field(pattern=r"^[0-9]{5}$")
    latitude: float | None = Field(ge=-90, le=90, strict=True)
    longitude: float | None = Field(ge=-180, le=180, strict=True)


class FormBefore(Incoming):
    """What a person reads before starting: who may ask, what it costs, what to bring, how long it takes."""

    who: LocalizedText | None = None
    cost: LocalizedText | None = None
    bring: list[LocalizedText] = Field(default_factory=list)
    delay: LocalizedText | None = None


class FormReceipt(Incoming):
    """What the receipt says happens next."""

    next: LocalizedText


class FormDefinition(Incoming):
    """A démarche the town publishes: JSON Schema 2020-12 for the answers and their rules, a small UI
    layer for pages and widgets. Kept loose on purpose: ``schema`` and ``ui`` are checked here only
    as objects (the contract's document states their structure); the terminal's form engine checks
    them fully and leaves a form it cannot show unavailable, so one bad form never costs the rest
    of the catalog."""

    id: str = Field(pattern=FORM_ID)
    version: int = Field(ge=1, strict=True)
    kind: str = Field(pattern=r"^[a-z_]{1,40}$")
    profiles: list[Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]]
    title: LocalizedText
    summary: LocalizedText | None = None
    icon: str | None = Field(default=None, pattern=r"^[a-z0-9_-]{1,40}$")
    before: FormBefore | None = None
    json_schema: dict[str, Any] = Field(alias="schema")
    ui: dict[str, Any]
    receipt: FormReceipt | None = None
    # kind=report: the category's value -> the Open311 service_code it is filed under
    open311_service_codes: dict[str, str] = Field(default_factory=dict)


class DeletedIds(Incoming):
    services: list[str]
    places: list[str]
    pages: list[str]
    events: list[str]
    forms: list[str] = Field(default_factory=list)      # optional: servers from before démarches
    streets: list[str] = Field(default_factory=list)


class Catalog(Incoming):
    """Full catalog, or only what changed after ``since`` (then ``deleted`` lists the ids
    to drop). ``cursor`` is opaque: send it back as ``?since=``. ``forms`` and ``streets`` are
    optional (a server from before démarches sends none)."""

    cursor: str
    full: bool = Field(strict=True)
    services: list[Service]
    places: list[Place]
    pages: list[Page]
    events: list[Event]
    deleted: DeletedIds
    forms: list[FormDefinition] = Field(default_factory=list)
    streets: list[Street] = Field(default_factory=list)


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

    last_name: str = Field(min_length=1, max_length=100, pattern=NAME)
    first_name: str = Field(min_length=1, max_length=100, pattern=NAME)
    phone: str | None = Field(default=None, pattern=PHONE)
    email: str | None = Field(default=None, pattern=EMAIL, max_length=200)


class ContactPerson(Person):
    """The citizen of an offline request: the town confirms later, so it must reach them."""

    @model_validator(mode="after")
    def _contact(self) -> ContactPerson:
        if not self.phone and not self.email:
            raise ValueError("a phone number or an e-mail address is required")
        return self


class BookingCreate(Outgoing):
    slot_id: str = Field(min_length=1, max_length=100, pattern=ID)
    service_id: str = Field(min_length=1, max_length=100, pattern=ID)
    person: Person
    channel: Literal["kiosk"]
    terminal_id: str = Field(min_length=1, max_length=100, pattern=ID)
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

    reference: str = Field(min_length=1, max_length=40, pattern=NO_CONTROL)
    last_name: str | None = Field(default=None, min_length=1, max_length=100, pattern=NAME)
    token: str | None = Field(default=None, min_length=3, max_length=2000, pattern=TOKEN)
    terminal_id: str = Field(min_length=1, max_length=100, pattern=ID)

    @model_validator(mode="after")
    def _one_proof(self) -> BookingCancel:
        if bool(self.last_name) == bool(self.token):
            raise ValueError("give exactly one of last_name or token")
        return self


class BookingRequestCreate(Outgoing):
    """A booking asked while the terminal was offline: the wanted time, not a slot."""

    service_id: str = Field(min_length=1, max_length=100, pattern=ID)
    wanted_start: AwareDatetime
    wanted_slot_id: str | None = Field(default=None, max_length=100, pattern=ID)
    person: ContactPerson
    channel: Literal["kiosk"]
    terminal_id: str = Field(min_length=1, max_length=100, pattern=ID)
    created_at: AwareDatetime


class BookingRequest(Incoming):
    id: str
    reference: str
    state: Literal["pending", "confirmed", "proposed", "refused"]
    service_id: str
    wanted_start: AwareDatetime


# ---------------------------------------------------------------- check-ins
class CheckinCreate(Outgoing):
    token: str | None = Field(default=None, min_length=3, max_length=2000, pattern=TOKEN)
    reference: str | None = Field(default=None, min_length=1, max_length=40, pattern=NO_CONTROL)
    terminal_id: str = Field(min_length=1, max_length=100, pattern=ID)
    scanned_at: AwareDatetime
    # the number this terminal printed offline from its block of the day (kept by the server)
    offline_number: str | None = Field(default=None, pattern=QUEUE_NUMBER)

    @model_validator(mode="after")
    def _one_of(self) -> CheckinCreate:
        if bool(self.token) == bool(self.reference):
            raise ValueError("give exactly one of token or reference")
        return self


class Checkin(Incoming):
    """A visitor's queue ticket for a booking; ``estimated_wait_minutes`` is None when the
    server cannot estimate it now (never invented). Also ``details.checkin`` of a 409
    ``already_checked_in``: the same number, to print again."""

    booking_id: str
    reference: str
    service_id: str
    start: AwareDatetime
    queue_number: str
    counter: str
    people_ahead: int = Field(ge=0, strict=True)
    estimated_wait_minutes: int | None = Field(ge=0, strict=True)


# ---------------------------------------------------------------- queues
class NumberBlock(Incoming):
    """The numbers this terminal may hand out offline on ``day`` (every letter), inclusive."""

    day: date
    first: int = Field(ge=1, le=999, strict=True)
    last: int = Field(ge=1, le=999, strict=True)


class QueueTicketCreate(Outgoing):
    service_id: str = Field(min_length=1, max_length=100, pattern=ID)
    terminal_id: str = Field(min_length=1, max_length=100, pattern=ID)
    taken_at: AwareDatetime
    offline_number: str | None = Field(default=None, pattern=QUEUE_NUMBER)


class QueueTicket(Incoming):
    id: str
    service_id: str
    queue_number: str = Field(pattern=QUEUE_NUMBER)
    waiting_area: str
    people_ahead: int = Field(ge=0, strict=True)
    estimated_wait_minutes: int | None = Field(ge=0, strict=True)
    taken_at: AwareDatetime


QueueStatus = Literal["open", "closed", "full", "closing_soon"]


class QueueState(Incoming):
    """One letter's queue now; ``closing_soon``: the walk-in hours end within 15 minutes."""

    service_id: str
    letter: str = Field(pattern=LETTER)
    accepts_walk_ins: bool = Field(strict=True)
    status: QueueStatus
    waiting: int = Field(ge=0, strict=True)
    estimated_wait_minutes: int | None = Field(ge=0, strict=True)
    opens_at: AwareDatetime | None
    closes_at: AwareDatetime | None
    remaining_today: int | None = Field(ge=0, strict=True)


class QueueBoard(Incoming):
    day: date
    generated_at: AwareDatetime
    queues: list[QueueState]


class Call(Incoming):
    """A number called (or called again) to a counter, as the waiting room shows it."""

    seq: int = Field(ge=1, strict=True)
    queue_number: str = Field(pattern=QUEUE_NUMBER)
    counter: str
    service_id: str
    kind: Literal["call", "recall"]
    at: AwareDatetime


class WaitingCount(Incoming):
    letter: str = Field(pattern=LETTER)
    service_id: str
    waiting: int = Field(ge=0, strict=True)


class CallBoard(Incoming):
    """One long-poll answer: complete, the display rebuilds itself from it."""

    day: date
    seq: int = Field(ge=0, strict=True)
    calls: list[Call] = Field(max_length=10)
    waiting: list[WaitingCount]
    server_time: AwareDatetime


class AgentCallCreate(Outgoing):
    service_id: str = Field(min_length=1, max_length=100, pattern=ID)
    counter: str = Field(min_length=1, max_length=100, pattern=NO_CONTROL)


# ---------------------------------------------------------------- démarches (filing)
class DemarcheContact(Outgoing):
    """How the town reaches the person (the number by SMS or e-mail when filed offline): one at least."""

    phone: str | None = Field(default=None, pattern=PHONE)
    email: str | None = Field(default=None, pattern=EMAIL, max_length=200)

    @model_validator(mode="after")
    def _one_at_least(self) -> DemarcheContact:
        if not self.phone and not self.email:
            raise ValueError("a phone number or an e-mail address is required")
        return self


class DemarcheRequest(Outgoing):
    """A filled form, answered on the version the person started. ``answers`` are checked by the
    server against that version's JSON Schema (422 ``invalid_answers``), not by this model."""

    form_id: str = Field(pattern=FORM_ID)
    form_version: WholeNumber = Field(ge=1, le=1_000_000)
    answers: dict[str, Any] = Field(max_length=100)
    contact: DemarcheContact | None = None
    language: str = Field(pattern=r"^[a-z]{2}$")
    filed_at: AwareDatetime
    # optional: the outbox adds it to every action it sends; when given, it must be this device's id
    terminal_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=ID)


class DemarcheFiled(Incoming):
    """A démarche received: its tracking code (``GET /v1/requests/{code}``), never personal data."""

    id: str
    tracking_code: str = Field(pattern=TRACKING_CODE)
    form_id: str
    status: Literal["received"]
    title: str


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
Key40 = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class StorageHealth(Outgoing):
    """The state of the terminal's own disk: « full » (new actions refused, none lost),
    « outbox_moved_aside » (a damaged file of waiting actions kept for support), or
    « unavailable » (the cache cannot be opened)."""

    state: Literal["ok", "full", "outbox_moved_aside", "unavailable"]
    outbox_files_moved_aside: WholeNumber = Field(ge=0)


class Heartbeat(Outgoing):
    """Health of one terminal; usage counters are anonymous per-feature totals."""

    version: str = Field(min_length=1, max_length=40, pattern=VERSION)
    uptime_s: WholeNumber = Field(ge=0, le=315_576_000)
    device_states: dict[Key40, Literal["ok", "degraded", "error", "absent"]] = Field(max_length=32)
    outbox_depth: WholeNumber = Field(ge=0, le=10_000_000)
    last_sync: AwareDatetime | None
    usage: dict[Key40, Annotated[WholeNumber, Field(ge=0, le=1_000_000_000)]] = Field(max_length=64)
    sent_at: AwareDatetime
    storage: StorageHealth | None = None


class HeartbeatAck(Incoming):
    server_time: AwareDatetime
    config_overrides: dict[str, Any]


ALL_MODELS: dict[str, type[BaseModel]] = {
    name: obj for name, obj in list(globals().items())
    if isinstance(obj, type) and issubclass(obj, BaseModel) and obj not in (Outgoing, Incoming, BaseModel)
}
