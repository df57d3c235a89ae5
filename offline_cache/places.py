"""Place search as a citizen types, and the reads the UI's services make.

What a citizen types is never handed to FTS5 as a query: quotes, ``*``, ``-``, ``OR``,
``NEAR``, ``:`` or parentheses would be syntax there (an error at best, another query
at worst). :func:`match_expression` keeps only the words, quotes each one and makes it
a prefix, so "médi" and "MEDI" both find "Médiathèque" (the index folds case and
accents: ``unicode61 remove_diacritics 2``), and "rue jean j" finds "12 rue Jean-Jaurès".
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from datetime import datetime
from typing import Any

from kiosk.api.action_kinds import Kind
from offline_cache.catalog import utc_text
from offline_cache.db import OUTBOX_SCHEMA

MAX_WORDS = 8          # beyond this a query is no longer typed by hand
MAX_WORD_CHARS = 40
MAX_QUERY_CHARS = 200
BROAD = 600            # more matches than this are not ranked (see search_places)
BROAD_SAMPLE = 200
STOP_WORDS = frozenset(["à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur", "un",
                        "une"])
_WORD = re.compile(r"[^\W_]+")          # letters and digits, any script; everything else separates

# Name matches count most, then the category ("Piscine"), then the address.
_RANK = "bm25(places_fts, 10.0, 4.0, 1.0)"


def match_expression(query: str) -> str | None:
    """An FTS5 expression for ``query``: every word as a quoted prefix, all required; None if no word.

    Little French words ("de", "la", "l'") are left out when other words remain: they are in
    most names and addresses, so they narrow nothing but cost the most ("maison de l").
    """
    words = query_words(query)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def query_words(query: str) -> list[str]:
    """The words of ``query`` that a search uses (see :func:`match_expression`), as typed."""
    # NFC first: an accent typed as a separate combining mark would otherwise split the word.
    words = _WORD.findall(unicodedata.normalize("NFC", query[:MAX_QUERY_CHARS]))[:MAX_WORDS]
    meaningful = [w for w in words if w.casefold() not in STOP_WORDS]
    return [w[:MAX_WORD_CHARS] for w in (meaningful or words)]


def search_places(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Places matching every typed word (as prefixes), best first (bm25); ``[]`` for an empty query.

    Ranking costs about a microsecond per matching place, and one or two typed letters (or the
    postcode every address shares) match nearly all of them: too slow for each keystroke, and
    no ranking of thousands helps anyway. So a broad query is narrowed to place names, and
    if the names still match more than :data:`BROAD` places, the first of them are shown
    alphabetically: the next letter typed makes the query specific.
    """
    return search_matching(conn, match_expression(query), limit)


def search_matching(conn: sqlite3.Connection, expression: str | None, limit: int = 20) -> list[dict[str, Any]]:
    """:func:`search_places` for an FTS5 expression built by the caller from quoted words only
    (the city search adds spelling alternatives: ``("mediatheque"* OR "mediateque"*)``)."""
    if expression is None or limit <= 0:
        return []
    if _count(conn, expression) <= BROAD:
        return _ranked(conn, expression, limit)
    names_only = f"name : ({expression})"
    named = _count(conn, names_only)
    if 0 < named <= BROAD:
        return _ranked(conn, names_only, limit)
    rows = conn.execute(
        "SELECT p.* FROM places p WHERE p.pk IN "
        "(SELECT rowid FROM places_fts WHERE places_fts MATCH ? LIMIT ?) ORDER BY p.name LIMIT ?",
        (names_only if named else expression, BROAD_SAMPLE, limit))
    return [_place(r) for r in rows]


def _count(conn: sqlite3.Connection, expression: str) -> int:
    """Matches, counted up to BROAD + 1 only (cheap: no ranking)."""
    found: int = conn.execute("SELECT count(*) FROM (SELECT 1 FROM places_fts WHERE places_fts MATCH ? LIMIT ?)",
                              (expression, BROAD + 1)).fetchone()[0]
    return found


def _ranked(conn: sqlite3.Connection, expression: str, limit: int) -> list[dict[str, Any]]:
    # Rank inside the FTS table, join only the rows shown.
    rows = conn.execute(
        f"SELECT p.* FROM (SELECT rowid, {_RANK} AS score FROM places_fts WHERE places_fts MATCH ? "
        "ORDER BY score LIMIT ?) f JOIN places p ON p.pk = f.rowid ORDER BY f.score, p.name",
        (expression, limit))
    return [_place(r) for r in rows]


def _place(row: sqlite3.Row) -> dict[str, Any]:
    place = {k: row[k] for k in row.keys() if k not in ("pk", "score")}  # noqa: SIM118 - a Row iterates values
    place["closures"] = json.loads(place["closures"])
    return place


