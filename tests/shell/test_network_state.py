"""The header's « En ligne / Hors ligne » follows the first request that fails and the first
that succeeds — an action, a lookup, a sync round or a heartbeat — not only the sync schedule
(issue 14, defect 3: it said « En ligne » for about a minute after the central API died).

The central API is the reference server behind a loopback proxy (tests/fault_servers.py):
stopping the proxy is the API dying, starting one again on the same port is it coming back.
The app's clock stands still, so the sync worker's next round is a minute of real time away:
only the requests the person makes can move the header within these tests.
"""

from __future__ import annotations

import contextlib
import socket

import pytest
from booking_town import START, Town, said
from fault_servers import FaultProxy

from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server
from kiosk.sync import SyncWorker

pytestmark = pytest.mark.reference_server


class DyingProxy(FaultProxy):
    """A proxy that can die as a process does: its open connections are cut too (a stopped
    ThreadingHTTPServer would still serve the connections clients keep alive)."""

    def __init__(self, upstream: str, port: int = 0) -> None:
        self.connections: list[socket.socket] = []
        super().__init__(upstream, port=port)

    def get_request(self):
        conn, addr = super().get_request()
        self.connections.append(conn)
        return conn, addr

    def die(self) -> None:
        self.stop()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()


class ProxiedTown(Town):
    """The demo town whose API can die and come back on the same address."""

    def __init__(self, tmp_path, base, db_path, server_clock) -> None:
        super().__init__(tmp_path, base, db_path, server_clock)
        self.proxy: DyingProxy | None = DyingProxy(base)
        self.port = self.proxy.server_address[1]
        self.url = self.proxy.url

    def die(self) -> None:
        assert self.proxy is not None
        self.proxy.die()
        self.proxy = None

    def come_back(self) -> None:
        self.proxy = DyingProxy(self.base, port=self.port)

    def app(self, make_pilot):
        pilot = self.start(make_pilot, **{"api.base_url": self.url})
        pilot.wait_until(lambda: pilot.app.network == "online" and pilot.app.data.worker is not None
                         and pilot.app.data.worker.online is True)
        pilot.settle()
        return pilot


@pytest.fixture
def town(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        town = ProxiedTown(tmp_path, base, db_path, server_clock)
        try:
            yield town
        finally:
            if town.proxy is not None:
                town.proxy.stop()


def look_up(pilot, code: str) -> None:
    if pilot.screen.name != "tracking":
        pilot.tap("feature-tracking")
    pilot.type(code)
    pilot.tap("key-enter")
    pilot.wait_until(lambda: getattr(pilot.screen, "pending", None) is None)
    pilot.settle()


def test_a_failed_lookup_says_offline_at_once_and_a_good_one_online_again(town, make_pilot):
    pilot = town.app(make_pilot)
    assert pilot.widget("header-network").text == "En ligne"
    town.die()
    look_up(pilot, "NQJQ6571")
    assert pilot.widget("header-network").text == "Hors ligne"     # before the fix: « En ligne »
    assert pilot.app.data.worker.online is True                      # the schedule had not noticed yet
    town.come_back()
    for _ in range(9):                      # the number is still in the field: clear it
        pilot.tap("key-backspace")
    look_up(pilot, "LUQY3744")
    assert pilot.screen.name == "tracking_result" and "hors connexion" not in said(pilot).lower()
    assert pilot.widget("header-network").text == "En ligne"


def test_a_failed_action_says_offline_and_the_way_back_wakes_the_sync(town, make_pilot):
    pilot = town.app(make_pilot)
    town.die()
    worker = pilot.app.data.worker
    # A cancellation the person confirms: sent at once, it cannot get through and is kept.
    pilot.app.services.cancel("RDV-AAAA-22", "Dupont")
    pilot.wait_until(lambda: pilot.app.network == "offline")
    pilot.settle()
    assert pilot.widget("header-network").text == "Hors ligne"
    town.come_back()
    pilot.app.data.client.clone().keys()          # any request that gets an answer: here, one of the terminal's
    pilot.wait_until(lambda: pilot.app.network == "online")
    # the way back woke the worker: the cancellation left (and was refused: no such appointment)
    pilot.wait_until(lambda: pilot.app.sync_status.get("outbox_depth") == 0 and worker.online is True)
    pilot.settle()
    assert pilot.widget("header-network").text == "En ligne"


def test_a_heartbeat_that_cannot_get_through_makes_the_round_offline(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        proxy = FaultProxy(base)
        try:
            clock = ManualClock(START)
            client = ApiClient(proxy.url, credentials_path=tmp_path / "credentials.json", now=clock.now,
                               max_attempts=1)
            client.enroll(admin.create_enrolment_code(db_path, server_clock),
                          {"hostname": "borne", "kind": "totem", "app_version": "1.4.0"})
            posted: list[bool] = []
            worker = SyncWorker(tmp_path / "cache.sqlite3", client, clock=clock, heartbeat_interval_s=60,
                                catalog_interval_s=3600, slots_interval_s=3600, keys_interval_s=3600,
                                post=lambda _type, **attrs: posted.append(attrs["online"]) if "online" in attrs
                                and len(attrs) == 1 else None)
            assert worker.run_once().online and posted == [True]
            clock.advance(61)                      # only the heartbeat is due: the round's one request
            proxy.queue(("status", 503, {}, {"error": "unavailable", "message": "Service indisponible."}))
            report = worker.run_once()
            assert not report.online                # before the fix: True (a failed heartbeat was only logged)
            assert report.heartbeat_error is not None and report.error is None
            assert posted == [True, False] and worker.link.online is False
            clock.advance(61)
            assert worker.run_once().online and posted == [True, False, True]
        finally:
            proxy.stop()
