"""`kiosk-provision update` and `rollback` over real SSH, with the real kiosk starting (or not).

The target's kiosk runs under the direct service (provisioning.service_control): a supervisor
with a NOTIFY_SOCKET, so READY=1 is really sent by each release's own code. The town's server is
the reference server in this process; its handler counts every POST by Idempotency-Key, which is
how « each action sent exactly once » is checked — not only « booked once ».
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from provision_support import provision_json
from release_support import (
    CRASHES_AFTER_READY,
    IMPORT_ERROR,
    MIGRATES,
    MIGRATES_OUTBOX,
    OUTBOX_VERSION,
    SYNTAX_ERROR,
    first_release,
    make_release,
    service,
    write_config,
)
from timebase import test_now

from kiosk.api.client import write_credentials
from kiosk.demo_api import httpd, testing
from kiosk.demo_api.server import serve
from offline_cache.db import outbox_path
from offline_cache.migrations import CURRENT_VERSION
from offline_cache.outbox import Outbox
from provisioning import release
from provisioning.common import Paths

pytestmark = pytest.mark.reference_server


class CountingHandler(httpd.ApiHandler):
    """The reference server's own handler, counting the actions it receives."""

    def _handle(self, method: str) -> None:
        key = self.headers.get("Idempotency-Key")
        if method == "POST" and key:
            self.server.posts[key] += 1  # type: ignore[attr-defined]
        super()._handle(method)


@dataclass
class Town:
    url: str
    posts: Counter[str]
    service_id: str
    clock: testing.ManualClock


@dataclass
class Terminal:
    paths: Paths
    work: Path
    device_id: str


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Town]:
    clock = testing.ManualClock(test_now())
    db_path = tmp_path / "town.sqlite3"
    testing.seeded_copy(db_path, clock.now)
    server, thread = serve("127.0.0.1", 0, db_path, clock=clock)
    server.RequestHandlerClass = CountingHandler
    server.posts = Counter()  # type: ignore[attr-defined]
    conn = sqlite3.connect(db_path)
    service_id = conn.execute("SELECT id FROM catalog WHERE kind = 'service' AND deleted = 0 ORDER BY id").fetchone()[0]
    conn.close()
    try:
        yield Town(f"http://127.0.0.1:{server.server_port}/", server.posts, service_id,  # type: ignore[attr-defined]
                   clock)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def terminal(tmp_path: Path, town: Town) -> Iterator[Terminal]:
    """Release 1.0.0 installed, enrolled with the town, running and ready."""
    paths = Paths(tmp_path / "root")
    write_config(paths, town.url)
    api = testing.enroll(town.url.rstrip("/"), tmp_path / "town.sqlite3", town.clock, kind="totem")
    assert api.device_id and api.token
    write_credentials(paths.state / "credentials.json", api.device_id, api.token)
    first_release(paths, make_release(tmp_path, "1.0.0"))
    kiosk = service(paths)
    kiosk.start()
    try:
        assert kiosk.wait_ready(40) is None
        terminal = Terminal(paths, tmp_path, api.device_id)
        deadline = time.monotonic() + 30
        while schema(terminal) != CURRENT_VERSION:   # its sync worker made the cache
            assert time.monotonic() < deadline, "the kiosk did not create its cache"
            time.sleep(0.1)
        yield terminal
    finally:
        service(paths).stop()


