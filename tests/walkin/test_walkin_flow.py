"""« Je n'ai pas de rendez-vous » through the real app on a counter terminal, a real data layer and the
reference server on loopback (behind a FaultProxy, so that the network can fail mid-visit): a number in
two taps online and offline, a double press giving one number, a service closed, full, closing soon or
on appointment only, the server's refusals, and the queue board lost mid-visit.

Times: the first working day after the test instant (tests/timebase.py), at the hour each case needs,
for the app and the server alike; « Inscription sur les listes électorales » gives numbers
« Mo-Fr 08:30-11:45,13:30-16:30 » (letter C) in the demo town."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime

import pygame
import pytest
import requests
from booking_town import said
from fault_servers import FaultProxy
from timebase import next_working_day_at

from drivers.printer.render import TicketRenderer
from kiosk import events
from kiosk.api.client import ApiClient
from kiosk.clock import PARIS, ManualClock
from kiosk.data_layer import DataLayer
from kiosk.demo_api import admin, seed_data
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server
from kiosk.queue.numbering import Block, block_for, store_block
from kiosk.walkin import service as walkin
from kiosk.walkin.tickets import walk_in_ticket
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server

SERVICE = "svc-listes-electorales"
LETTER = "C"
TILE = f"walkin-{SERVICE}"
BOOK = f"book-{SERVICE}"


def day_at(hour: int, minute: int = 0) -> datetime:
    """A time of the first working day after the test instant (the walk-in desk's days)."""
    return next_working_day_at(hour, minute)


class Counter:
    """The demo town's server at ``at``, a FaultProxy in front, this terminal enrolled."""

    def __init__(self, tmp_path, base: str, db_path, server_clock: ServerClock) -> None:
        self.run_dir, self.base, self.db_path, self.server_clock = tmp_path / "run", base, db_path, server_clock
        self.run_dir.mkdir()
        self.proxy = FaultProxy(base)
        self.client = ApiClient(base, credentials_path=self.run_dir / "credentials.json")
        self.client.enroll(admin.create_enrolment_code(db_path, server_clock),
                           {"hostname": "guichet", "kind": "counter", "app_version": "1.4.0"})

    def set_service(self, **walk_in: object) -> None:
        """Change the walk-in data of the service on the server (``walk_in=None``: appointments only)."""
        body = dict(next(s for s in seed_data.SERVICES if s["id"] == SERVICE))
        if "walk_in" in walk_in:
            body["walk_in"] = walk_in["walk_in"]
        else:
            body["walk_in"] = {**body["walk_in"], **walk_in}
        admin.put_catalog_item(self.db_path, "service", body)

    def pilot(self, make_pilot, size=(1080, 1920), **overrides):
        files = {"api.base_url": self.proxy.url, "api.credentials_path": str(self.run_dir / "credentials.json"),
                 "sync.cache_path": str(self.run_dir / "cache.sqlite3"), "terminal.profile": "counter"}
        pilot = make_pilot(size, clock=ManualClock(self.server_clock.now), overrides={**files, **overrides},
                           data=lambda config: DataLayer(config, self.run_dir, embedded=False))
        pilot.wait_until(lambda: pilot.app.data.worker is not None and pilot.app.sync_status.get("last_success"))
        pilot.wait_until(lambda: any(s.id == SERVICE for s in walkin.catalog_walk_ins(
            pilot.app.services.availability.conn)))
        return pilot

    def keep_block(self) -> Block:
        """Today's block of offline numbers, fetched and kept as the sync worker does."""
        now = self.server_clock.now
        block = self.client.number_block(now.astimezone(PARIS).date())
        conn = open_cache(self.run_dir / "cache.sqlite3")
        try:
            if block_for(conn, block.day) is None:
                store_block(conn, Block(block.day, block.first, block.last), now)
            kept = block_for(conn, block.day)
        finally:
            conn.close()
        assert kept is not None
        return kept

    def waiting(self) -> int:
        """How many people wait in the service's walk-in queue, as the town says."""
        board = self.client.queues()
        return next(q.waiting for q in board.queues if q.service_id == SERVICE)

    def call_next(self) -> str:
        """An agent calls the next visitor of the service: the number the town holds."""
        token = admin.create_agent_token(self.db_path, clock=self.server_clock)
        answer = requests.post(f"{self.base}/v1/agent/calls", json={"service_id": SERVICE, "counter": "Guichet 2"},
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
                               timeout=5)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["queue_number"])


