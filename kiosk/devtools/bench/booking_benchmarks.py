"""The booking flow's benchmarks: each step's transition, a crowded day, the whole flow.

All run in-process at 1080×1920 on a cache filled from the reference seed
(:class:`~kiosk.devtools.offline_seed.SeededData`), with no server: what is timed is the
terminal's own work — building, laying out, drawing and presenting a step, and for the
whole flow also the outbox write of the booking request and the ticket's ESC/POS bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.clock import PARIS
from kiosk.devtools.bench import BenchmarkError, Session, benchmark, median, summarize
from kiosk.devtools.bench.app_benchmarks import _headless_in_process

if TYPE_CHECKING:
    from kiosk.booking.availability import Availability
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App
    from screens.base import Screen

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)   # mardi 1er décembre 2026
SERVICE = "svc-cni"
PERSON = {"last_name": "Lefèvre-Müller", "first_name": "Ève", "phone": "+33612345678"}


def _app(online: bool = True) -> tuple[App, Pilot]:
    from kiosk.clock import ManualClock
    from kiosk.config import REPO_CONFIG_PATH, load_config
    from kiosk.devtools.offline_seed import SeededData
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

    config = load_config(REPO_CONFIG_PATH, {"printer.type": "none"})
    app = App(config, clock=ManualClock(NOW), demo=True, size=(1080, 1920), rotation=0, fullscreen=False,
              data=SeededData(NOW, online=online))
    app.start()
    pilot = Pilot(app)
    pilot.settle()
    return app, pilot


def _steps(app: App) -> list[tuple[str, Callable[[], Any]]]:
    """Each step's screen, made as the step before it makes it (its draft already filled)."""
    from kiosk.booking import flow as booking_flow
    from kiosk.services import Kind, Outcome, Status
    from screens.booking.cancel import BookingCancelScreen
    from screens.booking.choose_service import BookingServicesScreen
    from screens.booking.confirm import BookingConfirmScreen
    from screens.booking.day import BookingDayScreen
    from screens.booking.done import BookingDoneScreen
    from screens.booking.person import BookingPersonScreen
    from screens.booking.service_info import BookingServiceScreen
    from screens.booking.times import BookingTimeScreen

    draft = booking_flow.choose_service(app, SERVICE)
    reads = booking_flow.services(app).availability
    draft.day = reads.next_free_day(SERVICE, NOW.date() - timedelta(days=1))
    draft.slot = reads.day_slots(SERVICE, draft.chosen_day)[0]
    draft.outcome = Outcome(Kind.BOOKING, Status.DONE, "k", result={
        "reference": "RDV-K7QM-4P", "start": draft.slot.start.isoformat(), "checkin_token": "x" * 300})

    def again(make: Callable[[], Any]) -> Callable[[], Any]:
        """Each push starts from the prepared draft (leaving the done screen forgets it)."""
        def made() -> Any:
            app.visit.drafts[booking_flow.DRAFT] = draft
            return make()
        return made

    def done() -> BookingDoneScreen:
        # Not printed here: the ticket prints while the person reads the screen, and a print job in
        # the printer's thread would slow down the next steps measured (they share the GIL).
        screen = BookingDoneScreen(app)
        screen._auto_printed = True
        return screen

    steps = [("services", lambda: BookingServicesScreen(app)),
             ("before_you_book", lambda: BookingServiceScreen(app, SERVICE)),
             ("day", lambda: BookingDayScreen(app)), ("time", lambda: BookingTimeScreen(app)),
             ("who", lambda: BookingPersonScreen(app)), ("confirm", lambda: BookingConfirmScreen(app, PERSON)),
             ("done", done), ("cancel", lambda: BookingCancelScreen(app))]
    return [(name, again(make)) for name, make in steps]


def _timed_push(app: App, pilot: Pilot, make: Callable[[], Screen]) -> float:
    t0 = time.perf_counter_ns()
    app.nav.push(make())
    drawn = app.step()
    ms = (time.perf_counter_ns() - t0) / 1e6
    if app.errors:
        raise BenchmarkError(f"the app failed during a booking step: {app.errors[0]!r}")
    if not drawn:
        raise BenchmarkError("a booking step presented no frame")
    app.nav.pop()
    pilot.settle()
    return ms


@benchmark("booking_steps_1080x1920", "p99 ≤ 8 ms per step", title="booking: each step's transition, 1080×1920",
           judged_on="p99_ms", limit=8)
def booking_steps(session: Session) -> dict[str, Any]:
    """Push a step's screen and present it (build, layout, draw), then go back; every step in turn."""
    rounds = 5 if session.quick else 60
    with _headless_in_process():
        app, pilot = _app()
        try:
            steps = _steps(app)
            for _name, make in steps:           # warm fonts and glyph caches once
                _timed_push(app, pilot, make)
            per_step: dict[str, list[float]] = {name: [] for name, _ in steps}
            for _ in range(rounds):
                for name, make in steps:
                    per_step[name].append(_timed_push(app, pilot, make))
        finally:
            app.stop()
    everything = [ms for values in per_step.values() for ms in values]
    figures = summarize(everything, "ms")
    for name, values in per_step.items():
        figures[f"{name}_median_ms"] = round(median(values), 3)
        figures[f"{name}_p99_ms"] = summarize(values, "ms")["p99_ms"]
    figures["worst_step"] = max(per_step, key=lambda n: figures[f"{n}_p99_ms"])
    return figures