def get_place(conn: sqlite3.Connection, place_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
    return _place(row) if row else None


def services(conn: sqlite3.Connection, domain: str | None = None) -> list[dict[str, Any]]:
    """Services by (French) name, optionally of one domain, JSON columns decoded."""
    sql = "SELECT * FROM services"
    args: tuple[str, ...] = ()
    if domain is not None:
        sql, args = sql + " WHERE domain = ?", (domain,)
    out = []
    for row in conn.execute(sql + " ORDER BY name", args):
        service = dict(row)
        service["documents"] = json.loads(service["documents"])
        service["agenda_ids"] = json.loads(service["agenda_ids"])
        service["translations"] = json.loads(service.get("translations") or "{}")
        out.append(service)
    return out


SLOT_COLUMNS = ("start", "end", "places_left", "id", "agenda_id")

# Places this terminal has promised already: a booking, or a booking request for a given slot,
# still waiting in the outbox (offline, or not answered yet). The cache's ``places_left`` is
# the server's count at the last synchronisation and knows nothing of them, so without this
# the same 8 h 30 would be offered and accepted twice while the network is down. Each pending
# row holds one place of its slot; once the row is acknowledged (the next slot sync brings the
# server's lower count), refused or otherwise no longer pending, the place is offered again.
# Every free-slot read below subtracts them, here and only here, so the calendar's days, a
# day's times and « next free » agree. Pending rows are few (the outbox_due index finds them).
_HOLDING_KINDS = (Kind.BOOKING.value, Kind.BOOKING_REQUEST.value)
_HELD = (f"WITH held(slot_id, n) AS MATERIALIZED (SELECT coalesce(json_extract(payload, '$.slot_id'), "
         f"json_extract(payload, '$.wanted_slot_id')) AS wanted, count(*) FROM {OUTBOX_SCHEMA}.outbox "
         "WHERE state = 'pending' AND kind IN (?, ?) GROUP BY 1 HAVING wanted IS NOT NULL)")
# Read per slot row from the small materialized set: a join would let the planner leave the
# (agenda_id, start) index that keeps « next free » a LIMIT 1 probe. ``NOT IN`` is looked up
# in an index SQLite builds once per query, so the month's thousands of unheld slots each
# cost a lookup, not a scan of the holds (a month calendar: 2 ms without holds).
_HELD_HERE = "coalesce((SELECT n FROM held WHERE held.slot_id = slots.id), 0)"
_FREE_HERE = f"places_left > 0 AND (slots.id NOT IN (SELECT slot_id FROM held) OR places_left > {_HELD_HERE})"


def free_slots(conn: sqlite3.Connection, agenda_ids: list[str], start_from: datetime | str,
               start_to: datetime | str, limit: int = 500) -> list[dict[str, Any]]:
    """Slots with places left in any of ``agenda_ids`` (a service's counters), by start time."""
    rows = free_slot_rows(conn, agenda_ids, start_from, start_to, limit)
    return [dict(zip(SLOT_COLUMNS, r, strict=True)) for r in rows]


def free_slot_rows(conn: sqlite3.Connection, agenda_ids: list[str], start_from: datetime | str,
                   start_to: datetime | str, limit: int = -1) -> list[tuple[Any, ...]]:
    """The same as plain rows ``(start, end, places_left, id, agenda_id)`` (``SLOT_COLUMNS``):
    a crowded day's time step builds hundreds of them while a person waits."""
    if not agenda_ids:
        return []
    marks = ", ".join("?" for _ in agenda_ids)
    return conn.execute(
        f'{_HELD} SELECT start, "end", places_left - {_HELD_HERE}, id, agenda_id FROM slots '
        f"WHERE agenda_id IN ({marks}) AND start >= ? AND start < ? AND {_FREE_HERE} "
        "ORDER BY start, agenda_id LIMIT ?",
        (*_HOLDING_KINDS, *agenda_ids, utc_text(start_from), utc_text(start_to), limit)).fetchall()


def free_hours(conn: sqlite3.Connection, agenda_ids: list[str], start_from: datetime | str,
               start_to: datetime | str) -> list[str]:
    """The UTC hours (``YYYY-MM-DDTHH``) holding a free slot of ``agenda_ids``: enough to know
    which local days have one (time zones differ from UTC by whole hours), in far fewer rows
    than the slots themselves — a month calendar reads this."""
    if not agenda_ids:
        return []
    marks = ", ".join("?" for _ in agenda_ids)
    rows = conn.execute(
        f"{_HELD} SELECT DISTINCT substr(start, 1, 13) FROM slots "
        f"WHERE agenda_id IN ({marks}) AND start >= ? AND start < ? AND {_FREE_HERE}",
        (*_HOLDING_KINDS, *agenda_ids, utc_text(start_from), utc_text(start_to)))
    return [r[0] for r in rows]
