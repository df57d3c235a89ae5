"""The demo town for feature tests (booking, tracking): the reference server on loopback, an enrolled terminal,
and the real app with a real data layer pointed at them (helpers shared by the booking tests)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock
from kiosk.data_layer import DataLayer
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py); modules that use the town carry reference_server


class Town:
    def __init__(self, tmp_path, base: str, db_path, server_clock: ServerClock) -> None:
        self.run_dir, self.base, self.db_path = tmp_path / "run", base, db_path
        self.run_dir.mkdir()
        self.client = ApiClient(base, credentials_path=self.run_dir / "credentials.json")
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock),
                           {"hostname": "borne", "kind": "totem", "app_version": "1.4.0"})

    def start(self, make_pilot, size=(1080, 1920), **overrides):
        """The app with a real data layer pointed at this town, just started."""
        files = {"api.base_url": self.base, "api.credentials_path": str(self.run_dir / "credentials.json"),
                 "sync.cache_path": str(self.run_dir / "cache.sqlite3")}
        return make_pilot(size, clock=ManualClock(START), overrides={**files, **overrides},
                          data=lambda config: DataLayer(config, self.run_dir, embedded=False))

    def pilot(self, make_pilot, size=(1080, 1920), **overrides):
        """The app, once its first sync has filled the cache (services, slots and keys)."""
        pilot = self.start(make_pilot, size, **overrides)
        pilot.wait_until(lambda: pilot.app.data.worker is not None and pilot.app.sync_status.get("last_success"))
        pilot.wait_until(lambda: bool(pilot.app.services.availability.services())
                         and pilot.app.services.availability.next_free_day("svc-cni", START.date()) is not None)
        return pilot


@pytest.fixture
def town(tmp_path):
    """The reference server on loopback with a fresh demo town, and this terminal enrolled."""
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        yield Town(tmp_path, base, db_path, server_clock)


def said(pilot) -> str:
    """The screen's words with French no-break spaces as plain ones."""
    return pilot.text().replace("\xa0", " ").replace("\u202f", " ").replace("’", "'")


def to_person_step(pilot, service_id: str = "svc-cni", *, by_keys: bool = False, from_home: bool = True):
    """Home → service → « Avant de réserver » → first free day → its first time. ``by_keys``: each
    control reached and activated with the keypad's 5, no finger; ``from_home=False``: the
    booking's first screen is already open. Returns the slot chosen."""
    use = pilot.activate if by_keys else pilot.tap
    if from_home:
        use("feature-booking")
    use(f"domain-{domain_index(pilot, service_id)}")
    use(f"service-{service_id}")
    use("choose-day")
    use("see-times")
    first = pilot.app.services.availability.day_slots(service_id, pilot.screen.draft.day)[0]
    use(f"slot-{first.start:%H%M}")
    return first


def domain_index(pilot, service_id: str) -> int:
    grid = pilot.widget("domains")
    from kiosk.catalog_text import domain_name

    domain = domain_name(pilot.app.services.availability.service(service_id)["domain"])   # as shown
    return next(i for i, tile in enumerate(grid.items) if tile.label == domain)


def fill_person(pilot, last: str = "Lefèvre-Müller", first: str = "Ève", phone: str = "", email: str = "") -> None:
    for field, value in (("last_name", last), ("first_name", first), ("phone", phone), ("email", email)):
        if value:
            pilot.tap(f"field-{field}")
            pilot.type(value)


def tracking_code(town, status: str = "completed") -> str:
    """A request of the demo town in ``status``, by its tracking code (read from the server's store)."""
    conn = sqlite3.connect(town.db_path)
    try:
        rows = conn.execute("SELECT code, body FROM tracking ORDER BY code").fetchall()
    finally:
        conn.close()
    return next(code for code, body in rows if json.loads(body)["status"] == status)


class NoFinger:
    """Fails the test if anything touches the screen: a visit with the keypad alone (its pilot
    path posts keypad events, never a touch)."""

    def __init__(self, pilot) -> None:
        pilot.tap = pilot.tap_at = pilot.use = self.refuse

    @staticmethod
    def refuse(*args, **kwargs):
        raise AssertionError("a finger was used in a visit with the keypad alone")
