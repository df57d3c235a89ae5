"""Sending the outbox: one row, one keyed POST, one verdict written back to the row.

The verdict follows the exception tree (:mod:`kiosk.api.errors`), never a status code:

* 2xx → ``mark_acknowledged`` (the outbox erases the personal data in the same transaction);
* a final refusal (4xx other than 401/408/429) → ``mark_failed`` with the server's code and
  message, kept for the admin screen; a 409's alternatives are kept for the screen too;
* anything retryable (timeout, unreachable, 5xx, 408/429/503, a garbled answer) →
  ``mark_retry``, honouring ``Retry-After``;
* 401 (not enrolled, revoked) or unreadable credentials → the row is left exactly as it
  is: the fault is the terminal's, not the action's, and a re-enrolled terminal sends it.

The row's UUID is the ``Idempotency-Key`` of every attempt, so a resend after a lost
answer, a crash or a kill -9 is answered with the server's first verdict, never a second
booking.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kiosk.api.action_kinds import Kind, action_kind
from kiosk.api.client import ApiClient
from kiosk.api.errors import (
    ApiError,
    Conflict,
    CredentialsError,
    FinalRefusal,
    InvalidResponse,
    RetryLater,
    ServerError,
    Unauthorized,
)
from offline_cache.outbox import Outbox, OutboxRow


@dataclass(frozen=True)
class Refusal:
    """A final refusal, as the screen or the admin page needs it (no personal data)."""

    uuid: str
    kind: str
    status: int | None
    code: str | None
    message: str
    alternatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PushReport:
    acknowledged: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    stopped_by: ApiError | None = None   # network failure, 429/503 or 401: the round's pushing stopped


def request_body(row: OutboxRow, device_id: str) -> dict[str, Any]:
    """The POST body: the row's payload plus its personal part (``{"person": {...}}`` for a
    booking, ``{"last_name": ...}`` for a cancellation); ``terminal_id`` defaults to ours."""
    body = {**row.payload, **(row.personal or {})}
    if "terminal_id" in action_kind(row.kind).request.model_fields:   # a démarche's body does not name it
        body.setdefault("terminal_id", device_id)
    return body


def push_rows(outbox: Outbox, clients: list[ApiClient], rows: list[OutboxRow]) -> PushReport:
    """Send ``rows`` in waves of up to ``len(clients)`` concurrent requests; write each
    verdict back in row order; stop after the first wave that met a failure not about
    one row (network, 429/503, 401).

    A wave is a run of consecutive rows of one kind that do not compete with each other
    (never two bookings of the same slot, two actions on one reference): the outbox's
    first-come order still decides who gets the last place. Why concurrent at all: on a
    real network each POST costs a round trip, and 1 000 actions queued during an outage
    must not take 1 000 round trips. The next wave is sent while this one's verdicts are
    committed (an fsync each), which hides that cost too.
    """
    report = PushReport()
    waves = _waves(rows, len(clients))
    if not waves:
        return report
    acks: list[tuple[OutboxRow, Any]] = []
    with ThreadPoolExecutor(max_workers=len(clients), thread_name_prefix="sync-push") as pool:
        inflight = _submit(pool, clients, waves[0])
        for i, wave in enumerate(waves):
            outcomes = [f.result() for f in inflight]
            stop = next((o for o in outcomes if _stops(o)), None)
            if stop is None and i + 1 < len(waves):
                inflight = _submit(pool, clients, waves[i + 1])
            for row, outcome in zip(wave, outcomes, strict=True):
                if isinstance(outcome, ApiError):
                    record_outcome(outbox, report, row, outcome)
                else:
                    acks.append((row, outcome))
            if stop is not None:
                report.stopped_by = stop
                break
    _acknowledge(outbox, report, acks)
    return report


def _acknowledge(outbox: Outbox, report: PushReport, acks: list[tuple[OutboxRow, Any]]) -> None:
    """All acknowledgements of one call in one transaction (Outbox.mark_acknowledged_many): a
    commit is an fsync, and one per action is what made a backlog slow to flush. A crash before
    this commit only means those rows are sent again — and answered by the server's replay."""
    if acks:
        report.acknowledged += outbox.mark_acknowledged_many(
            [(row.uuid, outcome.model_dump(mode="json"), action_kind(row.kind).success_status)
             for row, outcome in acks])


