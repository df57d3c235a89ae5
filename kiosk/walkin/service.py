"""Taking a number without appointment: the live queue board, the ticket action, its result.

**The board** (``GET /v1/queues``) is read in a thread of its own with a short timeout and
no retry (a person is looking at the screen); its answer comes back as a
:class:`~kiosk.events.QueueBoardRead` event, like the tracking lookups. No answer in time
is an answer too: the screen then shows the catalog's hours and says the wait cannot be
estimated.

**A number** is a citizen's action of kind ``queue_ticket``, sent like the others by the
:class:`~kiosk.services.actions.ActionRunner`: the outbox row first, its UUID as the
Idempotency-Key, then at once online. Offline (the sync worker says the network is down, or
the server refused the connection) the number comes from this terminal's block of the day
(:mod:`kiosk.queue.numbering`), taken by the runner on its own connection and sent with the
row as ``offline_number``: the server keeps that number, so the one printed is the one the
agents call. Without a block (never synced today, or used up) no number is invented: when the
network is known to be down nothing is stored, and the screen sends the person to the
reception desk. When the server may have acted (a timeout), no offline number is printed
either: the person is sent to the desk.

**One person, one number.** A second press while the first is in flight gets the first's
request back, and once a number is given the visit remembers it: pressing again (after
« Retour ») shows the same number. The memory lives in the visit's drafts, wiped when the
visit ends. On the server side the Idempotency-Key makes any resend of the row the same
ticket.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk import events
from kiosk.api import models
from kiosk.api.errors import ApiError
from kiosk.clock import PARIS
from kiosk.i18n import N_
from kiosk.services.outcomes import Action, Kind, Outcome, Status
from kiosk.walkin.answer import BoardAnswer
from kiosk.walkin.offer import Choice, WalkInService, catalog_walk_ins, live_choices, offline_choices, open_today

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient
    from kiosk.services import Services

log = logging.getLogger(__name__)

DRAFT = "walk_in"
BOARD_CONNECT_S = 1.0     # the board is a nicety: a slow network must not keep the list waiting
BOARD_READ_S = 2.0

#: Why a number was not given, in plain words (the contract's codes and the terminal's own).
REFUSALS: dict[str, str] = {
    "not_walk_in": N_("This service only receives visitors with an appointment. You can book one here."),
    "walk_in_closed": N_("No more numbers are given for this service at this time. You can book an appointment."),
    "walk_in_full": N_("All of today's numbers for this service have been given. You can book an appointment."),
    "number_not_reserved": N_("Your number could not be confirmed. Please ask at the reception desk."),
    "no_offline_number": N_("The terminal is not connected and cannot give a number right now. "
                            "Please ask at the reception desk."),
    "storage_failed": N_("Your number could not be recorded. Please ask at the reception desk."),
}
GENERIC_REFUSAL = N_("No number could be given. Please ask at the reception desk.")
#: Refusals after which booking an appointment on the same service is the way forward.
BOOKING_INSTEAD = frozenset({"not_walk_in", "walk_in_closed", "walk_in_full"})


# -- the board --------------------------------------------------------------------------------------
_reads = iter(range(1, 1 << 62))
_reads_lock = threading.Lock()


def read_board(client_source: Callable[[], ApiClient | None], *,
               post: Callable[..., Any] | None = None) -> int:
    """Start reading the queue board; returns the ``read_id`` its QueueBoardRead event carries.
    Without a client (no central API, not enrolled) the answer is posted at once: no board."""
    with _reads_lock:
        read_id = next(_reads)
    source = client_source()
    if source is None:
        events.QueueBoardRead(answer=BoardAnswer(read_id, None, "no client")).post(post)
        return read_id
    client = source.clone(max_attempts=1, connect_timeout_s=min(source.timeout[0], BOARD_CONNECT_S),
                          read_timeout_s=BOARD_READ_S)
    threading.Thread(target=_read, args=(client, read_id, post), name=f"walk-in-board-{read_id}",
                     daemon=True).start()
    return read_id


def _read(client: ApiClient, read_id: int, post: Callable[..., Any] | None) -> None:
    try:
        answer = BoardAnswer(read_id, client.queues())
    except ApiError as exc:   # unreachable, too slow, refused: the catalog's hours are shown
        log.info("walk-in: queue board not read (%s); the catalog's hours are shown", type(exc).__name__)
        answer = BoardAnswer(read_id, None, type(exc).__name__)
    except Exception:   # a bug of ours: the person must not wait for a board that never comes
        log.exception("walk-in: reading the queue board failed")
        answer = BoardAnswer(read_id, None, "error")
    finally:
        client.close()
    events.QueueBoardRead(answer=answer).post(post)


def choices(services: Services, board: models.QueueBoard | None, now: datetime) -> list[Choice]:
    """The services that give walk-in numbers today, live when ``board`` is given. A service
    whose hours have no opening today is left out: the screen is about today."""
    today = now.astimezone(PARIS).date()
    walk_ins = [s for s in catalog_walk_ins(services.availability.conn) if open_today(s, today)]
    return live_choices(walk_ins, board) if board is not None else offline_choices(walk_ins, now)


# -- taking a number ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Taken:
    """What the result screen and the ticket say; no name, nothing about the person."""

    service: WalkInService
    number: str | None             # None: queued without a number (see :func:`taken`)
    waiting_area: str
    people_ahead: int | None
    wait_minutes: int | None
    wait_unknown: str | None       # why there is no estimate: "offline" or "not_estimable"; None when there is one
    taken_at: datetime


@dataclass
class WalkInVisit:
    """The visit's walk-in state (``visit.drafts["walk_in"]``): the press in flight, the number given."""

    pending: int | None = None
    service_id: str | None = None
    taken: Taken | None = None
    pending_since: float = 0.0        # clock.monotonic() of the press in flight


