"""``kiosk.demo_api.cli.main``: the function behind ``kiosk demo-api``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest
import requests
from timebase import test_now

from kiosk.api import contract
from kiosk.demo_api.cli import main

pytestmark = pytest.mark.reference_server


def test_runs_until_interrupted_and_prints_a_working_enrolment_code(tmp_path):
    db_path = tmp_path / "demo.sqlite3"
    with subprocess.Popen(
        [sys.executable, "-c", "import sys; from kiosk.demo_api.cli import main; sys.exit(main(sys.argv[1:]))",
         "--host", "127.0.0.1", "--port", "0", "--db", str(db_path), "--now", test_now().isoformat()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.getcwd(),
    ) as proc:
        _exercise(proc)
    assert db_path.exists()


def _exercise(proc: subprocess.Popen) -> None:
    try:
        banner = proc.stdout.readline()
        code = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        assert banner.startswith("Kiosk Sync API v1 on http://127.0.0.1:"), banner + proc.stderr.read()
        base = banner.split()[5]
        r = requests.post(f"{base}/v1/devices/enroll", timeout=5, json={
            "enrolment_code": code, "terminal": {"hostname": "borne", "kind": "counter", "app_version": "1.4.0"}})
        assert r.status_code == 201
        contract.check_response("POST", "/v1/devices/enroll", 201, r.json())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_busy_port_exits_1_with_a_message(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["--port", str(port), "--db", str(tmp_path / "x.sqlite3")]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_bad_port_exits_2(tmp_path, capsys):
    assert main(["--port", "70000", "--db", str(tmp_path / "x.sqlite3")]) == 2


def test_embedded_server_for_demo_mode(tmp_path):
    from kiosk.demo_api.server import start_embedded
    api = start_embedded(tmp_path / "demo.sqlite3", clock=test_now)
    try:
        assert api.url.startswith("http://127.0.0.1:")
        r = requests.post(f"{api.url}/v1/devices/enroll", timeout=5, json={
            "enrolment_code": api.new_enrolment_code(),
            "terminal": {"hostname": "borne-demo", "kind": "totem", "app_version": "1.4.0"}})
        assert r.status_code == 201
        catalog = requests.get(f"{api.url}/v1/catalog", timeout=5,
                               headers={"Authorization": f"Bearer {r.json()['token']}"})
        contract.check_response("GET", "/v1/catalog", 200, catalog.json())
    finally:
        api.stop()
    assert not api.thread.is_alive()


def test_clock_from_stdin_starts_at_now_and_moves_only_when_told(tmp_path):
    from datetime import datetime, timedelta
    from email.utils import parsedate_to_datetime

    start = test_now().replace(microsecond=0)
    later = start + timedelta(days=1, hours=2)
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "demo-api", "--port", "0", "--db", str(tmp_path / "demo.sqlite3"),
         "--now", start.isoformat(), "--clock-from-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.getcwd(),
    ) as proc:
        try:
            base = proc.stdout.readline().split()[5]
            proc.stdout.readline()

            def server_date() -> datetime:
                return parsedate_to_datetime(requests.get(f"{base}/v1/catalog", timeout=5).headers["Date"])

            assert server_date() == start
            proc.stdin.write(f"now {later.isoformat()}\n")
            proc.stdin.flush()
            assert proc.stdout.readline() == f"now {later.isoformat()}\n"
            assert server_date() == later                          # in effect once acknowledged
            proc.stdin.write("now yesterday\n")
            proc.stdin.flush()
            assert proc.stdout.readline().startswith("error ")
            assert server_date() == later
            proc.stdin.close()                                     # EOF stops it, as --exit-with-stdin does
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_clock_from_stdin_needs_now(tmp_path, capsys):
    assert main(["--port", "0", "--db", str(tmp_path / "x.sqlite3"), "--clock-from-stdin"]) == 2
    assert "needs --now" in capsys.readouterr().err
