"""`kiosk-provision check` over SSH: a terminal whose parts stand in files and loopback servers.

The screen is a DRM connector under the prefix's /sys, the touch panel a line of its
/proc/bus/input/devices, the central API the reference server, the printer the kiosk's simulated
printer (through the state a real headless kiosk publishes) or the fake network printer.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from provision_support import provision, provision_json, write_target_config
from timebase import test_now

from drivers.printer.fakeprinter import FakeNetworkPrinter
from kiosk.api.client import write_credentials
from kiosk.demo_api.testing import ManualClock, running_server
from kiosk.devices.published import StatePublisher
from offline_cache.db import open_cache

pytestmark = pytest.mark.reference_server

TOUCH = 'I: Bus=0003 Vendor=222a Product=0001 Version=0110\nN: Name="ILITEK Multi-Touch"\nH: Handlers=mouse0 event5\n'


@pytest.fixture
def server(tmp_path):
    clock = ManualClock(test_now())
    with running_server(tmp_path / "api.sqlite3", clock) as base:
        yield base + "/", clock


def make_terminal(root, base_url, **keys):
    """A terminal under ``root``: kiosk.toml, a connected screen, a touch panel, credentials, a cache."""
    changes = {"touch.type": "evdev", "touch.name": "ILITEK Multi-Touch"}
    changes.update({key.replace("__", "."): value for key, value in keys.items()})   # printer__type: printer.type
    config = write_target_config(root, base_url=base_url, keys=changes)
    connector = root / "sys/class/drm/card0-HDMI-A-1"
    connector.mkdir(parents=True)
    (connector / "status").write_text("connected\n")
    (connector / "modes").write_text("1080x1920\n1920x1080\n")
    (root / "proc/bus/input").mkdir(parents=True)
    (root / "proc/bus/input/devices").write_text(TOUCH + "\n")
    write_credentials(root / "var/lib/kiosk/credentials.json", "dev-01", "t" * 40)
    open_cache(root / "var/lib/kiosk/cache.sqlite3").close()
    return config


def rows(answer):
    return {row["name"]: row for row in answer["checks"] if row["name"] != "configuration"}


def running_kiosk(make_pilot, root):
    """A real headless kiosk (simulated printer and scanner) publishing its state into the target."""
    pilot = make_pilot(demo=True)
    pilot.app.state_publisher = StatePublisher(root / "run/kiosk/state.json", version="0.1.0",
                                               terminal="demo-totem-01", started_at=pilot.clock.now())
    pilot.wait_until(lambda: pilot.app.devices.state("printer").state == "ready"
                     and pilot.app.devices.state("scanner").state == "ready")
    pilot.app.publish_state(ready=True, devices=pilot.app.devices.summary())
    return pilot


def test_a_healthy_terminal_then_its_printer_runs_out_of_paper(ssh_target, server, make_pilot):
    base, clock = server
    make_terminal(ssh_target.root, base)
    pilot = running_kiosk(make_pilot, ssh_target.root)
    code, answer = provision_json(ssh_target, "check", "--now", clock.now.isoformat())
    found = rows(answer)
    assert code == 0, answer["problems"]
    assert {name: row["result"] for name, row in found.items()} == {
        "display": "pass", "touch": "pass", "printer": "pass", "scanner": "pass", "central API": "pass",
        "clock": "pass", "disk": "pass", "cache": "pass", "outbox": "pass", "credentials": "pass", "service": "pass"}
    assert found["display"]["detail"] == "HDMI-A-1 1080x1920, rotation 0"
    assert found["touch"]["detail"] == "found: mouse0 event5; mapping: rotation 0"

    pilot.app.devices.printer.backend.paper = "out"       # the simulated printer's roll runs out
    pilot.app.devices.printer.poll_now()
    pilot.wait_until(lambda: pilot.app.devices.state("printer").state == "paper_out")
    done = provision(ssh_target, "check", "--now", clock.now.isoformat())
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["printer: paper_out (out of paper): put a new roll of paper in"]
    assert "printer" in done.stdout and "FAIL  paper_out (out of paper) → put a new roll of paper in" in done.stdout


def test_without_a_running_kiosk_the_printer_is_asked_directly_and_prints_a_slip(ssh_target, server):
    base, clock = server
    with FakeNetworkPrinter() as fake:
        make_terminal(ssh_target.root, base, printer__type="network", printer__host="127.0.0.1",
                      printer__port=fake.port)
        code, answer = provision_json(ssh_target, "check", "--print", "--now", clock.now.isoformat())
        found = rows(answer)
        assert found["printer"] == {"name": "printer", "result": "pass", "detail": "ready; test slip printed",
                                    "todo": "check the slip came out, cut and readable"}
        assert b"demo-totem-01" in fake.received and b"\x1dV" in fake.received   # the ticket, then the cut
        assert found["service"]["result"] == "FAIL"                               # the kiosk is not running
        assert code == 1

        fake.status[4] = 0x12 | 0x60                                              # paper end
        code, answer = provision_json(ssh_target, "check", "--print", "--now", clock.now.isoformat())
        assert rows(answer)["printer"] == {"name": "printer", "result": "FAIL", "detail": "paper_out (out of paper)",
                                           "todo": "put a new roll of paper in; no test slip printed"}


def test_no_scanner_warns_on_a_street_totem_and_fails_at_a_counter(ssh_target, server):
    base, clock = server
    make_terminal(ssh_target.root, base, scanner__type="none")
    code, answer = provision_json(ssh_target, "check", "--now", clock.now.isoformat())
    assert rows(answer)["scanner"]["result"] == "warn"
    config = ssh_target.root / "etc/kiosk/kiosk.toml"
    config.write_text(config.read_text().replace('profile = "street"', 'profile = "counter"'))
    done = provision(ssh_target, "check", "--now", clock.now.isoformat())
    assert done.returncode == 1
    assert ("scanner: no scanner configured: a counter terminal checks visitors in by QR code: "
            "set [scanner] in kiosk.toml") in done.stderr.splitlines()


def test_scan_waits_for_one_code(ssh_target, server, tmp_path):
    base, clock = server
    fifo = tmp_path / "scanner.fifo"
    make_terminal(ssh_target.root, base, scanner__fifo=str(fifo))

    def scan():
        deadline = time.monotonic() + 20
        while not fifo.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        fd = os.open(fifo, os.O_WRONLY)
        os.write(fd, b"RDV-2026-0042\n")
        os.close(fd)

    scanner = threading.Thread(target=scan)
    scanner.start()
    done = provision(ssh_target, "check", "--scan", "--scan-timeout", "20", "--now", clock.now.isoformat())
    scanner.join()
    assert "scannez un code / scan a code …" in done.stdout
    assert "a code of 13 characters was read" in done.stdout
    assert "RDV-2026-0042" not in done.stdout


def test_clock_cache_and_credentials_problems(ssh_target, server):
    base, clock = server
    make_terminal(ssh_target.root, base)
    cache = ssh_target.root / "var/lib/kiosk/cache.sqlite3"
    data = bytearray(cache.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:page * 4] = b"\x55" * (page * 3)                  # scribble over pages 2 to 4 (schema and tables)
    cache.write_bytes(bytes(data))
    (ssh_target.root / "var/lib/kiosk/credentials.json").chmod(0o644)
    off = (clock.now - timedelta(minutes=10)).isoformat()
    code, answer = provision_json(ssh_target, "check", "--now", off)
    found = rows(answer)
    assert code == 1
    assert found["clock"]["result"] == "FAIL"
    assert found["clock"]["detail"].endswith("600 s behind the central server")
    assert found["cache"]["result"] == "FAIL" and "damaged" in found["cache"]["detail"]
    assert found["credentials"]["todo"] == f"chmod 600 {ssh_target.root}/var/lib/kiosk/credentials.json"