def _contention(row: OutboxRow) -> str:
    p = row.payload
    return str(p.get("slot_id") or p.get("booking_id") or p.get("reference") or p.get("token") or row.uuid)


def _waves(rows: list[OutboxRow], width: int) -> list[list[OutboxRow]]:
    waves: list[list[OutboxRow]] = []
    keys: set[str] = set()
    for row in rows:
        key = _contention(row)
        wave = waves[-1] if waves else None
        if wave is None or len(wave) >= width or wave[0].kind != row.kind or key in keys:
            waves.append([row])
            keys = {key}
        else:
            wave.append(row)
            keys.add(key)
    return waves


def send_row(client: ApiClient, row: OutboxRow) -> Any:
    """The server's answer (a model) or the :class:`ApiError` it came to; never raises one."""
    try:
        if row.kind == Kind.DEMARCHE and "open311" in row.payload:   # a report the terminal sends to Open311
            from kiosk.demarches.open311 import send_report

            return send_report(client, row)
        return client.send_action(action_kind(row.kind), request_body(row, client.device_id), row.uuid)
    except ApiError as exc:
        return exc


def _submit(pool: ThreadPoolExecutor, clients: list[ApiClient], wave: list[OutboxRow]) -> list[Future[Any]]:
    return [pool.submit(send_row, clients[i], row) for i, row in enumerate(wave)]


def _stops(outcome: Any) -> bool:
    """A failure that says nothing about the row but about the link or the terminal."""
    if isinstance(outcome, (Unauthorized, CredentialsError, RetryLater)):
        return True
    return (isinstance(outcome, ApiError) and outcome.retryable
            and not isinstance(outcome, (ServerError, InvalidResponse)))   # those two are about this row


def record_outcome(outbox: Outbox, report: PushReport, row: OutboxRow, outcome: Any) -> None:
    """Write ``outcome`` back to the row. A row another thread finished meanwhile (the
    booking service's own immediate attempt with the same key got the same verdict) is
    left as that thread wrote it."""
    with contextlib.suppress(KeyError):   # no longer pending: the verdict is already there
        _record(outbox, report, row, outcome)


def _record(outbox: Outbox, report: PushReport, row: OutboxRow, outcome: Any) -> None:
    if isinstance(outcome, (Unauthorized, CredentialsError)):
        return   # the terminal's fault, not the row's: left exactly as it was
    if isinstance(outcome, FinalRefusal):
        alternatives = outcome.alternatives if isinstance(outcome, Conflict) else []
        outbox.mark_failed(row.uuid, outcome.status or 0, _refusal_text(outcome, alternatives),
                           refusal_details(outcome, alternatives))
        report.refused.append(Refusal(row.uuid, row.kind, outcome.status, outcome.code, outcome.message,
                                      alternatives))
    elif isinstance(outcome, ApiError):
        if not outcome.retryable:   # defensive: a new non-retryable kind is treated as final
            outbox.mark_failed(row.uuid, outcome.status or 0, str(outcome), refusal_details(outcome))
            report.refused.append(Refusal(row.uuid, row.kind, outcome.status, outcome.code, str(outcome)))
            return
        outbox.mark_retry(row.uuid, f"{type(outcome).__name__}: {outcome}", outcome.retry_after)
        report.retried.append(row.uuid)
    else:
        _acknowledge(outbox, report, [(row, outcome)])


def refusal_details(exc: ApiError, alternatives: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """What the admin screen shows of a refusal, as data (kept in the row's ``server_summary``)."""
    details: dict[str, Any] = {"error": exc.code or str(exc.status or ""), "message": exc.message[:300]}
    if alternatives:
        details["alternatives"] = [{k: a.get(k) for k in ("id", "agenda_id", "start", "end")}
                                   for a in alternatives[:8]]
    return details


def _refusal_text(exc: FinalRefusal, alternatives: list[dict[str, Any]]) -> str:
    """``code: message``, plus the alternatives' slot ids so the admin screen (which only has
    this text once the process restarted) can still offer them."""
    text = f"{exc.code or exc.status}: {exc.message}"
    if alternatives:
        text += " | alternatives: " + ", ".join(str(a.get("id")) for a in alternatives[:8])
    return text
