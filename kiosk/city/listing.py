"""Places as the screens list them: categories, a category by distance, open now, near here, one place.

Every list is sorted by distance from the terminal (places without coordinates last, by
name), and each row carries its opening state computed at the given instant. Reads only
the columns a row needs; closures are decoded only for the few places that have some.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from kiosk.city.geo import Origin, Whereabouts, locate
from kiosk.city.hours import (
    Closure,
    DayHours,
    OpeningState,
    Status,
    as_closures,
    local_wall,
    parse_closures,
    report_once,
    state_at,
    week,
)
from kiosk.clock import PARIS
from kiosk.text import sort_key

log = logging.getLogger(__name__)

_ROW_COLUMNS = "id, name, category, address, lat, lon, opening_hours, closures"


@dataclass(frozen=True)
class Category:
    name: str          # as in the catalog; "" for places the catalog left without one
    count: int


class PlaceRow(NamedTuple):          # a tuple: a list makes hundreds of them
    id: str
    name: str
    category: str
    address: str
    where: Whereabouts | None
    state: OpeningState


@dataclass(frozen=True)
class PlaceDetail:
    row: PlaceRow
    phone: str | None
    wheelchair: str                       # yes / limited / no / unknown
    opening_hours: str | None
    week: list[DayHours] | None           # None: hours absent or unreadable
    latitude: float | None
    longitude: float | None
    services: list[dict[str, Any]] = field(default_factory=list)   # {id, name} of services held here


def categories(conn: sqlite3.Connection) -> list[Category]:
    """Each category with its number of places, by name; the unnamed one (if any) last."""
    rows = conn.execute("SELECT category, count(*) FROM places GROUP BY category").fetchall()
    found = [Category(r[0] or "", r[1]) for r in rows]
    return sorted(found, key=lambda c: (c.name == "", sort_key(c.name)))


def _closures(raw: str | None, place_id: str) -> list[Closure]:
    if not raw or raw == "[]":
        return []
    try:
        return parse_closures(json.loads(raw), place_id)
    except (TypeError, ValueError):
        report_once("closures-json", place_id, "place %s: closures are not JSON; ignored", place_id)
        return []


def _distance_key(row: tuple[Any, Whereabouts | None]) -> tuple[bool, float, str]:
    place, where = row
    return (where is None, where.distance_m if where else 0.0, sort_key(place["name"]))


def _located(conn: sqlite3.Connection, origin: Origin | None, where_sql: str,
             args: tuple[Any, ...]) -> list[tuple[sqlite3.Row, Whereabouts | None]]:
    rows = conn.execute(f"SELECT {_ROW_COLUMNS} FROM places {where_sql}", args).fetchall()
    placed = [(r, locate(origin, r["lat"], r["lon"])) for r in rows]
    placed.sort(key=_distance_key)
    return placed


def _row(place: sqlite3.Row | Mapping[str, Any], where: Whereabouts | None, wall: datetime,
         closing_soon: timedelta) -> PlaceRow:
    pid = place["id"]
    raw = place["closures"]
    closures = _closures(raw, pid) if isinstance(raw, str) or raw is None else as_closures(raw, pid)
    state = state_at(place["opening_hours"], closures, wall, closing_soon, pid)
    return PlaceRow(pid, place["name"], place["category"] or "", place["address"] or "", where, state)


def rows_from_places(places: Sequence[Mapping[str, Any]], now: datetime, *, origin: Origin | None,
                     closing_soon: timedelta = timedelta(minutes=30)) -> list[PlaceRow]:
    """Places as read by ``offline_cache.places`` (search hits) as rows, in the given order."""
    wall = local_wall(now)
    return [_row(p, locate(origin, p.get("lat"), p.get("lon")), wall, closing_soon) for p in places]


def kind_rank(opening_hours: str | None) -> int:
    """Where a place comes in its category: 1 when it is open around the clock (« 24/7 »), else 0
    (a counter, a surgery, a pool — or a place whose hours are not given).

    The catalog has no sub-kind to group by, but its hours tell what kind of place it is: what
    is open around the clock is unattended equipment (defibrillators, bus stops, letter boxes,
    recycling points), found on the street and rarely what a person opens a category for,
    whereas whoever opens « Santé » mostly looks for a doctor or a pharmacy. Without this the
    nearest of 14 defibrillators came before the first doctor. A category of equipment only
    (« Transport ») keeps its plain nearest-first order. The defibrillators stay listed, and
    the nearest comes first among them."""
    return 1 if (opening_hours or "").split(";")[0].strip().startswith("24/7") else 0


def places_in(conn: sqlite3.Connection, category: str, now: datetime, *, origin: Origin | None,
              closing_soon: timedelta = timedelta(minutes=30)) -> list[PlaceRow]:
    """A category's places, staffed places first (``kind_rank``), then nearest first, with their
    states; ``[]`` for an empty or unknown category."""
    wall = local_wall(now)
    located = _located(conn, origin, "WHERE category = ?", (category,))
    located.sort(key=lambda pw: kind_rank(pw[0]["opening_hours"]))      # stable: nearest first within
    return [_row(p, w, wall, closing_soon) for p, w in located]


def open_now(conn: sqlite3.Connection, now: datetime, *, origin: Origin | None, limit: int = 40,
             closing_soon: timedelta = timedelta(minutes=30)) -> list[PlaceRow]:
    """Places open at ``now``, nearest first, up to ``limit``.

    Places open around the clock (bus stops, letter boxes, defibrillators) are left out: they
    are never the question « what is open now? » and would fill the list.
    """
    out: list[PlaceRow] = []
    wall = local_wall(now)
    for place, where in _located(conn, origin, "WHERE opening_hours IS NOT NULL AND opening_hours <> ''", ()):
        row = _row(place, where, wall, closing_soon)
        if row.state.status in (Status.OPEN, Status.CLOSING_SOON):
            out.append(row)
            if len(out) >= limit:
                break
    return out


def near_here(conn: sqlite3.Connection, now: datetime, *, origin: Origin | None, radius_m: float,
              limit: int = 40, closing_soon: timedelta = timedelta(minutes=30)) -> list[PlaceRow]:
    """Places within ``radius_m`` of the terminal, nearest first; ``[]`` without a terminal position."""
    out: list[PlaceRow] = []
    wall = local_wall(now)
    for place, where in _located(conn, origin, "WHERE lat IS NOT NULL AND lon IS NOT NULL", ()):
        if where is None or where.distance_m > radius_m or len(out) >= limit:
            break
        out.append(_row(place, where, wall, closing_soon))
    return out


def place_detail(conn: sqlite3.Connection, place_id: str, now: datetime, *, origin: Origin | None,
                 closing_soon: timedelta = timedelta(minutes=30), week_days: int = 7) -> PlaceDetail | None:
    """Everything the place screen shows, or None when the place is no longer in the catalog."""
    place = conn.execute(f"SELECT {_ROW_COLUMNS}, phone, wheelchair FROM places WHERE id = ?",
                         (place_id,)).fetchone()
    if place is None:
        return None
    where = locate(origin, place["lat"], place["lon"])
    closures = _closures(place["closures"], place_id)
    days = week(place["opening_hours"], closures, now.astimezone(PARIS).date(), days=week_days, place_id=place_id)
    services = [dict(r) for r in conn.execute("SELECT id, name, translations FROM services WHERE place_id = ? "
                                              "ORDER BY name", (place_id,))]
    return PlaceDetail(_row(place, where, local_wall(now), closing_soon), place["phone"] or None,
                       place["wheelchair"] or "unknown", place["opening_hours"], days,
                       place["lat"], place["lon"], services)
