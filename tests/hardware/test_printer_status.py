"""DLE EOT status: real status bytes from a fake network printer, silence, and parsing."""

from __future__ import annotations

import time

import pytest

from drivers.printer import status as st
from drivers.printer.backends import NetworkBackend, NoneBackend
from drivers.printer.fakeprinter import FakeNetworkPrinter


@pytest.fixture
def fake():
    with FakeNetworkPrinter() as printer:
        yield printer


@pytest.mark.parametrize("answers, state", [
    ({}, st.READY),
    ({4: 0x12 | 0x0C}, st.PAPER_LOW),
    ({4: 0x12 | 0x60}, st.PAPER_OUT),
    ({1: 0x12 | 0x08, 2: 0x12 | 0x20, 4: 0x12 | 0x60}, st.PAPER_OUT),
    ({1: 0x12 | 0x08, 2: 0x12 | 0x04}, st.COVER_OPEN),
    ({1: 0x12 | 0x08, 2: 0x12 | 0x40}, st.ERROR),
    ({1: 0x12 | 0x08}, st.OFFLINE),
    ({1: 0x00}, st.OFFLINE),  # fixed bits wrong: not a status byte
])
def test_each_status_byte_from_the_wire(fake, answers, state):
    fake.status.update(answers)
    status = st.query_status(NetworkBackend("127.0.0.1", fake.port, timeout_s=1), timeout=0.5)
    assert status.state == state
    assert status.can_print == (state in (st.READY, st.PAPER_LOW))


def test_silent_printer_is_offline_within_the_timeout(fake):
    fake.silent = True
    started = time.monotonic()
    status = st.query_status(NetworkBackend("127.0.0.1", fake.port, timeout_s=1), timeout=0.2)
    assert status.state == st.OFFLINE and not status.can_print
    assert time.monotonic() - started < 0.6  # one timeout, not one per query


def test_vanished_printer_is_disconnected():
    fake = FakeNetworkPrinter().start()
    port = fake.port
    fake.stop()
    status = st.query_status(NetworkBackend("127.0.0.1", port, timeout_s=0.5))
    assert status.state == st.DISCONNECTED and "127.0.0.1" in status.detail


def test_late_answers_are_drained_before_asking(fake):
    backend = NetworkBackend("127.0.0.1", fake.port, timeout_s=1)
    backend.write(b"\x10\x04\x04")  # an answer nobody reads ...
    time.sleep(0.1)
    fake.status[4] = 0x12 | 0x60
    assert st.query_status(backend).state == st.PAPER_OUT  # ... must not be taken as the next one


def test_disabled_and_write_only(tmp_path):
    assert st.query_status(NoneBackend()).state == st.DISABLED
    from drivers.printer.backends import FileBackend
    target = tmp_path / "out"
    target.touch()
    backend = FileBackend(str(target))
    # A regular file answers nothing: usblp printers that cannot report still print.
    assert st.query_status(backend, timeout=0.05).state == st.NO_STATUS


def test_parse_needs_an_answer():
    assert st.parse({1: None, 2: None}).state == st.OFFLINE
    assert st.parse({2: 0x12, 4: 0x12}).state == st.OFFLINE  # no online answer
    assert st.parse({1: 0x12, 2: 0x12, 4: 0x12}).raw == {1: 0x12, 2: 0x12, 4: 0x12}


def test_why_not_python_escpos_paper_status():
    """python-escpos 3.1 calls an empty answer "paper adequate"; we call it offline."""
    from escpos.escpos import Escpos

    class Mute(Escpos):
        def _raw(self, msg):
            pass

        def _read(self):
            return b""

    assert Mute().paper_status() == 2  # "adequate"
    assert st.parse({1: None, 2: None, 4: None}).state == st.OFFLINE
