"""Shared by the queue and agents tests: a real reference server on loopback, its clock held by
the test, one enrolled terminal and one agent, each answer checked against the contract."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from timebase import next_working_day_at

from kiosk.clock import PARIS
from kiosk.demo_api import admin, seed_data
from kiosk.demo_api.testing import ApiClient, ApiResponse, ManualClock, enroll, running_server

# A working day after the test instant (KIOSK_TEST_NOW), 08:00 in Paris: the town hall opens at 08:30.
DAY_START = next_working_day_at(8, 0)
WALK_IN = "svc-listes-electorales"      # walk-in letter C, 15 minutes, Mo-Fr 08:30-11:45,13:30-16:30
APPOINTMENT_ONLY = "svc-cni"
WALK_IN_DATA = next(s["walk_in"] for s in seed_data.SERVICES if s["id"] == WALK_IN)


def paris(when: datetime) -> str:
    return when.astimezone(PARIS).isoformat()


def on_day(hhmm: str, day: datetime = DAY_START) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return day.astimezone(PARIS).replace(hour=hour, minute=minute, second=0, microsecond=0)


@dataclass
class QueueEnv:
    base: str
    db_path: Path
    clock: ManualClock
    terminal: ApiClient
    agent: ApiClient

    def at(self, hhmm: str) -> None:
        """Move the server's clock to ``hhmm`` (Paris) of the scenario's day."""
        self.clock.now = on_day(hhmm, self.clock.now)

    def enroll(self, kind: str = "counter") -> ApiClient:
        return enroll(self.base, self.db_path, self.clock, kind=kind)

    def ticket(self, service: str = WALK_IN, *, terminal: ApiClient | None = None, key: str | None = None,
               **extra: Any) -> ApiResponse:
        terminal = terminal or self.terminal
        body = {"service_id": service, "terminal_id": terminal.device_id, "taken_at": paris(self.clock.now), **extra}
        return terminal.call("POST", "/v1/queue-tickets", json=body,
                             headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def book(self, slot_id: str, service: str = WALK_IN) -> dict[str, Any]:
        body = {"slot_id": slot_id, "service_id": service, "channel": "kiosk", "terminal_id": self.terminal.device_id,
                "created_at": paris(self.clock.now), "person": {"last_name": "Ménard", "first_name": "Odile"}}
        r = self.terminal.call("POST", "/v1/bookings", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        booked: dict[str, Any] = r.data
        return booked

    def checkin(self, *, terminal: ApiClient | None = None, key: str | None = None, **body: Any) -> ApiResponse:
        terminal = terminal or self.terminal
        return terminal.call("POST", "/v1/checkins", headers={"Idempotency-Key": key or str(uuid.uuid4())},
                             json={"terminal_id": terminal.device_id, "scanned_at": paris(self.clock.now), **body})

    def call_next(self, counter: str, service: str = WALK_IN, key: str | None = None) -> ApiResponse:
        return self.agent.call("POST", "/v1/agent/calls", json={"service_id": service, "counter": counter},
                               headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def act(self, action: str, number: str, key: str | None = None) -> ApiResponse:
        return self.agent.call("POST", f"/v1/agent/calls/{{queue_number}}/{action}", queue_number=number,
                               headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def service(self, service_id: str) -> dict[str, Any]:
        """A service of the catalog as the terminal receives it (to edit it as the back office would)."""
        services = self.terminal.call("GET", "/v1/catalog").data["services"]
        found: dict[str, Any] = next(s for s in services if s["id"] == service_id)
        return found

    def queue(self, service: str = WALK_IN) -> dict[str, Any]:
        r = self.terminal.call("GET", "/v1/queues")
        assert r.status_code == 200, r.text
        state: dict[str, Any] = next(q for q in r.data["queues"] if q["service_id"] == service)
        return state

    def board(self, after: int = 0, wait: int = 0) -> ApiResponse:
        return self.terminal.call("GET", "/v1/calls", params={"after": str(after), "wait": str(wait)})


def agenda_slot(agenda_id: str, hhmm: str, day: datetime) -> str:
    """The seeded slot id of ``agenda_id`` at ``hhmm`` on ``day`` (the seed's naming)."""
    return f"{agenda_id}-{on_day(hhmm, day):%Y%m%d%H%M}"


@contextmanager
def queue_env(tmp_path: Path, start: datetime = DAY_START) -> Iterator[QueueEnv]:
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(start)
    with running_server(db_path, clock) as base:
        terminal = enroll(base, db_path, clock, kind="counter")
        agent = ApiClient(base, token=admin.create_agent_token(db_path, clock=clock), clock=clock)
        yield QueueEnv(base, db_path, clock, terminal, agent)


def later(env: QueueEnv, **delta: float) -> None:
    env.clock.now += timedelta(**delta)
