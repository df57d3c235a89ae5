"""Check-in at the counter: a booking's QR code (or its typed reference) becomes a queue number.

The road, and why each step is where it is:

1. :meth:`CounterCheckin.examine` runs on the UI thread, at once (one SQLite read, one
   signature check): the token is verified with the cached keys and revocation lists, the
   appointment's time is set against the ``[checkin]`` window, and this terminal's memory of
   today's numbers is read. Too early, too late, another day, cancelled, forged: the person is
   told now, and nothing is sent. Scanned twice: the same number and a reprint.
2. Otherwise :meth:`CounterCheckin.send` hands a check-in action to the action runner: the
   outbox row is committed first, its UUID is the Idempotency-Key. On the runner's thread, before
   the row is written, the memory and the pending outbox rows are read again (a scan repeated
   while the first was on its way, or after a restart) so that a booking is never checked in
   twice. Offline, a verified token is numbered from this terminal's block
   (:mod:`kiosk.queue.numbering`) — the number travels in the payload as ``offline_number`` so
   the town keeps it; a typed reference or a token the cache cannot judge gets no number (the
   ticket sends the person to the reception desk: the booking may not exist).
3. :meth:`CounterCheckin.conclude` turns the runner's outcome into what the screen shows and
   the ticket prints (:class:`~kiosk.queue.ticket.QueueTicketView`), and remembers the number
   for the day. A ``409 already_checked_in`` from the server carries the first check-in: the
   same number is shown and printed again.

No name is read or shown: a token carries the reference, the service and the time.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.api import references
from kiosk.checkin import rules
from kiosk.checkin.service import TokenError, UnknownKey, precheck_token, verify_token
from kiosk.clock import PARIS
from kiosk.i18n import _
from kiosk.queue import memory, numbering
from kiosk.queue.ticket import QueueTicketView, queue_ticket
from kiosk.services.outcomes import Action, Kind, Outcome, Status

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.printing.document import Ticket
    from kiosk.services import Services

log = logging.getLogger("kiosk.checkin")


class Case(StrEnum):
    """What the screen says; each case has its own sentence and next step."""

    CHECKED_IN = "checked_in"      # done: the number (the server's, or this terminal's offline)
    ALREADY = "already"            # scanned twice: the same number, a reprint
    TOO_EARLY = "too_early"        # check-in opens at …
    LATE = "late"                  # past the grace: a walk-in number or a new booking
    OTHER_DAY = "other_day"        # the booking's date in words
    CANCELLED = "cancelled"
    NOT_OURS = "not_ours"          # forged, another town's, unreadable, a revoked key
    NOT_FOUND = "not_found"        # a typed reference the town does not know
    REFUSED = "refused"            # any other refusal of the town (plain sentence of the code)
    ERROR = "error"                # could not even be stored: nothing was done


@dataclass(frozen=True)
class Arrival:
    """A scanned or typed booking, examined on the terminal (step 1)."""

    key: str                                # what identifies the booking in the memory
    token: str | None = None
    reference: str | None = None
    verified: bool = False                  # the token's signature was checked here
    service_id: str | None = None
    slot_id: str | None = None
    start: datetime | None = None
    case: Case | None = None                # decided here (None: to be sent)
    remembered: memory.Remembered | None = None


@dataclass(frozen=True)
class CheckinResult:
    """What the screen shows after a check-in; ``view`` is also the printed ticket."""

    case: Case
    view: QueueTicketView | None = None
    service_id: str | None = None
    start: datetime | None = None
    opens_at: datetime | None = None
    offline: bool = False                   # queued: the town will hear of it when back online
    code: str | None = None                 # the refusal code behind REFUSED (its sentence)
    details: dict[str, Any] = field(default_factory=dict)


def typed_reference(typed: str) -> str:
    """A booking reference as typed or scanned, in its printed form (kiosk.api.references)."""
    return references.normalised(typed)


def reference_typo(reference: str) -> bool:
    """A terminal's reference whose check character does not match: one character mistyped."""
    return references.typing_problem(reference) is not None