def visit_state(drafts: dict[str, Any]) -> WalkInVisit:
    state = drafts.get(DRAFT)
    if not isinstance(state, WalkInVisit):
        drafts[DRAFT] = state = WalkInVisit()
    return state


def take_number(services: Services, drafts: dict[str, Any], service: WalkInService, *,
                offline: bool = False) -> int | None:
    """Ask for a number for ``service``; returns the ``request_id`` of its ActionDone event, or
    None when this visit already has its number (show ``visit_state(drafts).taken``). A press
    while one is in flight returns that one's id: never a second number. ``offline``: the
    screen could not read the queue board (the network is most likely down)."""
    state = visit_state(drafts)
    if state.taken is not None:
        return None
    if state.pending is not None:
        return state.pending
    state.service_id, state.pending_since = service.id, services.clock.monotonic()
    state.pending = services.actions.submit(queue_ticket(service, services.clock.now(),
                                                         known_offline=offline or services.is_offline))
    return state.pending


def queue_ticket(service: WalkInService, now: datetime, *, known_offline: bool) -> Action:
    """The ``queue_ticket`` action. The runner numbers it from this terminal's block (its
    ``offline_number`` hook) when it is left to the sync worker before anything reached the
    server. Likely offline (``known_offline``) with nothing left in today's block, the precheck
    refuses it before it is stored: a ticket without a number would be numbered later by the
    town for nobody."""
    day = now.astimezone(PARIS).date()

    def block_left(conn: Any) -> Outcome | dict[str, Any]:
        from kiosk.queue.numbering import remaining

        if known_offline and remaining(conn, day, service.prefix) == 0:
            log.info("walk-in: offline and no number left in this terminal's block for today")
            return Outcome(Kind.QUEUE_TICKET, Status.REFUSED, code="no_offline_number")
        return {}

    def number_from_block(conn: Any) -> str | None:
        from kiosk.queue.numbering import allocate

        number: str | None = allocate(conn, day, service.prefix)
        return number

    return Action(Kind.QUEUE_TICKET, {"service_id": service.id, "taken_at": now.isoformat()},
                  details={"service_id": service.id}, precheck=block_left, offline_number=number_from_block)


def settle(drafts: dict[str, Any], service: WalkInService, outcome: Outcome, now: datetime) -> Taken | None:
    """The press is over: the number given (remembered for the visit), or None when refused
    (``outcome.code`` says why; :func:`refusal` words it)."""
    state = visit_state(drafts)
    state.pending = None
    given = taken(service, outcome, now)
    if given is not None:
        state.taken = given
    return given


def taken(service: WalkInService, outcome: Outcome, now: datetime) -> Taken | None:
    if outcome.status == Status.DONE:
        ticket = models.QueueTicket.model_validate(outcome.result)
        wait = ticket.estimated_wait_minutes
        return Taken(service, ticket.queue_number, ticket.waiting_area or service.waiting_area, ticket.people_ahead,
                     wait, None if wait is not None else "not_estimable", ticket.taken_at.astimezone(PARIS))
    if outcome.status == Status.QUEUED:
        # Offline: the block's number. Sent online but not answered in time: the row is in the
        # outbox and the town will number it, but the person has no number to hold.
        return Taken(service, outcome.details.get("offline_number"), service.waiting_area, None, None, "offline",
                     now.astimezone(PARIS))
    return None


def refusal(code: str | None) -> str:
    """The msgid of the sentence for a refused number (translate it with ``_``)."""
    return REFUSALS.get(code or "", GENERIC_REFUSAL)


def give_up(drafts: dict[str, Any]) -> None:
    """Stop waiting for the press's answer: the screen was left, or was covered when the answer
    came (answers go to the screen on top). The action itself goes on from the outbox; a person
    is never left before « un instant… » for ever."""
    state = visit_state(drafts)
    state.pending = None


def forget(drafts: dict[str, Any]) -> None:
    drafts.pop(DRAFT, None)
