"""sd_notify over real AF_UNIX datagram sockets."""

from __future__ import annotations

import logging
import os
import socket
import sys
import uuid

import pytest

from kiosk import sdnotify
from kiosk.sdnotify import notify, watchdog_interval_s


@pytest.fixture
def receiver(tmp_path):
    """A bound datagram socket standing in for systemd; yields (socket, its path)."""
    path = tmp_path / "notify.sock"
    if len(os.fsencode(path)) > 100:  # sun_path is 108 bytes
        pytest.skip("temporary path too long for an AF_UNIX socket")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(2)
        yield sock, path


@pytest.fixture(autouse=True)
def rearm_warning():
    sdnotify._warned = False
    yield
    sdnotify._warned = False


def test_sends_one_datagram_to_a_path_socket(receiver):
    sock, path = receiver
    assert notify("READY=1", env={"NOTIFY_SOCKET": str(path)}) is True
    assert sock.recv(4096) == b"READY=1"
    assert notify("STATUS=Prête — 3 rendez-vous\nWATCHDOG=1", env={"NOTIFY_SOCKET": str(path)})
    assert sock.recv(4096) == "STATUS=Prête — 3 rendez-vous\nWATCHDOG=1".encode()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract namespace is Linux-only")
def test_sends_to_an_abstract_namespace_socket():
    name = f"kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        assert notify("WATCHDOG=1", env={"NOTIFY_SOCKET": "@" + name}) is True
        assert sock.recv(4096) == b"WATCHDOG=1"


def test_without_notify_socket_nothing_is_sent():
    assert notify("READY=1", env={}) is False
    assert notify("READY=1", env={"NOTIFY_SOCKET": ""}) is False


def test_reads_the_process_environment_by_default(receiver, monkeypatch):
    sock, path = receiver
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    assert notify("READY=1") is True
    assert sock.recv(4096) == b"READY=1"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert notify("READY=1") is False


def test_send_error_returns_false_and_warns_once(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.sdnotify")
    env = {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}
    assert notify("READY=1", env=env) is False
    assert notify("WATCHDOG=1", env=env) is False
    records = [r for r in caplog.records if r.name == "kiosk.sdnotify"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert "gone.sock" in records[0].getMessage()


def test_a_socket_that_is_not_a_datagram_socket_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "stream.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen()
        assert notify("READY=1", env={"NOTIFY_SOCKET": str(path)}) is False


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "500000"}, 0.25),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid() + 1)}, None),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "not-a-pid"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "-5"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({"WATCHDOG_PID": str(os.getpid())}, None),
    ],
)
def test_watchdog_interval(env, expected):
    assert watchdog_interval_s(env) == expected
