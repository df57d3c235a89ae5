"""Which walk-in services give numbers now: from the catalog's hours offline, from the queue board online.

Fixed instants of a fixed week (Tuesday 1 December 2026 in Paris): the rules read the hours of that
day, never the day the tests run."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kiosk.api import models
from kiosk.clock import PARIS
from kiosk.walkin.offer import (
    WalkInService,
    catalog_walk_ins,
    live_choices,
    offline_choices,
    open_today,
    ordered,
)
from offline_cache.db import open_cache

ETAT_CIVIL = WalkInService("svc-etat-civil", "Actes d'état civil", "B", "Mo-Fr 08:30-11:45,13:30-16:30", 40,
                           "Salle d'attente, rez-de-chaussée")
TUESDAY = datetime(2026, 12, 1, tzinfo=PARIS).date()


def at(hour: int, minute: int, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(("now", "status", "change"), [
    (at(8, 0), "closed", at(8, 30)),          # before opening: numbers from 8 h 30
    (at(9, 30), "open", at(11, 45)),
    (at(11, 35), "closing_soon", at(11, 45)),  # within 15 minutes of the end: too late to be seen
    (at(12, 30), "closed", at(13, 30)),       # lunch break: again at 13 h 30
    (at(16, 20), "closing_soon", at(16, 30)),
    (at(17, 0), "closed", at(8, 30, day=2)),  # over for today: tomorrow
])
def test_offline_status_follows_the_catalogs_hours(now, status, change):
    [choice] = offline_choices([ETAT_CIVIL], now)
    assert choice.status == status and not choice.live
    assert choice.waiting is None and choice.wait_minutes is None   # never guessed offline
    assert (choice.closes_at if status in ("open", "closing_soon") else choice.opens_at) == change
    assert choice.takes_numbers == (status == "open")


def test_unreadable_hours_give_no_number_offline():
    """The server reads the same string with the same library and would refuse the number."""
    broken = WalkInService("svc-x", "X", "X", "every day but not on Fridays", 10, "Hall")
    [choice] = offline_choices([broken], at(9, 30))
    assert choice.status == "unknown" and not choice.takes_numbers


def test_open_today_reads_the_day_of_the_week():
    assert open_today(ETAT_CIVIL, TUESDAY)
    assert not open_today(ETAT_CIVIL, datetime(2026, 12, 6, tzinfo=PARIS).date())   # a Sunday


def _board(**queue: object) -> models.QueueBoard:
    base = {"service_id": "svc-etat-civil", "letter": "B", "accepts_walk_ins": True, "status": "open",
            "waiting": 3, "estimated_wait_minutes": 12, "opens_at": None,
            "closes_at": "2026-12-01T10:45:00Z", "remaining_today": 30}
    return models.QueueBoard.model_validate({"day": "2026-12-01", "generated_at": "2026-12-01T08:30:00Z",
                                             "queues": [{**base, **queue}]})


def test_live_figures_come_from_the_board():
    [choice] = live_choices([ETAT_CIVIL], _board())
    assert (choice.status, choice.live, choice.waiting, choice.wait_minutes) == ("open", True, 3, 12)
    assert choice.closes_at == at(11, 45) and choice.closes_at.tzinfo is not None


@pytest.mark.parametrize(("queue", "status"), [
    ({"status": "full", "remaining_today": 0}, "full"),
    ({"status": "closing_soon"}, "closing_soon"),
    ({"status": "closed", "opens_at": "2026-12-01T12:30:00Z"}, "closed"),
    ({"accepts_walk_ins": False}, "not_walk_in"),   # the town stopped walk-ins since the catalog was synced
])
def test_a_service_not_giving_numbers_says_why(queue, status):
    [choice] = live_choices([ETAT_CIVIL], _board(**queue))
    assert choice.status == status and not choice.takes_numbers


def test_a_service_missing_from_the_board_is_closed_and_open_ones_come_first():
    other = WalkInService("svc-urba", "Urbanisme", "U", "Mo-Fr 08:30-12:00", 20, "Hall")
    choices = ordered(live_choices([ETAT_CIVIL, other], _board(service_id="svc-urba", letter="U")))
    assert [(c.service.id, c.status) for c in choices] == [("svc-urba", "open"), ("svc-etat-civil", "closed")]


def test_the_cache_gives_walk_in_services_and_leaves_out_data_that_breaks_the_contract(tmp_path, caplog):
    conn = open_cache(tmp_path / "cache.sqlite3")
    good = {"prefix": "B", "hours": ETAT_CIVIL.hours, "daily_capacity": 40, "waiting_area": ETAT_CIVIL.waiting_area}
    rows = [("svc-etat-civil", "Actes d'état civil", json.dumps(good)),
            ("svc-cni", "Carte d'identité", None),                                   # appointments only
            ("svc-passeport", "Passeport", "null"),                                  # the catalog's JSON null
            ("svc-bad", "Mauvais", json.dumps({**good, "prefix": "b1"}))]            # not one capital letter
    with conn:
        conn.executemany("INSERT INTO services (id, name, domain, walk_in) VALUES (?, ?, 'État civil', ?)", rows)
    assert catalog_walk_ins(conn) == [ETAT_CIVIL]
    assert "svc-bad" in caplog.text
    conn.close()
