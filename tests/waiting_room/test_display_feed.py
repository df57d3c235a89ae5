"""The waiting-room display against the reference server on loopback: agents call over HTTP with
their token, the display long-polls as a terminal, and the network between them is cut and
restored for real (a proxy stopped and started again on the same port, or the server itself).
Time is the test's (tests/timebase.py), moved on both clocks together."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import requests
from display_relay import Relay
from support import settle_until
from timebase import test_now

from kiosk.api.client import ApiClient
from kiosk.clock import PARIS
from kiosk.clock import ManualClock as KioskClock
from kiosk.data_layer import DataLayer
from kiosk.demo_api import admin
from kiosk.demo_api.server import serve
from kiosk.demo_api.testing import ManualClock, enroll, seeded_copy
from kiosk.demo_api.walk_in_hours import window
from kiosk.devtools.pilot import Pilot
from kiosk.formatting import format_time
from screens.waiting_room.display import WaitingRoomScreen

pytestmark = pytest.mark.reference_server

SERVICE = "svc-listes-electorales"          # walk-in letter C in the reference seed
HOURS = "Mo-Fr 08:30-11:45,13:30-16:30; Sa 09:00-11:30; PH off"


def open_instant(start: datetime) -> datetime:
    """The first 10:00 in Paris, from the test's instant on, when the service takes walk-ins."""
    day = start.astimezone(PARIS).date()
    for offset in range(1, 20):
        when = datetime.combine(day + timedelta(days=offset), time(10, 0), PARIS)
        if window(HOURS, when).is_open:
            return when
    raise AssertionError("no open morning in 20 days")