@pytest.fixture
def counter_at(tmp_path):
    """``counter_at(when)``: the town at ``when`` (one per test)."""
    started = []

    def make(when: datetime) -> Counter:
        db_path = tmp_path / "api.sqlite3"
        clock = ServerClock(when)
        server = running_server(db_path, clock)
        base = server.__enter__()
        started.append(server)
        counter = Counter(tmp_path, base, db_path, clock)
        started.append(counter)
        return counter

    yield make
    for thing in reversed(started):
        if isinstance(thing, Counter):
            thing.proxy.stop()
        else:
            thing.__exit__(None, None, None)


def wait_posted(event_type: int, timeout_s: float = 15.0) -> None:
    """Wait, without stepping the app, until a worker thread has posted an event of ``event_type``
    (a fixed sleep is too short on a loaded machine and too long on an idle one)."""
    deadline = time.monotonic() + timeout_s
    while not pygame.event.peek(event_type):
        assert time.monotonic() < deadline, "the answer never came"
        time.sleep(0.01)


def held(gate: threading.Event):
    """A proxy rewrite: the server has answered, the terminal hears it once the test sets ``gate``
    (a fixed sleep raced the taps on a loaded machine: the answer came before the test looked)."""
    def rewrite(answer: dict) -> dict:
        assert gate.wait(15), "the test never let the answer go"
        return answer
    return rewrite


def open_walk_in(pilot, *, live: bool = True) -> None:
    """Tap 1: the home tile. Waits for the board's answer (or its failure)."""
    pilot.tap("feature-walkin")
    assert pilot.screen.name == "walkin", said(pilot)
    pilot.wait_until(lambda: pilot.screen.reading is None)
    assert (pilot.screen.board is not None) == live, said(pilot)


def wait_number(pilot) -> str:
    pilot.wait_until(lambda: pilot.screen.name == "walkin_number")
    return pilot.widget("number").text if pilot.has("number") else ""


def ticket_text(pilot) -> str:
    data = TicketRenderer("TM-T88V", "native").render(
        walk_in_ticket(pilot.screen.taken, town="Saint-Clément-des-Vignes", follow_url=None,
                       printed_at=pilot.app.clock.now()))
    assert len(data) < 1024
    return " ".join(data.decode("cp1252").replace("\xa0", " ").replace("\u2019", "'").split())


