"""The whole kiosk on a bad disk: « Prendre rendez-vous » answers politely, waiting actions reach the
town, and a technician reads one clear line (log, admin screen, heartbeat) — never a traceback.

The real app with its production data layer and sync worker against the reference server on
loopback (tests/booking_town.py), a cache damaged for real before the start (random bytes, cut
in the middle, a damaged outbox, no folder at all), and a really full file system (a small
tmpfs, tests/reliability/disk_support.py) while it runs.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from booking_town import START, said
from disk_support import fill_up, random_bytes, small_filesystem, truncate_half
from support import open_admin

from kiosk.booking.service import booking_request
from kiosk.clock import PARIS, ManualClock
from kiosk.demo_api import db as server_db
from kiosk.devtools.offline_seed import fill_cache
from kiosk.services.actions import ActionRunner
from kiosk.services.outcomes import Status
from offline_cache import health
from offline_cache.db import open_cache, outbox_path
from offline_cache.outbox import Outbox

pytestmark = pytest.mark.reference_server

SENTENCE = "pas encore disponibles sur cette borne"   # the sentence every feature says (screens.widgets.unavailable)
PERSON = {"last_name": "Quastenberg", "first_name": "Ève", "phone": "0611223344"}


def _request(days: int = 3):
    wanted = (START.astimezone(PARIS) + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    return booking_request("svc-cni", wanted, PERSON, START)


def _queue_waiting(cache, n: int = 3, hold_s: float = 0.0) -> list[str]:
    """Actions a citizen left on this terminal, not yet sent (as after an outage)."""
    conn = open_cache(cache)
    outbox = Outbox(conn, ManualClock(START))
    keys = []
    for i in range(n):
        action = _request(days=3 + i)
        keys.append(outbox.enqueue(action.kind, action.payload, personal=action.personal, hold_s=hold_s))
    conn.close()
    return keys


def _server_saw(town, keys: list[str]) -> set[str]:
    conn = server_db.connect(town.db_path)
    try:
        return {r[0] for r in conn.execute("SELECT key FROM idempotency")} & set(keys)
    finally:
        conn.close()


def _storage_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "offline_cache" and r.levelno >= logging.WARNING]


def _no_traceback(caplog) -> None:
    assert not [r.getMessage() for r in caplog.records if r.exc_info], "a traceback was logged"


def _booking_answers_politely(pilot) -> None:
    pilot.app.go_home()
    pilot.settle()
    pilot.tap("feature-booking")
    pilot.settle()
    assert pilot.screen.name == "booking" and not pilot.app.errors


@pytest.mark.parametrize("damage", ["random_bytes", "truncated"])
def test_a_damaged_catalog_is_rebuilt_and_the_waiting_actions_are_sent(town, make_pilot, caplog, damage):
    cache = fill_cache(town.run_dir / "cache.sqlite3", START)
    waiting = _queue_waiting(cache)
    random_bytes(cache) if damage == "random_bytes" else truncate_half(cache)
    with caplog.at_level(logging.INFO):
        pilot = town.start(make_pilot)
        _booking_answers_politely(pilot)                          # at once: a sentence or the services, no apology
        assert pilot.has("unavailable") or pilot.has("domains")
        pilot.wait_until(lambda: pilot.app.sync_status.get("last_success") is not None
                         and pilot.app.sync_status.get("outbox_depth") == 0)
        _booking_answers_politely(pilot)
        assert pilot.has("domains")                               # rebuilt from the central API
    assert _server_saw(town, waiting) == set(waiting)            # nothing a citizen left was lost
    records = _storage_records(caplog)
    assert len(records) == 1 and records[0].getMessage().startswith("offline cache catalog damaged")
    assert pilot.app.sync_status["storage"]["state"] == "ok"
    assert len(health.moved_aside(cache, "catalog")) == 1
    assert "storage: ok" in caplog.text and "Quastenberg" not in caplog.text
    _no_traceback(caplog)


def test_a_damaged_outbox_is_kept_aside_and_reported_on_the_admin_screen_and_in_the_heartbeat(
        town, make_pilot, caplog):
    cache = town.run_dir / "cache.sqlite3"
    _queue_waiting(cache)
    data = random_bytes(outbox_path(cache), size=16 * 1024)
    with caplog.at_level(logging.INFO):
        pilot = town.pilot(make_pilot)
        _booking_answers_politely(pilot)
        assert pilot.has("domains")                               # the catalog was not touched
        pilot.wait_until(lambda: (pilot.app.sync_status.get("storage") or {}).get("state") == "outbox_moved_aside")
    moved = health.moved_aside(cache, "outbox")
    assert len(moved) == 1 and moved[0].read_bytes() == data     # never deleted
    records = _storage_records(caplog)
    assert len(records) == 1 and records[0].getMessage().startswith("outbox damaged")
    open_admin(pilot)
    assert "1 fichier abîmé de démarches en attente a été mis de côté" in pilot.widget("storage-state").text
    conn = server_db.connect(town.db_path)
    try:
        bodies = [json.loads(r[0]) for r in conn.execute("SELECT body FROM heartbeats")]
    finally:
        conn.close()
    assert bodies and bodies[-1]["storage"] == {"state": "outbox_moved_aside", "outbox_files_moved_aside": 1}
    _no_traceback(caplog)


def test_no_cache_folder_every_feature_says_the_same_sentence(town, make_pilot, caplog):
    """Issue 14's defect 4: `kiosk run` without its cache folder; « Prendre rendez-vous » said
    CacheError through the apology screen while « Ma ville » answered politely."""
    missing = town.run_dir / "nowhere" / "cache.sqlite3"
    with caplog.at_level(logging.INFO):
        pilot = town.start(make_pilot, **{"sync.cache_path": str(missing)})
        pilot.wait_until(lambda: pilot.app.network == "offline")
        _booking_answers_politely(pilot)
        assert SENTENCE in said(pilot)
        pilot.app.go_home()
        pilot.settle()
        pilot.tap("feature-city")
        pilot.settle()
        assert SENTENCE in said(pilot) and not pilot.app.errors
        _booking_answers_politely(pilot)                          # again: still polite, and not said twice in the log
    records = _storage_records(caplog)
    assert len(records) == 1 and f"the cache folder {missing.parent} does not exist" in records[0].getMessage()
    assert not missing.parent.exists()
    _no_traceback(caplog)


def test_a_full_disk_is_said_once_confirms_nothing_it_could_not_store_and_loses_nothing(town, make_pilot, caplog):
    with small_filesystem(town.run_dir / "disk", "4m") as disk:
        cache = disk / "cache.sqlite3"
        with caplog.at_level(logging.INFO):
            pilot = town.pilot(make_pilot, **{"sync.cache_path": str(cache), "sync.heartbeat_interval_s": 30})
            waiting = _queue_waiting(cache, n=2, hold_s=3600)    # left by citizens, held back for now
            filler = fill_up(disk)

            # a citizen's new action cannot be stored: it is not confirmed, it is refused plainly
            runner = ActionRunner(cache, client_source=lambda: None, clock=ManualClock(START))
            try:
                outcomes = [runner.run(_request(days=5)) for _ in range(3)]
            except Exception:
                runner.close()
                raise
            assert all(o.status == Status.ERROR and o.code == "storage_failed" for o in outcomes)
            assert "pas pu être enregistrée. Rien n’a été réservé" in outcomes[0].message

            # the kiosk keeps serving what it can: the services are read as before
            _booking_answers_politely(pilot)
            assert pilot.has("domains")
            for _ in range(3):   # sync rounds (and a heartbeat) on the full disk
                pilot.advance(31)
                pilot.app.data.sync_now()
                pilot.wait_until(lambda: (pilot.app.sync_status.get("storage") or {}).get("state") == "full")
            conn = server_db.connect(town.db_path)
            try:
                last = json.loads(conn.execute("SELECT body FROM heartbeats ORDER BY rowid DESC").fetchone()[0])
            finally:
                conn.close()
            assert last["storage"]["state"] == "full"
            open_admin(pilot)
            assert "le disque est plein" in pilot.widget("storage-state").text
            full_lines = [r.getMessage() for r in _storage_records(caplog)]
            assert len(full_lines) == 1 and full_lines[0].startswith("disk full: The disk holding the offline cache")
            assert "is damaged or" not in full_lines[0] and "move this file aside" not in full_lines[0]

            # room again: the next action is stored, the waiting ones leave, nothing was lost
            filler.unlink()
            assert runner.run(_request(days=6)).status in (Status.QUEUED, Status.DONE)
            runner.close()
            pilot.app.go_home()
            pilot.settle()
            pilot.app.data.sync_now()                              # a forced round sends everything, held or not
            pilot.wait_until(lambda: _server_saw(town, waiting) == set(waiting))
            assert "disk has room again" in caplog.text
        _no_traceback(caplog)
        pilot.app.stop()