def enqueue(terminal: Terminal, town: Town, count: int) -> list[str]:
    """Citizens' booking requests written to the terminal's outbox, as its screens write them."""
    # the outbox file, whatever schema the running release left in it
    conn = sqlite3.connect(outbox_path(terminal.paths.state / "cache.sqlite3"), isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        outbox, keys = Outbox(conn), []
        for i in range(count):
            now = test_now()    # the server's time: it refuses a request made in its future
            keys.append(outbox.enqueue("booking_request", {
                "service_id": town.service_id, "channel": "kiosk", "created_at": now.isoformat(),
                "wanted_start": (now + timedelta(days=3, hours=i)).isoformat()},
                personal={"person": {"last_name": "Martin", "first_name": "Anne", "phone": "0612345678"}}))
    finally:
        conn.close()
    return keys


def outbox_states(terminal: Terminal) -> dict[str, str]:
    conn = sqlite3.connect(outbox_path(terminal.paths.state / "cache.sqlite3"))
    try:
        return dict(conn.execute("SELECT uuid, state FROM outbox"))
    finally:
        conn.close()


def wait_sent(terminal: Terminal, keys: list[str], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while True:
        states = outbox_states(terminal)
        if all(states.get(k) == "acknowledged" for k in keys):
            return
        assert time.monotonic() < deadline, f"not all sent: {states}"
        time.sleep(0.2)


def schema(terminal: Terminal, part: str = "catalog") -> int:
    path = terminal.paths.state / "cache.sqlite3"
    path = outbox_path(path) if part == "outbox" else path
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        return version
    finally:
        conn.close()


def test_a_migrating_update_then_a_rollback_lose_no_action_and_send_none_twice(terminal, town, sshd_server):
    target = sshd_server.target(terminal.paths.root)
    service(terminal.paths).stop()
    waiting = enqueue(terminal, town, 2)            # waiting in the outbox when the update comes
    source = make_release(terminal.work, "1.1.0", MIGRATES, MIGRATES_OUTBOX)
    started = time.monotonic()
    code, out = provision_json(target, "update", str(source), "--no-deps", "--settle", "2")
    print(f"\nupdate over ssh, health check with 2 s settling: {time.monotonic() - started:.1f} s")
    assert (code, out["changed"], out["current"], out["previous"]) == (0, True, "1.1.0", "1.0.0"), out
    assert out["ok"] and out["problems"] == []
    wait_sent(terminal, waiting)                    # sent by the new release
    assert (schema(terminal), schema(terminal, "outbox")) == (CURRENT_VERSION + 1, OUTBOX_VERSION + 1)
    sent_by_new = enqueue(terminal, town, 1)         # created and sent under 1.1.0 (sent at its next start:
    service(terminal.paths).restart()                # a row written from outside does not wake its worker)
    wait_sent(terminal, sent_by_new)
    service(terminal.paths).stop()
    left_waiting = enqueue(terminal, town, 2)        # created under 1.1.0, not sent yet
    meta = json.loads((terminal.paths.state / "update-backup" / "backup.json").read_text())
    assert meta == {"release": "1.0.0", "schema": CURRENT_VERSION, "outbox_schema": OUTBOX_VERSION,
                    "outbox_rows": 2}

    code, out = provision_json(target, "rollback", "--settle", "2")
    assert (code, out["current"], out["previous"]) == (0, "1.0.0", "1.1.0"), out
    # the backups came back, with 1.1.0's outbox: 1.0.0 can read them
    assert (schema(terminal), schema(terminal, "outbox")) == (CURRENT_VERSION, OUTBOX_VERSION)
    everything = waiting + sent_by_new + left_waiting
    wait_sent(terminal, everything)                 # 1.0.0 sends what was left, and only that
    assert {k: town.posts[k] for k in everything} == dict.fromkeys(everything, 1)
    conn = sqlite3.connect(outbox_path(terminal.paths.state / "cache.sqlite3"))
    assert conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0
    conn.close()
    backup = sqlite3.connect(terminal.paths.state / "update-backup" / "outbox.sqlite3")
    assert backup.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0   # no personal data kept
    backup.close()

    # A second rollback returns to 1.1.0, which migrates the cache again by itself.
    code, out = provision_json(target, "rollback", "--settle", "1")
    assert (code, out["current"], out["previous"]) == (0, "1.1.0", "1.0.0"), out


def test_a_release_that_cannot_start_is_left_by_itself(terminal, town, sshd_server):
    target = sshd_server.target(terminal.paths.root)
    service(terminal.paths).stop()
    waiting = enqueue(terminal, town, 2)
    code, out = provision_json(target, "update", str(make_release(terminal.work, "1.2.0", IMPORT_ERROR)),
                               "--no-deps", "--settle", "2")
    assert code == 1 and out["current"] == "1.0.0", out
    [problem] = out["problems"]
    assert problem.startswith("update to 1.2.0 failed: the kiosk stopped before it was ready")
    assert "ModuleNotFoundError: No module named 'kiosk.shell.app_gone'" in problem and "back on 1.0.0" in problem
    assert release.linked_version(terminal.paths.current) == "1.0.0"
    assert sorted(p.name for p in terminal.paths.releases.iterdir()) == ["1.0.0"]
    assert service(terminal.paths).is_active()
    wait_sent(terminal, waiting)                    # the old release sends them, once
    assert {k: town.posts[k] for k in waiting} == dict.fromkeys(waiting, 1)


def test_a_release_that_migrates_then_crashes_is_left_with_the_cache_it_changed(terminal, town, sshd_server):
    target = sshd_server.target(terminal.paths.root)
    service(terminal.paths).stop()
    waiting = enqueue(terminal, town, 2)
    source = make_release(terminal.work, "1.3.0", MIGRATES, MIGRATES_OUTBOX, CRASHES_AFTER_READY)
    code, out = provision_json(target, "update", str(source), "--no-deps", "--settle", "5")
    assert code == 1 and out["current"] == "1.0.0", out
    assert "restarted by itself" in out["problems"][0] or "stopped" in out["problems"][0], out
    assert any(step.startswith("cache brought back") for step in out["steps"]), out
    assert (schema(terminal), schema(terminal, "outbox")) == (CURRENT_VERSION, OUTBOX_VERSION)
    wait_sent(terminal, waiting)
    assert {k: town.posts[k] for k in waiting} == dict.fromkeys(waiting, 1)


def test_a_release_that_does_not_compile_is_refused_before_anything_changes(terminal, sshd_server):
    target = sshd_server.target(terminal.paths.root)
    pid = service(terminal.paths).state()["main_pid"]
    code, out = provision_json(target, "update", str(make_release(terminal.work, "1.4.0", SYNTAX_ERROR)), "--no-deps")
    assert code == 1 and out["changed"] is False, out
    assert out["problems"][0].startswith("update: release not installed: starting the installed kiosk failed")
    assert "SyntaxError" in out["problems"][0], out
    assert release.linked_version(terminal.paths.current) == "1.0.0"
    assert sorted(p.name for p in terminal.paths.releases.iterdir()) == ["1.0.0"]
    assert service(terminal.paths).state()["main_pid"] == pid        # the kiosk was never stopped
