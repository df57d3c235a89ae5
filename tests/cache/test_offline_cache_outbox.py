"""The outbox: order, backoff, retries, refusals, erasure of personal data, and kill -9."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from offline_cache.catalog import replace_catalog
from offline_cache.db import open_cache, write_transaction
from offline_cache.outbox import BACKOFF_CAP_S, RETRY_AFTER_MAX_S, Outbox, backoff_delay

REPO = Path(__file__).resolve().parents[2]
PERSON = {"last_name": "Quastenberg", "first_name": "Zéphyrine", "phone": "06 12 34 56 78",
          "email": "zephyrine.quastenberg@example.fr"}
BOOKING = {"slot": "sl-1", "service": "sv-cni", "channel": "kiosk", "terminal": "totem-3"}


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def conn(tmp_path):
    c = open_cache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def outbox(conn, clock):
    return Outbox(conn, clock, random.Random(1))


def test_enqueue_then_due_in_creation_order(outbox, clock):
    keys = [outbox.enqueue(kind, {"n": i}, personal=PERSON if kind == "booking" else None)
            for i, kind in enumerate(["booking", "checkin", "cancellation", "booking_request"])]
    assert len(set(keys)) == 4
    due = outbox.due(clock.now(), limit=10)
    assert [r.uuid for r in due] == keys and [r.payload["n"] for r in due] == [0, 1, 2, 3]
    assert due[0].personal == PERSON and due[1].personal is None
    assert all(r.attempts == 0 and r.state == "pending" for r in due)
    assert [r.uuid for r in outbox.due(clock.now(), limit=2)] == keys[:2]
    assert outbox.depth() == 4


def test_unknown_kind_is_refused(outbox):
    with pytest.raises(ValueError, match="unknown outbox kind"):
        outbox.enqueue("report", {}, personal=None)
    assert outbox.depth() == 0


def test_enqueue_is_committed_before_it_returns(outbox, tmp_path):
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    assert not outbox.conn.in_transaction
    other = open_cache(tmp_path / "cache.sqlite3")   # another connection sees it at once
    try:
        assert Outbox(other).get(key).personal == PERSON
    finally:
        other.close()


def test_a_failed_enqueue_writes_nothing(outbox):
    with pytest.raises(TypeError):
        outbox.enqueue("booking", BOOKING, personal={"phones": {"06 12 34 56 78"}})  # a set is not JSON
    assert outbox.depth() == 0 and not outbox.conn.in_transaction


def test_enqueue_waits_for_the_sync_workers_bulk_write(tmp_path, outbox):
    """The UI thread's enqueue is not refused while the worker writes: it waits its turn (busy timeout)."""
    started = threading.Event()

    def worker():
        conn = open_cache(tmp_path / "cache.sqlite3")
        with write_transaction(conn):
            replace_catalog(conn, "places", [{"id": "pl-1", "name": "Mairie"}])
            started.set()
            time.sleep(0.3)
        conn.close()

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(10)
    t0 = time.monotonic()
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    assert time.monotonic() - t0 >= 0.2   # it went in after the worker's commit, not beside it
    thread.join(10)
    assert outbox.get(key).personal == PERSON