def test_a_walk_in_takes_two_taps_online_and_prints_at_once(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    open_walk_in(pilot)                                   # tap 1
    assert "Personne n'attend" in said(pilot)
    pilot.tap(TILE)                                       # tap 2
    number = wait_number(pilot)
    assert number == f"{LETTER}001"
    words = said(pilot)
    assert "Salle d'attente, rez-de-chaussée" in words and "Personne avant vous" in words
    assert "Inscription sur les listes électorales" in words
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert len(pilot.app.devices.printer.backend.receipts) == 1
    text = ticket_text(pilot)
    assert number in text and "Salle d'attente" in text
    assert town.waiting() == 1
    # the next person: the visit is wiped at « Terminer », and a new one gets the next number
    pilot.tap("finish")
    assert pilot.screen.is_home and not pilot.app.visit.drafts
    pilot.clock.advance(60)                               # the next person, a minute later
    town.server_clock.advance(seconds=60)
    open_walk_in(pilot)
    assert "1 personne en attente" in said(pilot)
    pilot.tap(TILE)
    assert wait_number(pilot) == f"{LETTER}002"
    assert "1 personne avant vous" in said(pilot)
    assert town.waiting() == 2


def test_offline_the_number_comes_from_the_terminals_block_and_reaches_the_town_later(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    pilot = town.pilot(make_pilot)
    block = town.keep_block()
    port = town.proxy.server_address[1]
    town.proxy.stop()                                    # the network goes
    open_walk_in(pilot, live=False)
    words = said(pilot)
    assert "Hors connexion" in words and "Attente non estimable hors connexion" in words
    pilot.tap(TILE)
    number = wait_number(pilot)
    assert number == f"{LETTER}{block.first:03d}"
    assert "ne peut pas être estimé" in said(pilot)
    assert "Hors connexion : l'attente ne peut pas être estimée" in ticket_text(pilot)
    # the network comes back: the ticket reaches the town with its number, which an agent calls
    town.proxy = FaultProxy(town.base, port=port)
    pilot.app.sync_now()
    pilot.wait_until(lambda: pilot.app.sync_status.get("outbox_depth") == 0 and town.waiting() == 1, timeout_s=30)
    assert town.call_next() == number


def test_a_double_press_gives_one_number(counter_at, make_pilot):
    town = counter_at(day_at(10, 0))
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)
    centre = pilot.widget(TILE).rect.center
    for _ in range(2):                        # two taps in one frame: the second lands before any answer
        pilot._finger(pygame.FINGERDOWN, centre)
        pilot._finger(pygame.FINGERUP, centre)
    pilot.settle()
    number = wait_number(pilot)
    assert number == f"{LETTER}001"
    assert town.waiting() == 1


def test_a_press_while_the_first_is_in_flight_gives_the_same_number(counter_at, make_pilot):
    town = counter_at(day_at(10, 0))
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)
    other = next((w.id for w in pilot.widgets() if w.id and w.id.startswith("walkin-") and w.id != TILE), None)

    answer = threading.Event()
    town.proxy.queue(("rewrite", held(answer)))
    pilot.tap(TILE)
    assert pilot.screen.name == "walkin" and pilot.has("taking")      # in flight
    pilot.tap(TILE)
    if other:
        pilot.tap(other)                       # another service meanwhile: still the one number
    answer.set()
    number = wait_number(pilot)
    assert number == f"{LETTER}001"
    pilot.tap("back")                          # « Retour », then the tile again: the same number
    pilot.tap(TILE)
    assert wait_number(pilot) == number
    assert town.waiting() == 1
    assert sum(q.waiting for q in town.client.queues().queues if q.accepts_walk_ins) == 1


@pytest.mark.parametrize(("hour", "minute", "words"), [
    (12, 30, "Fermé pour le moment. Numéros à partir de 13 h 30."),
    (11, 35, "Numéros jusqu'à 11 h 45 : trop tard pour être reçu aujourd'hui."),
    (17, 0, "Plus de numéros aujourd'hui."),
])
def test_a_closed_or_closing_service_says_so_and_offers_a_booking(counter_at, make_pilot, hour, minute, words):
    town = counter_at(day_at(hour, minute))
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)
    assert not pilot.has(TILE)
    assert words in said(pilot).replace("\u2019", "'")
    pilot.tap(BOOK)
    assert pilot.screen.name.startswith("booking"), pilot.screen.name
    assert SERVICE in repr(getattr(pilot.screen, "service_id", "")) or "listes électorales" in said(pilot)
    assert town.waiting() == 0


def test_a_full_service_says_so_and_offers_a_booking(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    town.set_service(daily_capacity=1)
    town.client.create_queue_ticket({"service_id": SERVICE, "terminal_id": town.client.device_id,
                                     "taken_at": town.server_clock.now.isoformat()}, str(uuid.uuid4()))
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)
    assert "Complet pour aujourd'hui" in said(pilot).replace("\u2019", "'")
    pilot.tap(BOOK)
    assert pilot.screen.name.startswith("booking")
    assert town.waiting() == 1


@pytest.mark.parametrize(("change", "sentence"), [
    ("full", "Tous les numéros de ce service pour aujourd'hui ont été donnés"),
    ("not_walk_in", "Ce service reçoit uniquement sur rendez-vous"),
    ("closed", "Plus aucun numéro n'est donné pour ce service à cette heure"),
])
def test_the_towns_refusals_each_have_their_sentence_and_a_booking(counter_at, make_pilot, change, sentence):
    """The board said open when the screen opened; the town decided otherwise by the time of the tap."""
    town = counter_at(day_at(11, 20))
    if change == "full":
        town.set_service(daily_capacity=1)
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)
    assert pilot.has(TILE)
    if change == "full":
        town.client.create_queue_ticket({"service_id": SERVICE, "terminal_id": town.client.device_id,
                                         "taken_at": town.server_clock.now.isoformat()}, str(uuid.uuid4()))
    elif change == "not_walk_in":
        town.set_service(walk_in=None)
    else:                                       # both clocks pass the end of the morning's hours
        later = day_at(11, 50)
        town.server_clock.now = later
        pilot.clock.set_now(later)
    pilot.tap(TILE)
    pilot.wait_until(lambda: pilot.has("refusal"))
    assert sentence in said(pilot).replace("\u2019", "'")
    assert pilot.screen.name == "walkin" and not pilot.has("number")
    pilot.tap("book-instead")
    assert pilot.screen.name.startswith("booking")


