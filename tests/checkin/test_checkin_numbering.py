"""Offline queue numbers from this terminal's block: in order, per letter, never twice (threads,
restarts), None without a block or once it is used up; a changed block never re-hands a number."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from kiosk.clock import PARIS
from kiosk.queue import memory, numbering
from kiosk.queue.numbering import Block
from offline_cache.db import open_cache
from tests.timebase import test_now

NOW = test_now()
DAY = NOW.astimezone(PARIS).date()


@pytest.fixture
def cache(tmp_path):
    conn = open_cache(tmp_path / "cache.sqlite3")
    yield conn
    conn.close()


def test_no_block_no_number(cache):
    assert numbering.allocate(cache, DAY, "A") is None
    assert numbering.remaining(cache, DAY, "A") == 0


def test_numbers_run_through_the_block_per_letter_then_stop(cache):
    assert numbering.store_block(cache, Block(DAY, 996, 999), NOW)
    assert not numbering.store_block(cache, Block(DAY, 996, 999), NOW)   # the same block again: nothing changes
    assert [numbering.allocate(cache, DAY, "A") for _ in range(3)] == ["A996", "A997", "A998"]
    assert numbering.allocate(cache, DAY, "B") == "B996"                   # each letter on its own
    assert numbering.remaining(cache, DAY, "A") == 1
    assert numbering.allocate(cache, DAY, "A") == "A999"
    assert numbering.allocate(cache, DAY, "A") is None                      # used up: nothing invented
    assert numbering.allocate(cache, DAY, "A") is None
    assert numbering.allocate(cache, DAY + timedelta(days=1), "A") is None  # tomorrow has no block yet


def test_bad_input_is_refused_clearly(cache):
    with pytest.raises(ValueError, match="one capital letter"):
        numbering.allocate(cache, DAY, "a1")
    with pytest.raises(ValueError, match="1..999"):
        Block(DAY, 980, 970)
    with pytest.raises(ValueError, match="not a queue number"):
        numbering.format_number("A", 1000)


def test_numbers_survive_a_restart(tmp_path):
    path = tmp_path / "cache.sqlite3"
    conn = open_cache(path)
    numbering.store_block(conn, Block(DAY, 960, 999), NOW)
    assert numbering.allocate(conn, DAY, "A") == "A960"
    conn.close()
    conn = open_cache(path)
    assert numbering.allocate(conn, DAY, "A") == "A961"
    conn.close()


def test_threads_never_get_the_same_number(tmp_path):
    path = tmp_path / "cache.sqlite3"
    setup = open_cache(path)
    numbering.store_block(setup, Block(DAY, 900, 999), NOW)
    setup.close()
    taken: list[str | None] = []
    lock, barrier = threading.Lock(), threading.Barrier(4)

    def take():
        conn = open_cache(path)
        barrier.wait()
        mine = [numbering.allocate(conn, DAY, "C") for _ in range(30)]
        conn.close()
        with lock:
            taken.extend(mine)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    numbers = [n for n in taken if n is not None]
    assert len(numbers) == 100 and len(set(numbers)) == 100       # the whole block, each once
    assert taken.count(None) == 20


def test_a_new_block_for_the_day_never_hands_out_a_number_again(cache):
    numbering.store_block(cache, Block(DAY, 960, 999), NOW)
    given = [numbering.allocate(cache, DAY, "A") for _ in range(5)]       # A960..A964
    numbering.store_block(cache, Block(DAY, 950, 989), NOW)               # overlapping: carry on above
    assert numbering.allocate(cache, DAY, "A") == "A965" and "A965" not in given
    numbering.store_block(cache, Block(DAY, 900, 939), NOW)               # apart: starts at its first
    assert numbering.allocate(cache, DAY, "A") == "A900"


def test_past_days_are_purged(cache):
    yesterday = DAY - timedelta(days=1)
    numbering.store_block(cache, Block(yesterday, 960, 999), NOW)
    numbering.allocate(cache, yesterday, "A")
    memory.remember(cache, key="checkin:j1", kind="checkin", day=yesterday, outbox_uuid="u1", number="A960",
                    ticket={"service": "Passeport"}, at=NOW)
    numbering.purge_before(cache, DAY)
    assert memory.purge_before(cache, DAY) == 1
    assert numbering.block_for(cache, yesterday) is None
    assert cache.execute("SELECT count(*) FROM queue_numbers").fetchone()[0] == 0


def test_memory_recalls_today_only(cache):
    memory.remember(cache, key="checkin:j1", kind="checkin", day=DAY, outbox_uuid="u1", number="A961",
                    ticket={"service": "Passeport", "where": "Guichet 2"}, at=NOW)
    got = memory.recall(cache, "checkin:j1", DAY)
    assert got is not None and got.number == "A961" and got.ticket["where"] == "Guichet 2"
    assert memory.recall(cache, "checkin:j1", DAY + timedelta(days=1)) is None
    memory.learn_letter(cache, "ag-etat-civil-2", "B", NOW)
    memory.learn_letter(cache, "ag-etat-civil-2", "b?", NOW)              # not a letter: ignored
    assert memory.letter_for(cache, "ag-etat-civil-2") == "B" and memory.letter_for(cache, "ag-x") is None


