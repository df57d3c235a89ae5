"""The check-in screens' states for ``kiosk screenshots`` (on a counter terminal).

No server: the screens run on the seeded cache (the demo town's catalog), and each result is
the :class:`~kiosk.checkin.counter.CheckinResult` the check-in would make of a scan or of the
server's answer (sample values, like the booking and walk-in states).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.checkin.counter import CheckinResult
    from kiosk.devtools.pilot import Pilot

SERVICE, WALK_IN_SERVICE = "svc-passeport", "svc-listes-electorales"


def _scan(p: Pilot, *, waiting: bool = False, error: bool = False) -> None:
    from screens.checkin.arrival import CheckinScreen

    screen = CheckinScreen(p.app)
    p.app.nav.push(screen)
    p.settle()
    if error:
        p.tap("continue")                # nothing typed yet
    if waiting:
        screen.pending = 10_000          # an answer that does not come
        screen.rebuild()


def _result(p: Pilot, make: Any, print_state: str | None = None) -> None:
    from screens.checkin.result import CheckinResultScreen

    screen = CheckinResultScreen(p.app, make(p))
    p.app.nav.push(screen)
    p.settle()
    if print_state is not None:
        p.settle_printing()            # the real ticket's answer first: then the state shown stays
        screen.print_state = print_state
        screen.rebuild()


def _start(p: Pilot, minutes: int) -> Any:
    now = p.app.clock.now()
    return (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def _numbered(case: str, *, number: str | None = "A012", offline: bool = False) -> Any:
    def make(p: Pilot) -> CheckinResult:
        from kiosk.checkin.counter import Case, CheckinResult
        from kiosk.i18n import _
        from kiosk.queue.ticket import QueueTicketView

        start = _start(p, 10)
        view = QueueTicketView(number=number, service="Passeport", where="Guichet 2 — Titres d'identité",
                               people_ahead=None if offline else 3, wait_minutes=None if offline else 25,
                               wait_unknown_reason=_("The terminal is offline: the wait cannot be estimated now.")
                               if offline else None, appointment=start)
        return CheckinResult(Case(case), view, SERVICE, start, offline=offline)
    return make


def _decided(case: str, minutes: int = 0, service: str = SERVICE, code: str | None = None) -> Any:
    def make(p: Pilot) -> CheckinResult:
        from kiosk.checkin.counter import Case, CheckinResult
        from kiosk.checkin.rules import opens_at

        start = _start(p, minutes) if case in ("too_early", "late", "other_day") else None
        return CheckinResult(Case(case), None, service, start,
                             opens_at=opens_at(start, p.app.config.checkin.early_min) if start else None, code=code)
    return make


STATES: dict[str, dict[str, Any]] = {
    "checkin": {
        "scan": lambda p: _scan(p),
        "waiting": lambda p: _scan(p, waiting=True),
        "reference-error": lambda p: _scan(p, error=True),
    },
    "checkin_result": {
        "checked-in": lambda p: _result(p, _numbered("checked_in")),
        "printed": lambda p: _result(p, _numbered("checked_in"), "printed"),
        "printer-failed": lambda p: _result(p, _numbered("checked_in"), "failed"),
        "offline": lambda p: _result(p, _numbered("checked_in", number="A961", offline=True)),
        "offline-no-number": lambda p: _result(p, _numbered("checked_in", number=None, offline=True)),
        "already": lambda p: _result(p, _numbered("already")),
        "too-early": lambda p: _result(p, _decided("too_early", 50)),
        "too-early-walk-in": lambda p: _result(p, _decided("too_early", 50, WALK_IN_SERVICE)),
        "late": lambda p: _result(p, _decided("late", -30, WALK_IN_SERVICE)),
        "other-day": lambda p: _result(p, _decided("other_day", 60 * 24 * 2)),
        "cancelled": lambda p: _result(p, _decided("cancelled")),
        "not-ours": lambda p: _result(p, _decided("not_ours", service="")),
        "not-found": lambda p: _result(p, _decided("not_found", service="")),
        "refused": lambda p: _result(p, _decided("refused", code="number_not_reserved")),
    },
}