@dataclass
class Town:
    """The reference server, the relay the display reaches it through, an agent and a counter terminal."""

    db: Path
    server_clock: ManualClock
    display_clock: KioskClock
    server: object
    base: str
    relay: Relay
    agent_token: str
    counter: object

    def ticket(self) -> str:
        """Someone takes a walk-in number at the counter terminal; the number."""
        r = self.counter.call("POST", "/v1/queue-tickets", headers={"Idempotency-Key": str(uuid.uuid4())},  # type: ignore[attr-defined]
                              json={"service_id": SERVICE, "terminal_id": self.counter.device_id,  # type: ignore[attr-defined]
                                    "taken_at": self.server_clock.now.isoformat(), "offline_number": None})
        assert r.status_code == 200, r.text
        return str(r.data["queue_number"])

    def agent(self, path: str, body: dict[str, str] | None = None) -> requests.Response:
        r = requests.post(f"{self.base}{path}", json=body, timeout=10,
                          headers={"Authorization": f"Bearer {self.agent_token}", "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code in (200, 204), r.text
        return r

    def call_next(self, counter: str) -> str:
        return str(self.agent("/v1/agent/calls", {"service_id": SERVICE, "counter": counter}).json()["queue_number"])

    def move(self, when: datetime) -> None:
        self.server_clock.now = when
        self.display_clock.set_now(when)


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Town]:
    start = open_instant(test_now())
    db = tmp_path / "api.sqlite3"
    server_clock = ManualClock(start)
    seeded_copy(db, start)
    server, _thread = serve("127.0.0.1", 0, db, clock=server_clock)
    base = f"http://127.0.0.1:{server.server_port}"
    relay = Relay(server.server_port)
    town = Town(db, server_clock, KioskClock(start), server, base, relay,
                admin.create_agent_token(db, clock=server_clock), enroll(base, db, server_clock, kind="counter"))
    yield town
    relay.cut()
    town.server.shutdown()        # type: ignore[attr-defined]
    town.server.server_close()    # type: ignore[attr-defined]


def display(make_pilot, town: Town, tmp_path: Path) -> Pilot:  # type: ignore[no-untyped-def]
    creds = tmp_path / "lib" / "credentials.json"
    creds.parent.mkdir(exist_ok=True)
    ApiClient(town.relay.url, credentials_path=creds).enroll(
        admin.create_enrolment_code(town.db, town.server_clock),
        {"hostname": "ecran-salle-attente", "kind": "counter", "app_version": "1"})
    overrides = {"terminal.profile": "display", "api.base_url": town.relay.url, "api.credentials_path": str(creds),
                 "sync.cache_path": str(tmp_path / "lib" / "cache.sqlite3"),
                 "waiting_room.poll_wait_s": 5}
    pilot: Pilot = make_pilot(demo=False, overrides=overrides, data=DataLayer.production, clock=town.display_clock)
    assert isinstance(pilot.screen, WaitingRoomScreen)
    settle_until(pilot, lambda: room(pilot).state.status == "live")
    return pilot


def room(pilot: Pilot):  # type: ignore[no-untyped-def]
    assert pilot.app.waiting_room is not None
    return pilot.app.waiting_room


def shown(pilot: Pilot) -> str | None:
    return pilot.widget("current-number").visible_text() if pilot.has("current-number") else None


def test_an_agent_call_shows_on_the_display_and_a_recall_shows_it_again(make_pilot, town: Town, tmp_path) -> None:
    first, second = town.ticket(), town.ticket()
    wall = display(make_pilot, town, tmp_path)
    assert "Aucun numéro appelé" in wall.text()
    # the service's name comes from the catalog the display syncs like any terminal
    settle_until(wall, lambda: "C · Inscription sur les listes électorales\u00a0: 2\u00a0personnes" in wall.text())

    assert town.call_next("3") == first
    settle_until(wall, lambda: shown(wall) == first, timeout=5)
    assert wall.widget("current-counter").visible_text() == "Guichet 3"
    spoken = first[0] + " " + str(int(first[1:]))
    assert f"Numéro {spoken}, guichet 3" in wall.widget("say-fr").visible_text()
    assert room(wall).chime.rung == 1

    assert town.call_next("1") == second
    settle_until(wall, lambda: shown(wall) == second, timeout=5)
    assert wall.widget("call-0-number").visible_text() == first

    town.agent(f"/v1/agent/calls/{first}/recall")
    settle_until(wall, lambda: shown(wall) == first, timeout=5)
    assert room(wall).state.calls[0].kind == "recall" and room(wall).chime.rung == 3
    assert wall.widget("current-counter").visible_text() == "Guichet 3"
    assert wall.widget("call-0-number").visible_text() == second
    assert "Dupont" not in wall.text()   # nothing but numbers and counters: the contract carries no name


def test_calls_made_while_the_display_is_cut_off_show_when_it_comes_back(make_pilot, town: Town, tmp_path) -> None:
    numbers = [town.ticket() for _ in range(4)]
    wall = display(make_pilot, town, tmp_path)
    town.call_next("2")
    settle_until(wall, lambda: shown(wall) == numbers[0], timeout=5)
    since = town.display_clock.now().astimezone(PARIS)

    town.relay.cut()                                    # the display's network is gone; the agents' is not
    town.move(since + timedelta(minutes=3))
    settle_until(wall, lambda: wall.has("interrupted"), timeout=15)
    hour = format_time(since, "fr")                      # « 10 h », the time of the last answer
    assert f"Affichage interrompu\u00a0: appels non reçus depuis {hour}" in wall.text()
    assert not wall.has("current-number")              # the last call is not shown as current
    assert numbers[0] in wall.text()                   # but listed, under « avant l'interruption »

    assert [town.call_next("4"), town.call_next("5")] == numbers[1:3]
    town.relay.restore()                                # the network is back
    settle_until(wall, lambda: shown(wall) == numbers[2], timeout=15)
    assert not wall.has("interrupted")
    earlier = [wall.widget(f"call-{i}-number").visible_text() for i in range(2)]
    assert earlier == [numbers[1], numbers[0]]
    assert room(wall).chime.rung == 2                    # once for the first call, once for the missed ones


def test_a_stopped_server_is_said_and_the_display_recovers_by_itself(make_pilot, town: Town, tmp_path) -> None:
    number = town.ticket()
    wall = display(make_pilot, town, tmp_path)
    port = town.server.server_port                       # type: ignore[attr-defined]
    town.server.shutdown()                               # type: ignore[attr-defined]
    town.server.server_close()                           # type: ignore[attr-defined]
    # a server process that dies also drops the connections it had open (an in-process server's
    # handler threads would keep serving them): the relay resets them, then relays to nothing
    town.relay.cut()
    town.relay.restore()
    settle_until(wall, lambda: wall.has("interrupted"), timeout=20)
    town.server, _thread = serve("127.0.0.1", port, town.db, clock=town.server_clock)
    settle_until(wall, lambda: room(wall).state.status == "live", timeout=20)
    town.call_next("6")
    settle_until(wall, lambda: shown(wall) == number, timeout=5)


def test_the_day_changing_at_paris_midnight_clears_yesterdays_calls(make_pilot, town: Town, tmp_path) -> None:
    number = town.ticket()
    wall = display(make_pilot, town, tmp_path)
    town.call_next("3")
    settle_until(wall, lambda: shown(wall) == number, timeout=5)
    today = town.display_clock.now().astimezone(PARIS).date()
    midnight = datetime.combine(today + timedelta(days=1), time(0, 0, 30), PARIS)
    town.move(midnight)
    settle_until(wall, lambda: not wall.has("current-number") and not wall.has("earlier"), timeout=10)
    assert "Aucun numéro appelé pour l’instant aujourd’hui." in wall.text()
    settle_until(wall, lambda: room(wall).state.day == midnight.date() and room(wall).state.status == "live",
                 timeout=10)
