"""`kiosk run` without --demo: the configured cache and credentials, no enrolment at run time.
A terminal not provisioned yet says « Hors ligne » and comes online once the credentials
file appears; one without its cache folder says so in one line and keeps running."""

from __future__ import annotations

import logging

import pytest
from support import settle_until
from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock as KioskClock
from kiosk.data_layer import DataLayer
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)


def test_unprovisioned_terminal_is_offline_then_comes_online_with_its_credentials(make_pilot, tmp_path, caplog):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ManualClock(START)
    creds = tmp_path / "lib" / "credentials.json"
    creds.parent.mkdir()
    with running_server(db_path, server_clock) as base:
        overrides = {"api.base_url": base, "api.credentials_path": str(creds),
                     "sync.cache_path": str(tmp_path / "lib" / "cache.sqlite3")}
        with caplog.at_level(logging.ERROR, logger="kiosk.data_layer"):
            pilot = make_pilot(demo=False, overrides=overrides, data=DataLayer.production, clock=KioskClock(START))
            settle_until(pilot, lambda: pilot.app.network == "offline")
            # the start-up thread says « offline » just before it starts the worker: wait for both
            settle_until(pilot, lambda: pilot.app.data is not None and pilot.app.data.worker is not None)
        assert pilot.widget("header-network").text == "Hors ligne"
        assert f"working offline from the cache: No credentials file at {creds}" in caplog.text
        data = pilot.app.data
        assert data.cache_path == tmp_path / "lib" / "cache.sqlite3" and data.worker is not None
        assert pilot.app.services.availability.services() == []          # an empty cache, but a cache

        # provisioning (kiosk-provision enroll) writes the file; the worker picks it up by itself
        ApiClient(base, credentials_path=creds).enroll(admin.create_enrolment_code(db_path, server_clock),
                                                       {"hostname": "borne", "kind": "totem", "app_version": "1"})
        data.sync_now()
        settle_until(pilot, lambda: pilot.app.network == "online")
        settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None)
        assert len(pilot.app.services.availability.services()) >= 8
        pilot.app.stop()
        assert data.cache_path.exists()                                  # a real terminal keeps its cache


def test_missing_cache_folder_is_one_clear_line_and_the_kiosk_keeps_running(make_pilot, tmp_path, caplog):
    missing = tmp_path / "nowhere" / "cache.sqlite3"
    with caplog.at_level(logging.ERROR, logger="kiosk.data_layer"):
        pilot = make_pilot(demo=False, overrides={"sync.cache_path": str(missing)}, data=DataLayer.production)
        settle_until(pilot, lambda: pilot.app.network == "offline")
    assert f"the cache folder {missing.parent} does not exist" in caplog.text
    assert pilot.app.data.worker is None and "Traceback" not in caplog.text
    assert pilot.app.running or pilot.app.frames > 0
    assert not pilot.app.errors
