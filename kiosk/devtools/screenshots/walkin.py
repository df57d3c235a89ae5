"""The walk-in screens' states for ``kiosk screenshots``.

The gallery has no server: the screens run on the seeded cache (the demo town's catalog,
with its walk-in services), the queue board is handed to the screen as if it had just been
read, and a number as the ``Taken`` the service would make of the server's answer (sample
values, like the booking states' outcomes).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.clock import PARIS
from kiosk.devtools.screenshots.speech import with_speech

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot
    from kiosk.walkin.offer import WalkInService
    from screens.walkin.choose import WalkInScreen

CYCLE = ("open", "full", "closing_soon", "closed")


def _open(p: Pilot, *, offline: bool = False) -> WalkInScreen:
    from kiosk import events
    from kiosk.devtools.offline_seed import SeededData
    from screens.walkin.choose import WalkInScreen

    if offline:
        data = p.app.data
        assert isinstance(data, SeededData)   # the walk-in states run on the seeded cache (data_for)
        data.online = False
        events.NetworkStatus(online=False).post()
        p.settle()
    screen = WalkInScreen(p.app)
    p.app.nav.push(screen)
    p.settle()
    return screen


def _services(p: Pilot) -> list[WalkInService]:
    from kiosk.walkin.offer import catalog_walk_ins

    services = p.app.services
    assert services is not None
    found = catalog_walk_ins(services.availability.conn)
    assert found, "the demo town's catalog has walk-in services"
    return found


def _board(p: Pilot, statuses: tuple[str, ...]) -> Any:
    from kiosk.api import models

    now = p.app.clock.now()
    queues = []
    for i, service in enumerate(_services(p)):
        status = statuses[i % len(statuses)]
        queues.append({
            "service_id": service.id, "letter": service.prefix, "accepts_walk_ins": True, "status": status,
            "waiting": {"open": 4 + 3 * i, "full": 11}.get(status, 0),
            "estimated_wait_minutes": {"open": 18 + 10 * i}.get(status),
            "opens_at": _at(now, 13, 30) if status == "closed" else None,
            "closes_at": (now + timedelta(minutes=10)).isoformat() if status == "closing_soon"
            else _at(now, 11, 45) if status != "closed" else None,
            "remaining_today": 0 if status == "full" else 25})
    return models.QueueBoard.model_validate({"day": now.date().isoformat(), "generated_at": now.isoformat(),
                                             "queues": queues})


def _at(now: datetime, hour: int, minute: int) -> str:
    return now.astimezone(PARIS).replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


def _live(p: Pilot, statuses: tuple[str, ...] = CYCLE) -> WalkInScreen:
    screen = _open(p)
    screen.board_read(_board(p, statuses))
    p.settle()
    return screen


def _taking(p: Pilot) -> None:
    from kiosk.walkin import service as walkin

    screen = _live(p)
    state = walkin.visit_state(p.app.visit.drafts)
    state.pending, state.service_id = 10_000, _services(p)[0].id     # an answer that does not come
    screen.rebuild()


def _refused(p: Pilot, code: str, *, offline: bool = False) -> None:
    screen = _open(p, offline=offline) if offline else _live(p)
    screen.refused = (_services(p)[0].id, code)
    screen.rebuild()


def _number(p: Pilot, kind: str, print_state: str | None = None) -> None:
    from kiosk.walkin import service as walkin
    from screens.walkin.number import WalkInNumberScreen

    _live(p) if kind == "online" else _open(p, offline=True)
    service = _services(p)[0]
    now = p.app.clock.now()
    taken = {"online": walkin.Taken(service, f"{service.prefix}012", service.waiting_area, 4, 18, None, now),
             "offline": walkin.Taken(service, f"{service.prefix}960", service.waiting_area, None, None, "offline", now),
             "no-number": walkin.Taken(service, None, service.waiting_area, None, None, "offline", now)}[kind]
    walkin.visit_state(p.app.visit.drafts).taken = taken
    screen = WalkInNumberScreen(p.app)
    p.app.nav.push(screen)
    p.settle()
    if print_state is not None:
        p.settle_printing()            # the real ticket's answer first: then the state shown stays
        screen.print_state = print_state
        screen.rebuild()


STATES: dict[str, dict[str, Any]] = {
    "walkin": {
        "live": lambda p: _live(p),
        "closing-soon": lambda p: _live(p, ("closing_soon", "open")),
        "all-closed": lambda p: _live(p, ("closed",)),
        "offline": lambda p: _open(p, offline=True),
        "taking": _taking,
        "refused-full": lambda p: _refused(p, "walk_in_full"),
        "refused-not-walk-in": lambda p: _refused(p, "not_walk_in"),
        "no-number-offline": lambda p: _refused(p, "no_offline_number", offline=True),
    },
    "walkin_number": {
        "online": lambda p: _number(p, "online"),
        "printed": lambda p: _number(p, "online", "printed"),
        "offline": lambda p: _number(p, "offline"),
        "no-number": lambda p: _number(p, "no-number"),
        "printer-failed": lambda p: _number(p, "online", "failed"),
        "speech-on": with_speech(lambda p: _number(p, "online")),
    },
}
