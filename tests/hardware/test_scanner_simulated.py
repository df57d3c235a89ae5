"""The simulated scanner: admin-screen submit, Unix socket and named pipe → SCAN_READ."""

from __future__ import annotations

import logging
import os
import socket
import stat

import pytest
from support import Posted, wait_for

from drivers.scanner.simulated import SimulatedScanner
from kiosk import events


def test_submit_from_the_admin_screen_without_a_thread(caplog):
    posted = Posted()
    sim = SimulatedScanner(post=posted, max_length=20)
    assert sim.submit("RDV-42\n") is True
    caplog.set_level(logging.WARNING)
    assert sim.submit("") is False and sim.submit("A\x1bB") is False and sim.submit("SECRET" * 5) is False
    assert posted.of(events.SCAN_READ) == [{"text": "RDV-42", "source": "simulated"}]
    assert "SECRET" not in caplog.text and "longer than 20" in caplog.text


@pytest.fixture
def sim(tmp_path):
    posted = Posted()
    s = SimulatedScanner(socket=str(tmp_path / "scan.sock"), fifo=str(tmp_path / "scan.fifo"), post=posted)
    s.posted = posted
    s.start()
    assert wait_for(lambda: posted.of(events.DEVICE_STATE))
    yield s
    s.stop()


def test_socket_lines_are_scans(sim):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.connect(str(sim.socket_path))
        c.sendall("RDV-1\nCafé-2\n".encode())
        c.sendall(b"PART")
        c.sendall(b"IAL\n\n\xff\xfe\nLAST")                    # blank and non-UTF-8 lines are dropped
    assert wait_for(lambda: len(sim.posted.of(events.SCAN_READ)) == 4)
    assert [e["text"] for e in sim.posted.of(events.SCAN_READ)] == ["RDV-1", "Café-2", "PARTIAL", "LAST"]
    assert stat.S_IMODE(os.stat(sim.socket_path).st_mode) == 0o600


def test_named_pipe_lines_are_scans(sim):
    for text in ("FIFO-1", "FIFO-2"):                          # separate writers, as with `echo X > fifo`
        with open(sim.fifo_path, "w") as f:
            f.write(text + "\n")
    assert wait_for(lambda: len(sim.posted.of(events.SCAN_READ)) == 2)
    assert [e["text"] for e in sim.posted.of(events.SCAN_READ)] == ["FIFO-1", "FIFO-2"]
    assert stat.S_ISFIFO(os.stat(sim.fifo_path).st_mode)


def test_files_are_removed_on_stop(tmp_path):
    s = SimulatedScanner(socket=str(tmp_path / "a.sock"), fifo=str(tmp_path / "a.fifo"), post=Posted()).start()
    assert wait_for(lambda: (tmp_path / "a.sock").exists() and (tmp_path / "a.fifo").exists())
    s.stop()
    assert not (tmp_path / "a.sock").exists() and not (tmp_path / "a.fifo").exists()


def test_a_regular_file_in_the_fifo_place_is_reported(tmp_path):
    (tmp_path / "x").write_text("not a pipe")
    posted = Posted()
    s = SimulatedScanner(fifo=str(tmp_path / "x"), post=posted).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
    finally:
        s.stop()
    assert posted.of(events.DEVICE_STATE)[0]["state"] == "error"
    assert "not a named pipe" in posted.of(events.DEVICE_STATE)[0]["detail"]
