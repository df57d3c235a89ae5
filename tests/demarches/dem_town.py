"""The demo town for the démarches' service tests: the reference server on loopback with its own
clock, this terminal enrolled, its cache filled by the real sync worker, and the screens' services
(``Services.demarches``) on it, online or offline as the test says."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server
from kiosk.services import Services
from kiosk.sync.worker import SyncWorker

START = test_now()
REPO = Path(__file__).resolve().parents[2]


class DemTown:
    def __init__(self, tmp_path: Path, base: str, db_path: Path, server_clock: ServerClock) -> None:
        self.base, self.db_path, self.server_clock = base, db_path, server_clock
        self.run_dir = tmp_path / "run"
        self.run_dir.mkdir()
        self.client = ApiClient(base, credentials_path=self.run_dir / "credentials.json", now=server_clock,
                                max_attempts=1)
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock),
                           {"hostname": "borne-vignes", "kind": "totem", "app_version": "1.4.0"})
        self.cache = self.run_dir / "cache.sqlite3"
        self.clock = ManualClock(START)
        self.online = True
        self.worker = SyncWorker(self.cache, self.client, clock=self.clock, post=lambda *a, **k: True)
        self._services: list[Services] = []

    def sync(self):
        """One round of the sync worker (push first, then pull), forced."""
        report = self.worker.run_once(force=True)
        assert report.error is None, report.error
        return report

    def services(self, **config) -> Services:
        """The screens' services on this cache; ``config``: kiosk.toml overrides (dotted keys)."""
        cfg = load_config(REPO / "kiosk.toml", {"api.base_url": self.base, **config})
        services = Services(self.cache, client_source=lambda: self.client if self.online else None,
                            clock=self.clock, post=lambda *a, **k: True, known_offline=lambda: not self.online,
                            timeout_s=5.0, config=cfg)
        self._services.append(services)
        return services

    def demarches(self) -> list[sqlite3.Row]:
        """The démarches the town received, oldest first."""
        conn = sqlite3.connect(self.db_path)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute("SELECT * FROM demarches ORDER BY received_at, rowid").fetchall()
        finally:
            conn.close()

    def answers_of(self, tracking_code: str) -> dict:
        [row] = [r for r in self.demarches() if r["tracking_code"] == tracking_code]
        return json.loads(row["answers"])

    def close(self) -> None:
        for services in self._services:
            services.close()
        self.client.close()


def town_at(tmp_path: Path) -> Iterator[DemTown]:
    """For a test module's fixture: the server, the enrolled terminal, its first sync done."""
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        town = DemTown(tmp_path, base, db_path, server_clock)
        town.sync()
        try:
            yield town
        finally:
            town.close()