def test_backoff_grows_is_jittered_and_capped():
    rng = random.Random(42)
    for attempts in range(1, 30):
        ceiling = min(BACKOFF_CAP_S, 5.0 * 2 ** (attempts - 1))
        delays = [backoff_delay(attempts, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4   # really jittered
    assert backoff_delay(1, random.Random(0), base_s=1, cap_s=10) <= 1
    assert backoff_delay(10_000, random.Random(0)) <= BACKOFF_CAP_S
    with pytest.raises(ValueError):
        backoff_delay(0, rng)


def test_retry_waits_then_comes_back(outbox, clock):
    first = outbox.enqueue("booking", BOOKING, personal=PERSON)
    second = outbox.enqueue("checkin", {"token": "t"}, personal=None)
    when = outbox.mark_retry(first, "timeout after 10 s")
    assert clock.now() + timedelta(seconds=2.5) <= when <= clock.now() + timedelta(seconds=5)
    assert [r.uuid for r in outbox.due(clock.now())] == [second]
    clock.advance(5)
    row = outbox.due(clock.now())[0]
    assert (row.uuid, row.attempts, row.last_error) == (first, 1, "timeout after 10 s")
    outbox.mark_retry(first, "HTTP 503", retry_after_s=120)
    clock.advance(119)
    assert [r.uuid for r in outbox.due(clock.now())] == [second]
    clock.advance(1)
    assert [r.uuid for r in outbox.due(clock.now())] == [first, second]
    huge = outbox.mark_retry(second, "HTTP 429", retry_after_s=10**9)
    assert huge == clock.now() + timedelta(seconds=RETRY_AFTER_MAX_S)
    assert outbox.get(first).attempts == 2 and outbox.depth() == 2


def test_error_texts_never_keep_personal_data(outbox):
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    outbox.mark_retry(key, "HTTP 500: cannot save QUASTENBERG Zéphyrine (06 12 34 56 78) " + "x" * 2000)
    error = outbox.get(key).last_error
    assert "quastenberg" not in error.lower() and "Zéphyrine" not in error and "06 12" not in error
    assert len(error) <= 500
    outbox.mark_failed(key, 422, "Mme Quastenberg a déjà un rendez-vous (zephyrine.quastenberg@example.fr)",
                       {"error": "duplicate", "message": "QUASTENBERG déjà inscrite", "seen": ["06 12 34 56 78", 3]})
    failed = outbox.failed()[0]
    assert failed.server_message == "Mme […] a déjà un rendez-vous ([…])"
    assert failed.server_summary == {"error": "duplicate", "message": "[…] déjà inscrite", "seen": ["[…]", 3]}


def test_many_acknowledgements_in_one_transaction(outbox):
    keys = [outbox.enqueue("booking", BOOKING, personal=PERSON) for _ in range(3)]
    outbox.mark_failed(keys[1], 409, "gone")                    # finished meanwhile by another sender
    done = outbox.mark_acknowledged_many([(k, {"id": f"bk-{i}", "state": "booked"}, 201)
                                          for i, k in enumerate(keys)] + [("no-such-key", {}, 201)])
    assert done == [keys[0], keys[2]]
    assert [outbox.get(k).state for k in keys] == ["acknowledged", "failed", "acknowledged"]
    assert outbox.get(keys[2]).server_summary == {"id": "bk-2", "state": "booked"}
    assert outbox.conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0
    assert outbox.mark_acknowledged_many([]) == []
    with pytest.raises(KeyError):
        outbox.mark_acknowledged(keys[0], {})


def test_acknowledged_row_keeps_only_what_the_admin_screen_needs(outbox, clock):
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    outbox.mark_acknowledged(key, {"id": "bk-9", "reference": "RDV-7K2P", "state": "booked",
                                   "checkin_token": "eyJ...", "person": PERSON}, status=201)
    row = outbox.get(key)
    assert row.state == "acknowledged" and row.personal is None
    assert row.server_summary == {"id": "bk-9", "reference": "RDV-7K2P", "state": "booked"}
    assert row.payload == BOOKING and row.server_status == 201
    assert outbox.depth() == 0 and outbox.due(clock.now() + timedelta(days=1)) == []
    assert outbox.conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0
    with pytest.raises(KeyError):
        outbox.mark_retry(key, "late error")


def test_final_refusal_is_kept_for_the_admin_screen(outbox, clock):
    ok = outbox.enqueue("checkin", {"reference": "RDV-1"}, personal=None)
    refused = outbox.enqueue("booking", BOOKING, personal=PERSON)
    outbox.mark_failed(refused, 409, "Créneau déjà pris")
    [row] = outbox.failed()
    assert (row.uuid, row.server_status, row.server_message, row.personal) == (refused, 409, "Créneau déjà pris", None)
    assert [r.uuid for r in outbox.due(clock.now())] == [ok]
    with pytest.raises(KeyError):
        outbox.mark_acknowledged(refused, {})


def test_prune_forgets_old_acknowledged_rows_only(outbox, clock):
    a = outbox.enqueue("checkin", {}, personal=None)
    b = outbox.enqueue("checkin", {}, personal=None)
    outbox.mark_acknowledged(a, {})
    outbox.mark_failed(b, 400, "bad")
    clock.advance(3600)
    assert outbox.prune(clock.now()) == 1
    assert outbox.get(a) is None and outbox.get(b).state == "failed"


def _files(db: Path) -> bytes:
    """Every file of the cache: the catalog, the outbox beside it, and their WAL and shm."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.stem + ".*") if p.is_file())


@pytest.mark.parametrize("answer", ["acknowledged", "refused"])
def test_personal_data_is_gone_from_the_file_bytes_after_the_answer(tmp_path, clock, answer):
    db = tmp_path / "cache.sqlite3"
    conn = open_cache(db)
    outbox = Outbox(conn, clock, random.Random(3))
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    others = [outbox.enqueue("checkin", {"i": i}, personal=None) for i in range(30)]
    outbox.mark_retry(key, "timeout")
    needles = [v.encode() for v in PERSON.values()]
    assert all(n in _files(db) for n in needles)           # the test can see it while it is there
    if answer == "acknowledged":
        outbox.mark_acknowledged(key, {"reference": "RDV-1"})
    else:
        outbox.mark_failed(key, 409, "slot gone")
    for other in others:
        outbox.mark_acknowledged(other, {})
    found = [n for n in needles if n in _files(db)]
    assert found == [], "personal data left in the database, its WAL or shm while open"
    conn.close()
    assert [n for n in needles if n in _files(db)] == []
    reopened = open_cache(db, check=True)
    assert Outbox(reopened).get(key).state == ("acknowledged" if answer == "acknowledged" else "failed")
    reopened.close()


def test_erasure_waits_for_a_reader_then_completes(tmp_path, clock):
    """A UI read in progress keeps the WAL; the next outbox call finishes the job."""
    db = tmp_path / "cache.sqlite3"
    conn, reader = open_cache(db), open_cache(db)
    conn.execute("PRAGMA busy_timeout = 50")
    outbox = Outbox(conn, clock)
    key = outbox.enqueue("booking", BOOKING, personal=PERSON)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM outbox").fetchone()   # holds a snapshot with the data
    outbox.mark_acknowledged(key, {})
    assert PERSON["last_name"].encode() in _files(db)             # still in the WAL the reader uses
    reader.execute("COMMIT")
    reader.close()
    outbox.due(clock.now())
    assert [v for v in PERSON.values() if v.encode() in _files(db)] == []
    conn.close()


CHILD = r"""
import random, sys
from offline_cache.catalog import replace_catalog
from offline_cache.db import open_cache, write_transaction
from offline_cache.outbox import Outbox
conn = open_cache(sys.argv[1])
outbox = Outbox(conn)
rng = random.Random()
for i in range(100000):
    key = outbox.enqueue("booking", {"slot": f"sl-{i}"}, personal={"last_name": f"Nom{i}", "phone": "0600000000"})
    print(key, flush=True)
    for row in outbox.due(outbox.clock.now(), limit=3):
        choice = rng.random()
        if choice < 0.4:
            outbox.mark_acknowledged(row.uuid, {"reference": "R"})
        elif choice < 0.7:
            outbox.mark_retry(row.uuid, "timeout", retry_after_s=0)
        elif choice < 0.75:
            outbox.mark_failed(row.uuid, 409, "gone")
"""


def test_kill_9_never_leaves_a_half_written_row(tmp_path):
    db = tmp_path / "cache.sqlite3"
    open_cache(db).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    printed: list[str] = []
    rng = random.Random(9)
    for _ in range(25):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], cwd=REPO, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = child.stdout.readline()   # it is writing: now kill it at a random instant
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err.decode()
        lines = (first + out).decode().split("\n")
        printed += [line for line in lines[:-1] if line]   # the last piece may be a half-printed line
    assert len(printed) >= 25
    conn = open_cache(db, check=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        counts = dict(conn.execute("SELECT uuid, count(*) FROM outbox GROUP BY uuid").fetchall())
        assert all(counts.get(key) == 1 for key in printed)
        # every pending row still has its personal data; every finished one has none
        assert conn.execute("SELECT count(*) FROM outbox o LEFT JOIN outbox_personal p USING (uuid) "
                            "WHERE (o.state = 'pending') != (p.uuid IS NOT NULL)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM outbox WHERE state != 'pending' AND done_at IS NULL"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_trim_bounds_delivered_and_refused_rows_and_never_touches_pending_ones(outbox, clock):
    """A terminal runs for weeks: delivered rows go after a week, refusals beyond the newest
    FAILED_KEPT go, and an action still waiting to be delivered stays however old it is."""
    from offline_cache.outbox import ACKNOWLEDGED_KEPT, FAILED_KEPT

    waiting = outbox.enqueue("checkin", {}, personal=None)
    delivered_old = outbox.enqueue("checkin", {}, personal=None)
    outbox.mark_acknowledged(delivered_old, {})
    refused = [outbox.enqueue("checkin", {}, personal=None) for _ in range(FAILED_KEPT + 3)]
    for key in refused:
        outbox.mark_failed(key, 400, "bad")
    clock.advance(ACKNOWLEDGED_KEPT.total_seconds() + 60)
    delivered_new = outbox.enqueue("checkin", {}, personal=None)
    outbox.mark_acknowledged(delivered_new, {})

    assert outbox.trim(clock.now()) == 1 + 3
    assert outbox.get(delivered_old) is None and outbox.get(delivered_new).state == "acknowledged"
    assert outbox.get(waiting).state == "pending"
    assert [outbox.get(k) for k in refused[:3]] == [None, None, None]
    assert all(outbox.get(k).state == "failed" for k in refused[3:])
    assert outbox.trim(clock.now()) == 0
    today = [outbox.enqueue("checkin", {}, personal=None) for _ in range(FAILED_KEPT + 5)]
    for key in today:
        outbox.mark_failed(key, 400, "bad")
    # the older refusals now lie beyond the newest FAILED_KEPT: they go; a day's refusals all stay
    assert outbox.trim(clock.now()) == FAILED_KEPT    # refused[3:]
    assert all(outbox.get(k).state == "failed" for k in today)
    clock.advance(2 * 86400)                  # a day later, only the newest FAILED_KEPT stay
    assert outbox.trim(clock.now()) == 5 and outbox.get(today[4]) is None and outbox.get(today[5]).state == "failed"
