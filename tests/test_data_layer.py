"""`kiosk run --demo` with its embedded reference server: enrolment, sync, status in the app."""

from __future__ import annotations

import time

from kiosk.data_layer import DataLayer


def _wait_for(pilot, condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
        pilot.settle()


def test_demo_data_layer_enrols_syncs_and_reports_to_the_header_and_admin(make_pilot):
    pilot = make_pilot(data=DataLayer.demo)
    data = pilot.app.data
    assert not pilot.has("header-network")          # unknown until the first sync
    _wait_for(pilot, lambda: pilot.app.network == "online")
    assert pilot.widget("header-network").text == "En ligne"
    _wait_for(pilot, lambda: pilot.app.sync_status.get("last_success") is not None)
    assert data.cache_path.exists() and data.client.device_id
    pilot.app.open_admin()
    pilot.settle()
    pilot.type("1234")
    pilot.tap("key-enter")
    assert "Synchronisation\u00a0: dernière réussite" in pilot.widget("sync-state").text
    assert "0 en attente" in pilot.widget("sync-state").text
    pilot.tap("sync-now")
    assert "Synchronisation lancée." in pilot.text()
    run_dir = data.run_dir
    pilot.app.stop()
    assert not run_dir.exists()                      # the demo town goes with the run


def test_without_a_data_layer_the_admin_says_so(pilot):
    pilot.app.open_admin()
    pilot.settle()
    pilot.type("1234")
    pilot.tap("key-enter")
    assert pilot.widget("sync-state").text == "Synchronisation\u00a0: pas d’API centrale dans ce mode"
    assert not pilot.widget("sync-now").enabled