def test_the_queue_board_lost_mid_visit_turns_the_screen_offline_and_numbers_from_the_block(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    pilot = town.pilot(make_pilot)
    block = town.keep_block()
    open_walk_in(pilot)
    assert "Personne n'attend" in said(pilot)
    town.proxy.queue(("status", 503, {}, {"error": "unavailable", "message": "maintenance"}))
    pilot.advance(31)                                  # the board is read again every 30 s
    pilot.wait_until(lambda: pilot.screen.reading is None and pilot.screen.board_failed)
    assert "Attente non estimable hors connexion" in said(pilot)
    town.proxy.stop()                                   # and now the network is gone too
    pilot.tap(TILE)
    number = wait_number(pilot)
    assert number == f"{LETTER}{block.first:03d}"


def test_offline_without_a_block_no_number_is_invented(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    pilot = town.pilot(make_pilot)
    conn = open_cache(town.run_dir / "cache.sqlite3")
    with conn:
        conn.execute("DELETE FROM number_blocks")       # never fetched today
    conn.close()
    town.proxy.stop()
    open_walk_in(pilot, live=False)
    pilot.tap(TILE)
    pilot.wait_until(lambda: pilot.has("refusal"))
    assert "ne peut pas donner de numéro" in said(pilot)
    assert not pilot.has("book-instead")
    conn = open_cache(town.run_dir / "cache.sqlite3")
    try:                                                # refused before anything was stored
        assert conn.execute("SELECT count(*) FROM outbox WHERE kind = 'queue_ticket'").fetchone()[0] == 0
    finally:
        conn.close()


def test_the_number_screen_erases_itself_when_the_person_walks_away(counter_at, make_pilot):
    town = counter_at(day_at(9, 30))
    pilot = town.pilot(make_pilot, size=(1920, 1080))
    open_walk_in(pilot)
    pilot.tap(TILE)
    wait_number(pilot)
    assert pilot.screen.wipe_after_s
    pilot.advance(pilot.screen.wipe_after_s + pilot.app.config.idle.reset_after_s + 5, step=1)
    assert pilot.screen.is_home and not pilot.app.visit.drafts


def test_an_answer_that_reached_another_screen_never_leaves_the_person_waiting(counter_at, make_pilot):
    """The number came while « Aide » covered the screen (answers go to the screen on top): back on
    the walk-in screen, « un instant… » gives way to a sentence; leaving while in flight forgets it."""
    town = counter_at(day_at(10, 0))
    pilot = town.pilot(make_pilot)
    open_walk_in(pilot)

    first = threading.Event()
    town.proxy.queue(("rewrite", held(first)))
    pilot.tap(TILE)
    assert pilot.has("taking")
    pilot.tap("help")
    assert pilot.screen.name != "walkin"
    first.set()
    wait_posted(events.ACTION_DONE)        # the answer arrives and goes to the help screen
    pilot.settle()
    pilot.tap("back")
    assert pilot.screen.name == "walkin" and pilot.has("taking")
    pilot.advance(31, step=1)
    assert not pilot.has("taking") and pilot.has("refusal")
    assert "Adressez-vous à l'accueil" in said(pilot)
    # and a press left behind by « Retour » does not hold the next opening of the screen
    second = threading.Event()
    town.proxy.queue(("rewrite", held(second)))
    pilot.tap(TILE)
    assert pilot.has("taking")
    pilot.tap("back")
    second.set()
    wait_posted(events.ACTION_DONE)
    pilot.settle()
    open_walk_in(pilot)
    assert not pilot.has("taking")
