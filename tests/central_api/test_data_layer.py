"""`kiosk run --demo` with its embedded reference server: enrolment, sync, status in the app."""

from __future__ import annotations

import pytest
from support import open_admin, settle_until
from timebase import test_now

from kiosk.api.references import is_terminal_reference
from kiosk.clock import ManualClock
from kiosk.data_layer import DataLayer

pytestmark = pytest.mark.reference_server


def test_demo_data_layer_enrols_syncs_and_reports_to_the_header_and_admin(make_pilot):
    pilot = make_pilot(clock=ManualClock(test_now()), data=DataLayer.demo)
    data = pilot.app.data
    assert not pilot.has("header-network")          # unknown until the first sync
    settle_until(pilot, lambda: pilot.app.network == "online")
    assert pilot.widget("header-network").text == "En ligne"
    settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None)
    assert data.cache_path.exists() and data.client.device_id
    open_admin(pilot)
    assert "Synchronisation\u00a0: dernière réussite" in pilot.widget("sync-state").text
    assert "0 en attente" in pilot.widget("sync-state").text
    pilot.tap("sync-now")
    assert "Synchronisation lancée." in pilot.text()
    run_dir = data.run_dir
    pilot.app.stop()
    assert not run_dir.exists()                      # the demo town goes with the run


def test_without_a_data_layer_the_admin_says_so(pilot):
    open_admin(pilot)
    assert pilot.widget("sync-state").text == "Synchronisation\u00a0: pas d’API centrale dans ce mode"
    assert not pilot.widget("sync-now").enabled


def test_a_screen_books_through_the_services_and_hears_back_by_event(make_pilot):
    """The shape issue 5's screens use: call a service, keep drawing, get ACTION_DONE."""
    from datetime import timedelta

    from kiosk import events
    from screens.base import Screen
    from screens.widgets import Label

    class Probe(Screen):
        name = "probe"

        def __init__(self, app):
            super().__init__(app)
            self.heard = []

        def compose(self):
            return Label("probe", id="probe")

        def handle_event(self, event):
            if event.type == events.ACTION_DONE:
                self.heard.append((event.request_id, event.outcome))

    pilot = make_pilot(clock=ManualClock(test_now()), data=DataLayer.demo)
    settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None)
    services = pilot.app.services
    probe = Probe(pilot.app)
    pilot.app.nav.push(probe)
    pilot.settle()
    today = pilot.app.clock.now().date()
    service = next(s for s in services.availability.services() if s["next_free"] is not None)
    day = services.availability.free_days(service["id"], today, today + timedelta(days=30))[0]
    slot = services.availability.day_slots(service["id"], day)[0]
    request_id = services.book(service["id"], slot, {"last_name": "Martin", "first_name": "Léa"})
    settle_until(pilot, lambda: probe.heard)
    [(heard_id, outcome)] = probe.heard
    assert heard_id == request_id and outcome.status == "done" and is_terminal_reference(outcome.result["reference"])


def test_the_demo_server_follows_the_app_clock_move_by_move(make_pilot):
    """With a ManualClock the child server stands still on the app's time and moves when it moves,
    before ``advance``/``set_now`` return: no race between a test's step and the server's answer."""
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    import requests

    start = test_now().replace(microsecond=0)
    clock = ManualClock(start)
    pilot = make_pilot(clock=clock, data=DataLayer.demo)
    settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None)
    url = pilot.app.data.api.url + "v1/catalog"

    def server_time():
        return parsedate_to_datetime(requests.get(url, timeout=5).headers["Date"])

    assert server_time() == start
    clock.advance(90)
    assert server_time() == start + timedelta(seconds=90)
    clock.set_now(start + timedelta(days=2, hours=3))
    assert server_time() == start + timedelta(days=2, hours=3)


def test_manual_clock_tells_its_listeners_each_move():
    from datetime import timedelta

    clock = ManualClock(test_now())
    heard = []
    clock.add_listener(heard.append)
    clock.advance(5)
    clock.set_now(test_now() + timedelta(hours=1))
    clock.remove_listener(heard.append)
    clock.advance(5)
    assert heard == [test_now() + timedelta(seconds=5), test_now() + timedelta(hours=1)]
