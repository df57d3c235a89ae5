"""The démarches' benchmark: each form page's transition, « Continuer » to the next page drawn.

In-process at 1080×1920 on a cache filled from the reference seed (both published forms and
the town's streets, :class:`~kiosk.devtools.offline_seed.SeededData`), no server. What is timed
is what a person waits for after « Continuer »: what was typed goes into the session, the
engine judges the page (JSON Schema 2020-12 with the ``jsonschema`` package) and finds the
next shown page, and the next screen is built, laid out, drawn and presented — for every page
of both démarches, the last one leading to the summary.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.clock import PARIS
from kiosk.devtools.bench import BenchmarkError, Session, benchmark, median, summarize
from kiosk.devtools.bench.app_benchmarks import _headless_in_process

if TYPE_CHECKING:
    from kiosk.demarches import Session as FormSession
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)   # mardi 1er décembre 2026
# What a person answers, page by page (typed text goes where the keyboard puts it: visit.fields).
CHOSEN = {
    "acte-etat-civil": {"record_type": "birth", "copy_kind": "full", "requester_link": "self",
                        "event_date": "2016-12-14", "delivery": "post"},
    "signalement-voirie": {"category": "lighting"},
}
TYPED = {
    "acte-etat-civil": {"last_name": "Lefèvre-Müller", "first_names": "Ève Marie", "event_town": "Angers",
                        "father_name": "Jean Lefèvre", "mother_name": "Anne Müller",
                        "address.street": "12 bis rue des Vignes", "address.postcode": "49290",
                        "address.city": "Chalonnes-sur-Loire"},
    "signalement-voirie": {"where.number": "12 bis", "description": "Le lampadaire ne s'allume plus depuis lundi.",
                           "email": "marie@exemple.fr"},
}


def _app() -> tuple[App, Pilot]:
    from kiosk.clock import ManualClock
    from kiosk.config import REPO_CONFIG_PATH, load_config
    from kiosk.devtools.offline_seed import SeededData
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App

    config = load_config(REPO_CONFIG_PATH, {"printer.type": "none"})
    app = App(config, clock=ManualClock(NOW), demo=True, size=(1080, 1920), rotation=0, fullscreen=False,
              data=SeededData(NOW))
    app.start()
    pilot = Pilot(app)
    pilot.settle()
    return app, pilot


def _session(app: App, form_id: str) -> FormSession:
    """A session on ``form_id`` with every page answered, held by « Avant de commencer » (so that
    closing the pages above it does not wipe it)."""
    from screens.demarches.before import DemarcheBeforeScreen
    from screens.demarches.common import DRAFT, typed_key

    services = app.services
    if services is None:
        raise BenchmarkError("the seeded data layer has no services")
    demarches = services.demarches
    session = demarches.start(form_id, "fr")
    for name, value in CHOSEN[form_id].items():
        session.set_answer(name, value)
    if form_id == "signalement-voirie":
        streets = demarches.search_streets("vignes")
        if not streets:
            raise BenchmarkError("the seeded cache has no street list (the seed's streets)")
        session.set_answer("where", {"kind": "street", "street_id": streets[0].id})
    for key, text in TYPED[form_id].items():
        app.visit.fields[typed_key(key)] = text
    app.visit.drafts[DRAFT] = session
    holder = DemarcheBeforeScreen(app, form_id)
    holder.session = session
    app.nav.push(holder)
    return session


def _walk(app: App, pilot: Pilot, session: FormSession, timings: dict[str, list[float]]) -> None:
    """From the first page to the summary, timing each « Continuer »; then back to the start."""
    from screens.demarches.flow import open_page
    from screens.demarches.page import DemarchePageScreen

    holder = app.nav.current
    open_page(app, session)
    pilot.settle()
    while isinstance(screen := app.nav.current, DemarchePageScreen):
        page = f"{session.form.id}:{screen.page_id}"
        t0 = time.perf_counter_ns()
        screen._continue()
        drawn = app.step()
        ms = (time.perf_counter_ns() - t0) / 1e6
        if app.errors:
            raise BenchmarkError(f"the app failed on a démarche page: {app.errors[0]!r}")
        if not drawn or app.nav.current is screen:
            raise BenchmarkError(f"« Continuer » on {page} did not lead to the next page: {session.errors()}")
        timings.setdefault(page, []).append(ms)
    stack = app.nav.stack
    assert holder is not None
    app.nav.pop(stack[stack.index(holder) + 1])        # every page and the summary, back to the start
    pilot.settle()


@benchmark("demarche_pages_1080x1920", "p99 ≤ 8 ms per page", title="démarches: each form page's transition, "
           "1080×1920", judged_on="p99_ms", limit=8)
def demarche_pages(session: Session) -> dict[str, Any]:
    """« Continuer » on each page of both démarches: judge the page, then build and present the next."""
    rounds = 5 if session.quick else 60
    timings: dict[str, list[float]] = {}
    with _headless_in_process():
        app, pilot = _app()
        try:
            for form_id in CHOSEN:                # warm fonts, glyph and validator caches once
                _walk(app, pilot, _session(app, form_id), {})
                app.nav.pop()
            for _ in range(rounds):
                for form_id in CHOSEN:
                    _walk(app, pilot, _session(app, form_id), timings)
                    app.nav.pop()                 # « Avant de commencer » goes: the session is wiped
        finally:
            app.stop()
    everything = [ms for values in timings.values() for ms in values]
    figures = summarize(everything, "ms")
    for page, values in timings.items():
        figures[f"{page}_median_ms"] = round(median(values), 3)
        figures[f"{page}_p99_ms"] = summarize(values, "ms")["p99_ms"]
    figures["worst_page"] = max(timings, key=lambda p: figures[f"{p}_p99_ms"])
    return figures

