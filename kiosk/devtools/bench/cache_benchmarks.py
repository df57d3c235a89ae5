"""Offline cache benchmarks: a full sync's writes, and place search as a citizen types.

Both run on real SQLite files with the production settings (WAL, synchronous=FULL), in a
temporary directory on the machine's disk, with a generated town (fixed seed, so figures
compare across runs). The full load is what the sync worker does after enrolment or a
reset: 10 000 places and 100 000 slots written into an empty cache in one transaction;
the network part of a sync is not measured here. Search timings are keystroke by keystroke
through realistic names ("m", "mé", "méd"… "médiathèque"), the UI's query for each.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.devtools.bench import Session, benchmark, median, summarize

PLACES = 10_000
SLOTS = 100_000
AGENDAS = 40
SEARCH_LIMIT = 20
# What citizens look for, as they would type it (accents or not, words in any order).
TYPED = ["médiathèque", "mairie annexe", "piscine", "ecole jules ferry", "crèche", "gymnase jean moulin",
         "centre social", "france services", "poste", "stade", "conservatoire", "police municipale",
         "dechetterie", "caserne", "parc victor hugo", "rue de la gare", "salle des fêtes", "ccas",
         "maison de l'emploi", "ludothèque", "centre de vaccination", "halte-garderie", "musée", "saint-jean",
         "louise michel", "cinema", "jardin partagé", "bibliotheque croix-rousse", "college", "theatre"]


def _sample(session: Session) -> dict[str, list[dict[str, Any]]]:
    from kiosk.devtools import sample_town as sample_data

    return session.once("cache_sample", lambda: {
        "places": sample_data.places(PLACES, seed=2026),
        "agendas": sample_data.agendas(AGENDAS),
        "slots": sample_data.slots(SLOTS, agenda_count=AGENDAS),
    })


def _full_load(path: Path, data: dict[str, list[dict[str, Any]]]) -> float:
    from offline_cache.catalog import replace_catalog, upsert_slots
    from offline_cache.db import open_cache, write_transaction

    conn = open_cache(path)
    try:
        t0 = time.perf_counter()
        with write_transaction(conn):
            replace_catalog(conn, "places", data["places"])
            replace_catalog(conn, "agendas", data["agendas"])
            upsert_slots(conn, data["slots"])
        return time.perf_counter() - t0
    finally:
        conn.close()


@benchmark("cache_full_load", "≤ 3 s", title="cache: full load 100k slots + 10k places",
           judged_on="load_s", limit=3)
def cache_full_load(session: Session) -> dict[str, Any]:
    """Median of 3 loads (1 in quick mode), each into a new empty file: open and migrate are not counted."""
    data = _sample(session)
    runs = []
    for _ in range(1 if session.quick else 3):
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-cache-") as tmp:
            path = Path(tmp) / "cache.sqlite3"
            runs.append(_full_load(path, data))
            size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {"load_s": round(median(runs), 3), "max_load_s": round(max(runs), 3), "runs": len(runs),
            "places": PLACES, "slots": SLOTS, "file_mib": round(size / 2**20, 1)}


def typed_queries() -> list[str]:
    """Every keystroke's query: each prefix of each typed term ("m", "mé", … "médiathèque")."""
    return [term[:n] for term in TYPED for n in range(1, len(term) + 1) if term[n - 1] != " "]


@benchmark("cache_place_search", "p99 ≤ 5 ms", title="cache: place search over 10k places",
           judged_on="p99_ms", limit=5)
def cache_place_search(session: Session) -> dict[str, Any]:
    """Every keystroke of :data:`TYPED`, 10 rounds (2 in quick mode) after one warm-up round."""
    from offline_cache.catalog import replace_catalog
    from offline_cache.db import open_cache
    from offline_cache.places import search_places

    data = _sample(session)
    queries = typed_queries()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-search-") as tmp:
        conn = open_cache(os.path.join(tmp, "cache.sqlite3"))
        try:
            replace_catalog(conn, "places", data["places"])
            found = [len(search_places(conn, q, SEARCH_LIMIT)) for q in queries]   # warm-up
            samples = []
            for _ in range(2 if session.quick else 10):
                for q in queries:
                    t0 = time.perf_counter_ns()
                    search_places(conn, q, SEARCH_LIMIT)
                    samples.append((time.perf_counter_ns() - t0) / 1e6)
        finally:
            conn.close()
    figures = summarize(samples, "ms")
    figures["distinct_queries"] = len(queries)
    figures["queries_with_results_percent"] = round(100 * sum(1 for n in found if n) / len(found), 1)
    return figures
