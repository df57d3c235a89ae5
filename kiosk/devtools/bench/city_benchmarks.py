"""City information benchmarks: search as you type, and opening a big category.

Both run on a real cache file (production settings) holding a generated town of 10 000
places (``kiosk.devtools.sample_town``, fixed seed) and the demo town's services and pages.
Search is timed keystroke by keystroke, through the whole city search (places with one typo
forgiven, services, pages), with some words typed wrongly on purpose so the typo path is
measured too. Opening a category is what
the list screen asks for: 500 places read, located, their opening states computed at a fixed
instant and sorted by distance. Opening hours are varied per place (hundreds of distinct
strings, as in a real town). The judged figure is an opening with the strings already parsed,
as they are once the city screens' background warm-up is done (``CityGuide.open(warm_up=True)``)
and for every later opening; ``unparsed_*`` is an opening with the parsed-hours caches emptied
first (about 60 µs of parsing per distinct string), for information.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.devtools.bench import Session, benchmark, summarize
from kiosk.devtools.bench.cache_benchmarks import TYPED

if TYPE_CHECKING:
    from kiosk.city.guide import CityGuide

PLACES = 10_000
CATEGORY_SIZE = 500
CATEGORY = "Commerce et artisanat"
# Typed with one mistake each (swapped, missing, extra or wrong letter): the typo path.
MISTYPED = ["mediatehque", "piscnie", "gymnsae", "conservatorie", "bibliotheqe", "dechetterie", "ludotheqe",
            "vacination", "theatr", "cinemma"]
AT = datetime(2026, 12, 1, 12, 15)   # a Tuesday at lunch time: open, closed and closing soon (aware in _now())


def _now() -> datetime:
    from kiosk.clock import PARIS

    return AT.replace(tzinfo=PARIS)


def _varied_hours(rng: random.Random) -> str:
    """Hours that differ from place to place, as shops' and offices' do."""
    days = rng.choice(["Mo-Fr", "Mo-Sa", "Tu-Sa", "Mo,Tu,Th,Fr", "Mo-Su"])
    open_h, close_h = rng.randint(7, 10), rng.randint(16, 20)
    lunch = rng.random() < 0.6
    spans = (f"{open_h:02d}:{rng.choice(['00', '30'])}-12:{rng.choice(['00', '30'])},"
             f"{rng.randint(13, 14):02d}:{rng.choice(['00', '30'])}-{close_h:02d}:00") if lunch \
        else f"{open_h:02d}:00-{close_h:02d}:{rng.choice(['00', '30'])}"
    extra = rng.choice(["", "; PH off", "; Sa 09:00-12:00; PH off", "; Jul-Aug off"])
    return f"{days} {spans}{extra}"


def _town(session: Session) -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        from kiosk.devtools import sample_town as sample_data

        rng = random.Random(7)
        places = sample_data.places(PLACES, seed=2026)
        for i, place in enumerate(places):
            if i % (PLACES // CATEGORY_SIZE) == 0:
                place["category"] = CATEGORY
            if rng.random() < 0.7:
                place["opening_hours"] = _varied_hours(rng)
            if i % 97 == 0:
                place["lat"] = place["lon"] = None       # some without coordinates, as in real catalogs
        return places
    return session.once("city_town", build)


def _open_guide(path: str, places: list[dict[str, Any]]) -> CityGuide:
    from kiosk.city.geo import Origin
    from kiosk.city.guide import CityGuide
    from kiosk.clock import ManualClock
    from kiosk.config.models import CityConfig
    from kiosk.demo_api import seed, seed_data
    from offline_cache.catalog import replace_catalog
    from offline_cache.db import open_cache, write_transaction
    from offline_cache.from_api import page_row

    conn = open_cache(path)
    with write_transaction(conn):
        replace_catalog(conn, "places", places)
        # the demo town's services and practical pages: search looks through them at each keystroke
        replace_catalog(conn, "services", seed_data.SERVICES)
        replace_catalog(conn, "pages", [page_row(p) for p in seed.pages(_now())])
    return CityGuide(conn, origin=Origin(45.766, 4.879), clock=ManualClock(_now()), settings=CityConfig())


def typed_keystrokes() -> list[str]:
    terms = TYPED + MISTYPED
    return [term[:n] for term in terms for n in range(1, len(term) + 1) if term[n - 1] != " "]


@benchmark("city_search", "p99 ≤ 5 ms", title="city: search as you type over 10k places", judged_on="p99_ms",
           limit=5)
def city_search(session: Session) -> dict[str, Any]:
    """Every keystroke of the typed and mistyped terms, 5 rounds (1 in quick mode) after a warm-up."""
    places = _town(session)
    queries = typed_keystrokes()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-city-") as tmp:
        guide = _open_guide(os.path.join(tmp, "cache.sqlite3"), places)
        try:
            found = [not guide.search(q).empty for q in queries]       # warm-up (and the vocabulary)
            samples = []
            for _ in range(1 if session.quick else 5):
                for q in queries:
                    t0 = time.perf_counter_ns()
                    guide.search(q)
                    samples.append((time.perf_counter_ns() - t0) / 1e6)
            mistyped_found = sum(1 for q in MISTYPED if not guide.search(q).empty)
        finally:
            guide.close()
    figures = summarize(samples, "ms")
    figures["distinct_queries"] = len(queries)
    figures["queries_with_results_percent"] = round(100 * sum(found) / len(found), 1)
    figures["mistyped_words_found"] = f"{mistyped_found}/{len(MISTYPED)}"
    return figures


@benchmark("city_category", "median ≤ 20 ms", title="city: open a category of 500 places (states, by distance)",
           judged_on="median_ms", limit=20)
def city_category(session: Session) -> dict[str, Any]:
    """30 openings (5 in quick mode): each first with the parsed-hours caches emptied (the first
    opening after a start), then again with them filled (every later opening that day)."""
    from kiosk.city import hours

    places = _town(session)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-city-") as tmp:
        guide = _open_guide(os.path.join(tmp, "cache.sqlite3"), places)
        try:
            rows = guide.places_in(CATEGORY)
            cold, warm = [], []
            for _ in range(5 if session.quick else 30):
                hours._parse.cache_clear()
                hours._day_window.cache_clear()
                t0 = time.perf_counter_ns()
                guide.places_in(CATEGORY)
                cold.append((time.perf_counter_ns() - t0) / 1e6)
                t0 = time.perf_counter_ns()
                guide.places_in(CATEGORY)
                warm.append((time.perf_counter_ns() - t0) / 1e6)
        finally:
            guide.close()
    figures = summarize(warm, "ms")
    figures.update(summarize(cold, "ms", prefix="unparsed_"))
    figures["places"] = len(rows)
    figures["distinct_hours"] = len({p["opening_hours"] for p in places if p["category"] == CATEGORY})
    figures["open_now"] = sum(1 for r in rows if r.state.is_open)
    return figures