class CounterCheckin:
    """The check-in rules of one counter terminal, over the app's :class:`~kiosk.services.Services`."""

    @classmethod
    def configured(cls, services: Services, config: KioskConfig) -> CounterCheckin:
        """With the terminal's ``[checkin]``, ``[queue]`` and town name."""
        return cls(services, early_min=config.checkin.early_min, late_grace_min=config.checkin.late_grace_min,
                   town=config.branding.town_name, follow_url=config.queue.follow_url or None)

    def __init__(self, services: Services, *, early_min: int, late_grace_min: int, town: str,
                 follow_url: str | None) -> None:
        self.services = services
        self.early_min, self.late_grace_min = early_min, late_grace_min
        self.town, self.follow_url = town, follow_url or None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.services.availability.conn

    def now(self) -> datetime:
        return self.services.clock.now()

    def today(self) -> date:
        return self.now().astimezone(PARIS).date()

    # -- step 1: on the terminal, at once ------------------------------------------------------
    def examine(self, token: str) -> Arrival:
        """A scanned booking QR code."""
        token = token.strip()
        now = self.now()
        try:
            claims = verify_token(self.conn, token, now, any_day=True)
        except UnknownKey:   # a key this cache cannot judge yet: the town decides (no offline number)
            return self._remembered(Arrival(key=f"checkin:{_claimed_id(token)}", token=token))
        except TokenError as exc:
            code = str(exc.args[0]) if exc.args else "invalid_token"
            if code == "token_revoked" and self._booking_cancelled(token):
                claimed = _claims(token)      # for « book again » on the same service only
                return Arrival(key="", token=token, service_id=str(claimed.get("svc") or "") or None,
                               case=Case.CANCELLED)
            return Arrival(key="", token=token, case=Case.NOT_OURS)
        start = datetime.fromisoformat(str(claims.get("start")))
        arrival = Arrival(key=f"checkin:{claims.get('jti')}", token=token, verified=True,
                          service_id=str(claims.get("svc") or ""), slot_id=str(claims.get("slot") or "") or None,
                          start=start)
        remembered = self._remembered(arrival)
        if remembered.case is not None:
            return remembered
        timing = rules.timing(start, now, early_min=self.early_min, late_grace_min=self.late_grace_min)
        case = {rules.Timing.TOO_EARLY: Case.TOO_EARLY, rules.Timing.LATE: Case.LATE,
                rules.Timing.OTHER_DAY: Case.OTHER_DAY}.get(timing)
        return replace(arrival, case=case)

    def examine_reference(self, reference: str) -> Arrival:
        """A typed reference: nothing to verify here (anyone can type one); the town decides.
        Read as printed (« k7mq4hpxre » is K7M-Q4HP-XRE), as the central API stores it."""
        reference = typed_reference(reference)
        return self._remembered(Arrival(key=f"checkin-ref:{reference}", reference=reference))

    def _remembered(self, arrival: Arrival) -> Arrival:
        found = memory.recall(self.conn, arrival.key, self.today())
        if found is None:
            return arrival
        return replace(arrival, case=Case.ALREADY, remembered=found)

    def _booking_cancelled(self, token: str) -> bool:
        """A revoked token: its booking was cancelled (a revoked key is not about the booking)."""
        return self.conn.execute("SELECT 1 FROM revocations WHERE kind = 'token' AND subject = ?",
                                 (_claimed_id(token),)).fetchone() is not None

    def decided(self, arrival: Arrival) -> CheckinResult:
        """The result of an arrival decided on the terminal (``arrival.case`` is set)."""
        case = arrival.case
        assert case is not None    # only called for an arrival decided in step 1
        if case is Case.ALREADY and arrival.remembered is not None:
            return CheckinResult(Case.ALREADY, self._copy(arrival.remembered), arrival.service_id, arrival.start)
        opens = rules.opens_at(arrival.start, self.early_min) if arrival.start else None
        return CheckinResult(case, None, arrival.service_id, arrival.start, opens_at=opens)

    # -- step 2: the action ----------------------------------------------------------------------
    def action(self, arrival: Arrival) -> Action:
        """The check-in action (stored first, then sent; see the module's docstring)."""
        scanned_at, day = self.now(), self.today()
        payload: dict[str, Any] = {"scanned_at": scanned_at.isoformat()}
        if arrival.token:
            payload["token"] = arrival.token
        else:
            payload["reference"] = arrival.reference
        key, token = arrival.key, arrival.token
        details = {"verified": arrival.verified, "reference": arrival.reference} if arrival.reference else \
            {"verified": arrival.verified}

        uncertain: list[bool] = []   # set by the precheck: an earlier attempt may have reached the town

        def precheck(conn: sqlite3.Connection) -> Outcome | dict[str, Any]:
            checked: Outcome | dict[str, Any] = {}
            if token:
                checked = precheck_token(conn, payload, scanned_at)
                if isinstance(checked, Outcome):
                    return checked
            again = _seen_today(conn, key, day, token, arrival.reference)
            if again is not None:
                return again
            if _sent_without_answer(conn, token, arrival.reference):
                uncertain.append(True)
            return checked

        number = None
        if arrival.verified and arrival.service_id:
            service_id, slot_id = arrival.service_id, arrival.slot_id

            def number(conn: sqlite3.Connection) -> str | None:
                """Offline: the next number of this terminal's block, with the letter of the booking's
                agenda (the town checks both); none when the letter is not known here."""
                if uncertain:    # the town may hold it with a number of its own: none is invented
                    return None
                agenda_id = memory.agenda_of(conn, slot_id, service_id)
                letter = memory.letter_for(conn, agenda_id) if agenda_id else None
                return numbering.allocate(conn, day, letter) if letter else None

        return Action(Kind.CHECKIN, payload, None, details=details, precheck=precheck, offline_number=number)

    def send(self, arrival: Arrival) -> int:
        """Submit the check-in; its outcome comes back as an ``ActionDone`` event."""
        return self.services.actions.submit(self.action(arrival))

    # -- step 3: what it came to ---------------------------------------------------------------
    def conclude(self, arrival: Arrival, outcome: Outcome) -> CheckinResult:
        """The outcome as the screen shows it; the number is remembered for the day."""
        if outcome.status is Status.DONE:
            return self._checked_in(arrival, outcome, outcome.result, Case.CHECKED_IN)
        if outcome.status is Status.QUEUED:
            return self._queued(arrival, outcome)
        if outcome.code == "already_checked_in":
            first = outcome.result.get("checkin")
            if isinstance(first, dict) and first.get("queue_number"):
                return self._checked_in(arrival, outcome, first, Case.ALREADY)
            remembered = outcome.result.get("remembered")
            if isinstance(remembered, dict):
                known = {"service": self._service_name(arrival.service_id),
                         "where": self._where(arrival.service_id or "", None),
                         "appointment": arrival.start.isoformat() if arrival.start else None}
                return CheckinResult(Case.ALREADY, self._copy_of({**known, **remembered}), arrival.service_id,
                                     arrival.start)
            return CheckinResult(Case.ALREADY, None, arrival.service_id, arrival.start)
        if outcome.status is Status.ERROR:
            return CheckinResult(Case.ERROR, code=outcome.code)
        case = {"booking_cancelled": Case.CANCELLED, "token_revoked": Case.NOT_OURS, "invalid_token": Case.NOT_OURS,
                "not_found": Case.NOT_FOUND, "outside_checkin_window": Case.OTHER_DAY}.get(outcome.code or "",
                                                                                        Case.REFUSED)
        start = arrival.start
        if case is Case.OTHER_DAY and start is None and isinstance(outcome.result.get("start"), str):
            start = datetime.fromisoformat(outcome.result["start"])
        return CheckinResult(case, None, arrival.service_id, start, code=outcome.code)

    def _checked_in(self, arrival: Arrival, outcome: Outcome, answer: dict[str, Any], case: Case) -> CheckinResult:
        service_id = str(answer.get("service_id") or arrival.service_id or "")
        start = datetime.fromisoformat(answer["start"]) if answer.get("start") else arrival.start
        number = str(answer["queue_number"])
        wait = answer.get("estimated_wait_minutes")
        view = QueueTicketView(number=number, service=self._service_name(service_id),
                               where=self._where(service_id, answer.get("counter")),
                               people_ahead=answer.get("people_ahead") if isinstance(answer.get("people_ahead"), int)
                               else None,
                               wait_minutes=wait if isinstance(wait, int) else None,
                               wait_unknown_reason=None if isinstance(wait, int)
                               else _("The wait cannot be estimated right now."), appointment=start)
        self._remember(arrival, outcome.key, view)
        agenda_id = memory.agenda_of(self.conn, arrival.slot_id, service_id)
        if agenda_id and number[:1].isalpha():
            self._quietly(memory.learn_letter, self.conn, agenda_id, number[0], self.now())
        return CheckinResult(case, view, service_id, start, details={"counter": answer.get("counter")})

    def _queued(self, arrival: Arrival, outcome: Outcome) -> CheckinResult:
        number = outcome.details.get("offline_number")
        service_id = arrival.service_id or ""
        view = QueueTicketView(number=str(number) if number else None, service=self._service_name(service_id),
                               where=self._where(service_id, None), people_ahead=None, wait_minutes=None,
                               wait_unknown_reason=_("The terminal is offline: the wait cannot be estimated now."),
                               appointment=arrival.start)
        self._remember(arrival, outcome.key, view)
        return CheckinResult(Case.CHECKED_IN, view, service_id or None, arrival.start, offline=True)

    def _remember(self, arrival: Arrival, outbox_uuid: str | None, view: QueueTicketView) -> None:
        if arrival.key and outbox_uuid:
            self._quietly(memory.remember, self.conn, key=arrival.key, kind="checkin", day=self.today(),
                          outbox_uuid=outbox_uuid, number=view.number, ticket=_ticket_json(view), at=self.now())

    @staticmethod
    def _quietly(write: Any, *args: Any, **kwargs: Any) -> None:
        """The memory helps a second scan; a disk that refuses it must not hide the number shown
        (the runner's check of pending outbox rows and the server's 409 still stop a second check-in)."""
        try:
            write(*args, **kwargs)
        except sqlite3.Error as exc:
            log.warning("the check-in memory could not be written (%s)", type(exc).__name__)

    def _copy(self, remembered: memory.Remembered) -> QueueTicketView:
        return self._copy_of({**remembered.ticket, "number": remembered.number})

    @staticmethod
    def _copy_of(ticket: dict[str, Any]) -> QueueTicketView:
        """A reprint: the same number, service and place; the wait is not that of the first print."""
        appointment = ticket.get("appointment")
        return QueueTicketView(number=ticket.get("number"), service=str(ticket.get("service", "")),
                               where=str(ticket.get("where", "")), people_ahead=None, wait_minutes=None,
                               wait_unknown_reason=_("Copy of your ticket: ask at the reception desk for the wait."),
                               appointment=datetime.fromisoformat(appointment) if appointment else None)

    # -- what the screens read ---------------------------------------------------------------
    def service(self, service_id: str | None) -> dict[str, Any]:
        return (self.services.availability.service(service_id) if service_id else None) or {}

    def _service_name(self, service_id: str | None) -> str:
        return str(self.service(service_id).get("name") or "")

    def walk_in(self, service_id: str | None) -> dict[str, Any]:
        """The service's walk-in data (cache v9: JSON, ``null`` for none); empty when it takes none."""
        raw = self.service(service_id).get("walk_in")
        try:
            value = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def accepts_walk_ins(self, service_id: str | None) -> bool:
        return bool(self.walk_in(service_id))

    def _where(self, service_id: str, counter: Any) -> str:
        """Where to wait: the service's waiting area, else the counter the town named, else its place."""
        service = self.service(service_id)
        walk_in = self.walk_in(service_id)
        if walk_in.get("waiting_area"):
            return str(walk_in["waiting_area"])
        if counter:
            return str(counter)
        place = self.services.availability.place(service.get("place_id"))
        return str(place["name"]) if place else ""

    def ticket(self, view: QueueTicketView) -> Ticket:
        return queue_ticket(view, town=self.town, follow_url=self.follow_url, printed_at=self.now())


