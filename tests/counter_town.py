"""A counter terminal in the demo town (the check-in tests): the reference server on loopback with
its own clock, bookings made as the web portal would, and the real app (profile « counter »)
started at the instant a test chooses — on time, too early, too late, another day. The fixture
``counter_town`` reaches every test module through ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from timebase import first_slot_at, test_now

from drivers.printer.decode import decode
from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock
from kiosk.data_layer import DataLayer
from kiosk.demo_api import admin, db
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server

START = test_now()
LANDSCAPE = (1920, 1080)
# A 10 h 30 slot of État civil, guichet 1 (letter A), the day after the test instant.
SLOT, SLOT_AT = first_slot_at("ag-etat-civil-1", "10:30")
ON_TIME = SLOT_AT - timedelta(minutes=10)


class CounterTown:
    def __init__(self, tmp_path, base: str, db_path, server_clock: ServerClock) -> None:
        self.tmp_path, self.base, self.db_path, self.server_clock = tmp_path, base, db_path, server_clock
        self.run_dir = tmp_path / "run"
        self.run_dir.mkdir()
        self.client = self.enroll(self.run_dir)

    def enroll(self, run_dir) -> ApiClient:
        client = ApiClient(self.base, credentials_path=run_dir / "credentials.json", now=self.server_clock)
        client.enroll(admin.create_enrolment_code(self.db_path, self.server_clock),
                      {"hostname": f"guichet-{run_dir.name}", "kind": "counter", "app_version": "1.4.0"})
        return client

    def book(self, slot_id: str = SLOT, service_id: str = "svc-cni", last_name: str = "N'Diaye"):
        """A booking made before the day (as on the web portal): its reference and token."""
        saved = self.server_clock.now
        self.server_clock.now = START
        try:
            return self.client.create_booking(
                {"slot_id": slot_id, "service_id": service_id, "channel": "kiosk", "terminal_id": self.client.device_id,
                 "created_at": START.isoformat(), "person": {"last_name": last_name, "first_name": "Awa"}},
                str(uuid.uuid4()))
        finally:
            self.server_clock.now = saved

    def pilot(self, make_pilot, when: datetime, size=LANDSCAPE, **overrides):
        """The counter app at ``when`` (the server's clock too), once its first sync has filled the
        cache: services, slots, keys, today's block of numbers and the letters."""
        self.server_clock.now = when
        files = {"api.base_url": self.base, "api.credentials_path": str(self.run_dir / "credentials.json"),
                 "sync.cache_path": str(self.run_dir / "cache.sqlite3"), "terminal.profile": "counter"}
        pilot = make_pilot(size, clock=ManualClock(when), overrides={**files, **overrides},
                           data=lambda config: DataLayer(config, self.run_dir, embedded=False))
        pilot.wait_until(lambda: pilot.app.data.worker is not None and pilot.app.sync_status.get("last_success"))
        pilot.wait_until(lambda: bool(pilot.app.services.availability.services())
                         and pilot.app.services.availability.conn.execute(
                             "SELECT count(*) FROM number_blocks").fetchone()[0] >= 1)
        return pilot

    def booking_row(self, reference: str):
        conn = db.connect(self.db_path)
        try:
            return tuple(conn.execute("SELECT state, queue_number FROM bookings WHERE reference = ?",
                                      (reference,)).fetchone())
        finally:
            conn.close()

    def queue_entries(self, booking_id: str) -> list[str]:
        conn = db.connect(self.db_path)
        try:
            return [r[0] for r in conn.execute("SELECT queue_number FROM queue_entries WHERE booking_id = ?",
                                               (booking_id,))]
        finally:
            conn.close()


@pytest.fixture
def counter_town(tmp_path):
    """The reference server on loopback with a fresh demo town, and a counter terminal enrolled."""
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        yield CounterTown(tmp_path, base, db_path, server_clock)


def said(pilot) -> str:
    return pilot.text().replace("\xa0", " ").replace("\u202f", " ").replace("’", "'")


def printed_texts(pilot) -> list[str]:
    """The words of every ticket the simulated printer received, one string per ticket."""
    data = bytes(pilot.app.devices.printer.backend.received)
    tickets, words = [], []
    for kind, value in decode(data):
        if kind == "text":
            words.append(str(value).replace("\xa0", " ").replace("\u202f", " "))
        elif kind == "cut":
            tickets.append(" ".join(words))
            words = []
    return tickets
