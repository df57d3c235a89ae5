"""What a citizen's action came to, as a screen needs it: one value, four cases.

* ``done`` — the central system accepted it now: ``result`` is its answer (a booking's
  reference and check-in token, a check-in's queue number...);
* ``queued`` — it is safe in the outbox and the sync worker will send it with the same
  Idempotency-Key (offline, or the server did not answer in time). The screen says
  « demande enregistrée », never promises a time;
* ``conflict`` — the slot was taken meanwhile: ``alternatives`` are the server's nearest
  free slots (keep what the person typed and offer them);
* ``refused`` — the server (or the offline token check) said no for good: ``message`` is a
  plain sentence in the visit's language, ``code`` the machine reason;
* ``error`` — the action could not even be stored (the cache disk failed): nothing was
  done, the screen must say so and not confirm.

No personal data is kept here beyond what the screen already holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.api.action_kinds import Kind
from kiosk.i18n import N_, _

__all__ = ["GENERIC", "MESSAGES", "STATUSES", "Action", "Kind", "Outcome", "Status"]


class Status(StrEnum):
    """The five cases above (a StrEnum: it still equals its plain string)."""

    DONE = "done"
    QUEUED = "queued"
    CONFLICT = "conflict"
    REFUSED = "refused"
    ERROR = "error"


STATUSES = tuple(Status)

# Plain sentences for the refusal codes of the contract (openapi.yaml) and of the offline checks.
MESSAGES = {
    "slot_unavailable": N_("This time is no longer available. Please choose another one."),
    "not_found": N_("No appointment matches. Check the reference and the last name."),
    "invalid_state": N_("This appointment can no longer be changed here. Please ask at the reception desk."),
    "booking_cancelled": N_("This appointment was cancelled. Please ask at the reception desk."),
    "already_checked_in": N_("Your arrival is already registered. Please take a seat."),
    "outside_checkin_window": N_("This appointment is not for today. Please ask at the reception desk."),
    "invalid_token": N_("This code cannot be read as an appointment. Please ask at the reception desk."),
    "token_revoked": N_("This code is no longer valid. Please ask at the reception desk."),
    "number_not_reserved": N_("Your number could not be confirmed. Please show your ticket at the reception desk."),
    "not_walk_in": N_("This service only receives visitors with an appointment. You can book one here."),
    "walk_in_closed": N_("No numbers are given for this service at this time. Come back during its hours "
                         "or book an appointment."),
    "walk_in_full": N_("There are no more numbers for this service today. You can book an appointment."),
    "invalid_answers": N_("The town's service did not accept some answers. Nothing was filed. Please start again "
                          "or ask at the reception desk."),
    "form_unknown": N_("This procedure is no longer offered. Nothing was filed. Please ask at the reception desk."),
    "form_version_unknown": N_("This procedure was changed meanwhile. Nothing was filed. Please start it again."),
    "open311_refused": N_("The town's reporting service did not accept this report. Nothing was filed. Please ask "
                          "at the reception desk."),
    "storage_failed": N_("Your request could not be saved. Nothing was booked. Please ask at the reception desk."),
}
GENERIC = N_("Your request was not accepted. Please ask at the reception desk.")


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    status: Status
    key: str | None = None                      # the outbox UUID = Idempotency-Key (None: never stored)
    result: dict[str, Any] = field(default_factory=dict)          # the server's answer when done
    alternatives: list[dict[str, Any]] = field(default_factory=list)  # conflict: free slots nearby
    code: str | None = None                     # refusal reason (server's error code or an offline check's)
    # what the action itself says: a booking's contact_given, a check-in token's reference and
    # whether it was verified on the terminal (queued check-in)
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # plain strings (older callers, tests) become the members they name; a typo fails here
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "status", Status(self.status))

    @property
    def offline(self) -> bool:
        """True when the action waits in the outbox: confirm the request, not the result."""
        return self.status == Status.QUEUED

    @property
    def message(self) -> str:
        """For conflict/refused/error, in the current language (read it on the UI thread)."""
        if self.status in (Status.DONE, Status.QUEUED):
            return ""
        return _(MESSAGES.get(self.code or "", GENERIC))

    @property
    def local_reference(self) -> str | None:
        """A short code for a queued action (printed on the ticket; support finds the row by it)."""
        if not self.key:
            return None
        raw = self.key.replace("-", "").upper()
        return f"K-{raw[:4]}-{raw[4:8]}"


@dataclass(frozen=True)
class Action:
    """One outbox row to be: ``payload`` without personal data, ``personal`` apart (erasable)."""

    kind: Kind
    payload: dict[str, Any]
    personal: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)   # shown with a queued outcome
    # run first, on the thread's cache connection: an Outcome refuses the action before it is
    # stored; a dict adds to ``details``
    precheck: Callable[[Any], Outcome | dict[str, Any]] | None = None
    # a queue number from this terminal's offline block (kiosk.queue.numbering), taken on the
    # thread's cache connection only when the action is left to the sync worker before anything
    # reached the server; it goes into the payload as ``offline_number`` and into ``details``
    offline_number: Callable[[Any], str | None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