def _claims(token: str) -> dict[str, Any]:
    """What a token claims, unverified: never trusted for a check-in, only to find it again."""
    from kiosk.api.checkin_token import decode_unverified

    try:
        return decode_unverified(token)
    except TokenError:
        return {}


def _claimed_id(token: str) -> str:
    """The token id a token claims, unverified (for the memory and the revocation list only)."""
    return str(_claims(token).get("jti", ""))


def _ticket_json(view: QueueTicketView) -> dict[str, Any]:
    return {"number": view.number, "service": view.service, "where": view.where,
            "appointment": view.appointment.isoformat() if view.appointment else None}


def _sent_without_answer(conn: sqlite3.Connection, token: str | None, reference: str | None) -> bool:
    """An earlier check-in of this booking still pending without a number: it was being sent when
    the terminal stopped (or timed out), so the town may hold it with a number of its own."""
    field_name, value = ("token", token) if token else ("reference", reference)
    return bool(value) and conn.execute(
        "SELECT 1 FROM outbox WHERE kind = 'checkin' AND state = 'pending' "
        f"AND json_extract(payload, '$.{field_name}') = ? AND json_extract(payload, '$.offline_number') IS NULL",
        (value,)).fetchone() is not None


def _seen_today(conn: sqlite3.Connection, key: str, day: date, token: str | None,
                reference: str | None) -> Outcome | None:
    """The same booking checked in here already: in the memory, or in the outbox — still pending
    with its offline number (a repeated scan while the first was on its way, or after a restart
    before it was remembered), or acknowledged with the town's number (a terminal killed between
    the town's answer and the memory). Its number comes back as an ``already_checked_in`` outcome;
    a pending row without a number is sent again instead (the town answers with the first number)."""
    found = memory.recall(conn, key, day) if key else None
    if found is not None:
        return Outcome(Kind.CHECKIN, Status.CONFLICT, found.outbox_uuid, code="already_checked_in",
                       result={"remembered": {**found.ticket, "number": found.number}})
    field_name, value = ("token", token) if token else ("reference", reference)
    if not value:
        return None
    for uuid, payload, summary in conn.execute(
            "SELECT uuid, payload, server_summary FROM outbox WHERE kind = 'checkin' "
            "AND state IN ('pending', 'acknowledged') "
            f"AND json_extract(payload, '$.{field_name}') = ? ORDER BY seq", (value,)):
        number = json.loads(payload).get("offline_number") or (json.loads(summary or "{}") or {}).get("queue_number")
        if number:
            return Outcome(Kind.CHECKIN, Status.CONFLICT, str(uuid), code="already_checked_in",
                           result={"remembered": {"number": number}})
    return None
