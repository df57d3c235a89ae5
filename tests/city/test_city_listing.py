"""Places as the city screens list them, from a cache synchronised with the real reference
server's demo town: categories and counts, distance order, open now, near here, one place,
and each deliberately bad place of the seed (no coordinates, unreadable hours, no category)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from city_support import SEEDED_AT, seeded_cache
from conftest import REPO

from kiosk.city.geo import Origin, bearing_deg, distance_m, has_coordinates, locate, sector
from kiosk.city.guide import CityGuide
from kiosk.city.hours import Status
from kiosk.city.listing import kind_rank
from kiosk.city.wording import direction_arrow, direction_words, state_words
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.text import sort_key
from offline_cache.from_api import apply_catalog

pytestmark = pytest.mark.reference_server

MAIRIE = (47.4078, -0.7603)   # the demo terminal stands in front of the town hall


@pytest.fixture
def guide(tmp_path):
    config = load_config(REPO / "kiosk.toml")
    g = CityGuide.open(seeded_cache(tmp_path / "cache.sqlite3"), config, ManualClock(SEEDED_AT))
    yield g
    g.close()


# -- geometry --------------------------------------------------------------------------------
def test_distances_and_bearings():
    paris_nd, lyon_bellecour = (48.852968, 2.349902), (45.757814, 4.832011)
    assert distance_m(*paris_nd, *lyon_bellecour) == pytest.approx(392_000, rel=0.01)
    north = (MAIRIE[0] + 0.001, MAIRIE[1])           # 111 m due north
    assert distance_m(*MAIRIE, *north) == pytest.approx(111.2, abs=0.5)
    assert bearing_deg(*MAIRIE, *north) == pytest.approx(0, abs=0.01)
    east = (MAIRIE[0], MAIRIE[1] + 0.001)
    assert bearing_deg(*MAIRIE, *east) == pytest.approx(90, abs=0.1)
    assert distance_m(*MAIRIE, *MAIRIE) == 0


@pytest.mark.parametrize("bearing, facing, expected", [
    (0, 0, 0), (44, 0, 1), (90, 0, 2), (180, 0, 4), (270, 0, 6), (337.6, 0, 0), (337.4, 0, 7),
    (0, 180, 4), (90, 90, 0), (0, 90, 6)])
def test_sectors_relative_to_the_reader(bearing, facing, expected):
    assert sector(bearing, facing) == expected


def test_arrows_and_words():
    assert [direction_arrow(s) for s in range(8)] == list("↑↗→↘↓↙←↖")
    assert direction_words(2) == "à droite" and direction_words(4) == "derrière vous"


@pytest.mark.parametrize("lat, lon", [(None, None), (None, 2.0), (0.0, 0.0), (91.0, 2.0), ("47", "-0.7"),
                                      (float("nan"), 1.0)])
def test_no_usable_coordinates(lat, lon):
    assert not has_coordinates(lat, lon)
    assert locate(Origin(*MAIRIE), lat, lon) is None


def test_origin_from_config():
    config = load_config(REPO / "kiosk.toml", {"location.facing_deg": 180})
    origin = Origin.from_config(config.location)
    assert (origin.latitude, origin.longitude, origin.facing_deg) == (47.4078, -0.7603, 180)
    assert locate(origin, MAIRIE[0] + 0.01, MAIRIE[1]).sector == 4     # north is behind a reader facing south


# -- lists from the synchronised demo town --------------------------------------------------
def test_categories_with_counts(guide):
    cats = guide.categories()
    names = [c.name for c in cats]
    assert names[:4] == ["Administration", "Commerce", "Culte", "Culture"]
    assert names.index("Éducation") < names.index("Environnement")     # accents sort with their letter
    assert cats[-1].name == "" and cats[-1].count == 1                  # the seed's place without category
    assert sum(c.count for c in cats) == 204


def test_category_sorted_by_distance_with_states(guide):
    rows = guide.places_in("Sport")
    distances = [r.where.distance_m for r in rows]
    assert distances == sorted(distances) and len(rows) == 8
    pool = next(r for r in rows if r.id == "pl-piscine")
    assert pool.state.status == Status.CLOSED
    assert state_words(pool.state, SEEDED_AT).replace("\u00a0", " ") == "Fermé · ouvre demain à 14 h"


def test_places_without_coordinates_come_last(guide):
    rows = guide.places_in("Patrimoine")
    assert [r.id for r in rows] == ["pl-lavoir"] and rows[0].where is None
    apply_catalog(guide.conn, {"cursor": "x", "full": False, "services": [], "pages": [], "events": [],
                               "deleted": {"services": [], "places": [], "pages": [], "events": []},
                               "places": [{"id": "pl-fontaine", "name": "Fontaine Saint-Clément",
                                           "category": "Patrimoine", "address": None, "latitude": MAIRIE[0],
                                           "longitude": MAIRIE[1] + 0.002, "phone": None,
                                           "opening_hours": "Mo-Su 08:00-20:00",
                                           "closures": [], "wheelchair": "yes"}]}, SEEDED_AT)
    rows = guide.places_in("Patrimoine")
    assert [r.id for r in rows] == ["pl-fontaine", "pl-lavoir"]
    assert rows[0].where.distance_m == pytest.approx(150.7, abs=1) and rows[0].where.sector == 2


def test_staffed_places_before_equipment_open_around_the_clock(guide):
    """« Santé »: doctors and pharmacies first (nearest first), the 12 defibrillators after them."""
    rows = guide.places_in("Santé")
    kinds = ["defibrillateur" in sort_key(r.name) for r in rows]
    assert kinds.count(True) == 12 and kinds == sorted(kinds)
    assert rows[0].name.startswith(("Cabinet médical", "Pharmacie"))
    staffed = [r.where.distance_m for r in rows if r.where and not r.name.startswith("Défibrillateur")]
    devices = [r.where.distance_m for r in rows if r.where and r.name.startswith("Défibrillateur")]
    assert staffed == sorted(staffed) and devices == sorted(devices)
    assert [kind_rank(h) for h in ("24/7", " 24/7; PH off", "Mo-Fr 09:00-12:00", None, "")] == [1, 1, 0, 0, 0]


def test_empty_and_unknown_categories(guide):
    assert guide.places_in("Piscines olympiques") == []
    nameless = guide.places_in("")
    assert [r.id for r in nameless] == ["pl-ancien-presbytere"]
    assert nameless[0].state.status == Status.UNKNOWN                   # no hours at all


def test_unreadable_hours_in_a_list(guide, caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.city.hours"):
        rows = guide.places_in("Commerce")
        guide.places_in("Commerce")
    cave = next(r for r in rows if r.id == "pl-cave-cooperative")
    assert cave.state.status == Status.UNKNOWN
    assert state_words(cave.state, SEEDED_AT) == "Horaires\u00a0: se renseigner"
    assert sum("pl-cave-cooperative" in r.getMessage() for r in caplog.records) <= 1


def test_open_now_is_nearest_first_without_round_the_clock_places(guide):
    rows = guide.open_now(limit=200)
    assert rows and all(r.state.status in (Status.OPEN, Status.CLOSING_SOON) for r in rows)
    assert rows[0].id == "pl-mairie"                                    # open at 9 h 30 on a Tuesday
    assert not any(r.id.startswith("pl-") and "Arrêt de bus" in r.name for r in rows)
    distances = [r.where.distance_m for r in rows if r.where]
    assert distances == sorted(distances)
    assert "pl-mediatheque" not in {r.id for r in rows}                 # Tuesday: opens at 15 h
    assert len(guide.open_now(limit=3)) == 3


def test_open_now_later_in_the_day(guide):
    guide.clock.set_now(SEEDED_AT.replace(hour=16, minute=0))
    ids = {r.id for r in guide.open_now(limit=500)}
    assert "pl-mediatheque" in ids and "pl-ccas" not in ids             # CCAS: Tuesday mornings only


def test_near_here(guide):
    rows = guide.near_here(limit=500)
    assert rows and all(r.where.distance_m <= 800 for r in rows)
    assert rows[0].id == "pl-mairie" and rows[0].where.distance_m == 0
    far = guide.places_in("Sport")[-1]
    assert far.id not in {r.id for r in rows}
    assert len(guide.near_here(limit=5)) == 5


def test_near_here_without_terminal_position(guide):
    guide.origin = None
    assert guide.near_here() == []
    rows = guide.places_in("Sport")
    assert all(r.where is None for r in rows) and [r.name for r in rows] == sorted((r.name for r in rows), key=sort_key)


def test_place_detail(guide):
    detail = guide.place("pl-mairie")
    assert detail.row.name == "Mairie de Saint-Clément-des-Vignes" and detail.phone == "02 41 39 52 10"
    assert detail.wheelchair == "yes" and detail.row.where.distance_m == 0
    assert {s["id"] for s in detail.services} >= {"svc-cni", "svc-passeport"}
    assert detail.week[0].is_today and len(detail.week) == 7
    media = guide.place("pl-mediatheque")
    assert [d.closure_reason for d in media.week[3:7]] == ["Inventaire annuel"] * 4   # Friday → the next Thursday
    assert guide.place("pl-nowhere") is None


def test_place_closed_exceptionally_in_the_seed(guide):
    guide.clock.set_now(SEEDED_AT + timedelta(days=3, hours=2))           # the Friday, 11 h 30
    detail = guide.place("pl-mediatheque")
    assert detail.row.state.status == Status.CLOSED_EXCEPTIONALLY
    assert detail.row.state.closure_reason == "Inventaire annuel"
    assert detail.row.state.changes_at.date() == SEEDED_AT.date() + timedelta(days=10)   # the Friday after


def test_place_without_coordinates_or_hours(guide):
    lavoir = guide.place("pl-lavoir")
    assert lavoir.row.where is None and lavoir.latitude is None
    presbytere = guide.place("pl-ancien-presbytere")
    assert presbytere.week is None and presbytere.row.state.status == Status.UNKNOWN


def test_warm_up_parses_every_distinct_string_in_the_background(tmp_path):
    import threading

    from kiosk.city import hours

    hours._parse.cache_clear()
    config = load_config(REPO / "kiosk.toml")
    guide = CityGuide.open(seeded_cache(tmp_path / "cache.sqlite3"), config, ManualClock(SEEDED_AT), warm_up=True)
    try:
        for worker in [t for t in threading.enumerate() if t.name == "city-hours-warm-up"]:
            worker.join(timeout=30)                                    # (it may be done already)
        distinct = guide.conn.execute("SELECT count(DISTINCT opening_hours) FROM places").fetchone()[0]
        assert hours._parse.cache_info().currsize == distinct        # the unreadable one included (as None)
        misses = hours._parse.cache_info().misses
        guide.places_in("Commerce")
        assert hours._parse.cache_info().misses == misses             # nothing left to parse
    finally:
        guide.close()


@pytest.mark.parametrize("key, value, expected", [
    ("city.closing_soon_min", 0, "city.closing_soon_min = 0: must be at least 5"),
    ("city.near_radius_m", "loin", "city.near_radius_m = 'loin'"),
    ("location.facing_deg", 360, "location.facing_deg = 360: must be less than 360"),
])
def test_bad_city_settings_are_explained(key, value, expected):
    from kiosk.config import ConfigError

    with pytest.raises(ConfigError) as err:
        load_config(REPO / "kiosk.toml", {key: value})
    assert expected in str(err.value)


def test_flat_earth_locate_agrees_with_haversine_across_a_town():
    origin = Origin(*MAIRIE)
    for dlat, dlon in [(0.018, 0.026), (-0.018, -0.026), (0.001, 0), (0, 0.03), (-0.05, 0.07), (0.0001, -0.0001)]:
        lat, lon = MAIRIE[0] + dlat, MAIRIE[1] + dlon
        where = locate(origin, lat, lon)
        assert where.distance_m == pytest.approx(distance_m(*MAIRIE, lat, lon), rel=1e-3)
        assert where.bearing_deg == pytest.approx(bearing_deg(*MAIRIE, lat, lon), abs=0.1)