def _crowded_day(app: App) -> date:
    """Add free slots to one day until the service has 200 of them (counters merged)."""
    from kiosk.booking import flow as booking_flow
    from offline_cache.catalog import upsert_slots
    from offline_cache.db import write_transaction

    reads: Availability = booking_flow.services(app).availability
    day = reads.next_free_day(SERVICE, NOW.date())
    assert day is not None   # the demo town's service has free days
    have = len(reads.day_slots(SERVICE, day))
    # Two-minute slots on odd minutes: the town's own start on even minutes, so none merges with
    # them; inside the Mairie's hours (8 h 30 – 12 h, 13 h 30 – 17 h), or the kiosk would not offer them.
    midnight = datetime.combine(day, datetime.min.time(), PARIS)
    starts = [midnight + timedelta(minutes=m) for first, last in ((8 * 60 + 31, 11 * 60 + 57),
                                                                  (13 * 60 + 31, 16 * 60 + 57))
              for m in range(first, last + 1, 2)]
    rows = [{"id": f"bench-{i}", "agenda_id": "ag-etat-civil-1", "start": at, "end": at + timedelta(minutes=2),
             "places_left": 1} for i, at in enumerate(starts[:200 - have])]
    conn = reads.conn
    with write_transaction(conn):
        upsert_slots(conn, rows)
    if len(reads.day_slots(SERVICE, day)) != 200:
        raise BenchmarkError("could not make a day with 200 slots")
    return day


@benchmark("booking_time_200_slots", "p99 ≤ 8 ms", title="booking: time step of a day with 200 slots",
           judged_on="p99_ms", limit=8)
def booking_time_200(session: Session) -> dict[str, Any]:
    """Read the day's slots from the cache, build 200 buttons, lay out, draw, present."""
    from kiosk.booking import flow as booking_flow
    from screens.booking.times import BookingTimeScreen

    rounds = 10 if session.quick else 200
    with _headless_in_process():
        app, pilot = _app()
        try:
            booking_flow.choose_service(app, SERVICE).day = _crowded_day(app)
            _timed_push(app, pilot, lambda: BookingTimeScreen(app))
            samples = [_timed_push(app, pilot, lambda: BookingTimeScreen(app)) for _ in range(rounds)]
        finally:
            app.stop()
    return summarize(samples, "ms")


def _until(app: App, condition: Callable[[], object], limit_s: float = 10.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise BenchmarkError("the booking flow did not reach its next step")
        app.step()


def _one_flow() -> tuple[float, int]:
    """Home to the ticket's bytes, by taps and typing, offline (the request is written to the outbox)."""
    from drivers.printer.render import TicketRenderer
    from kiosk.booking import flow as booking_flow
    from screens.booking.times import BookingTimeScreen

    app, pilot = _app(online=False)
    try:
        t0 = time.perf_counter()
        pilot.tap("feature-booking")
        pilot.tap("search")
        pilot.type("carte")
        pilot.tap(f"service-{SERVICE}")
        pilot.tap("choose-day")
        pilot.tap("see-times")
        times = app.nav.current
        assert isinstance(times, BookingTimeScreen) and times.draft.day is not None
        first = booking_flow.services(app).availability.day_slots(SERVICE, times.draft.day)[0]
        pilot.tap(f"slot-{first.start:%H%M}")
        pilot.type("Lefèvre")
        pilot.tap("key-enter")
        pilot.type("Ève")
        pilot.tap("key-enter")
        pilot.type("0612345678")
        pilot.tap("continue")
        pilot.tap("confirm")
        _until(app, lambda: app.nav.current is not None and app.nav.current.name == "booking_done")
        data = TicketRenderer("TM-T88V", "native").render(booking_flow.ticket(app, booking_flow.draft(app)))
        total = (time.perf_counter() - t0) * 1000
        if app.errors:
            raise BenchmarkError(f"the app failed during the booking flow: {app.errors[0]!r}")
        return total, len(data)
    finally:
        app.stop()


@benchmark("booking_flow_scripted", "for information", title="booking: home to ticket bytes, scripted")
def booking_flow_scripted(session: Session) -> dict[str, Any]:
    """About 40 taps (search, day, time, name, first name, phone, confirm), the outbox write and
    the ticket's rendering; no waiting for a person, only for the action's worker thread."""
    with _headless_in_process():
        runs = [_one_flow() for _ in range(2 if session.quick else 6)]
    figures = summarize([ms for ms, _ in runs[1:]], "ms")
    figures["first_run_ms"] = round(runs[0][0], 3)
    figures["ticket_bytes"] = runs[0][1]
    return figures
