"""The print worker against a fake network printer on 127.0.0.1, read back as real pygame events."""

from __future__ import annotations

import time

import pygame
import pytest
from support import PygameEvents

from drivers.printer import status as st
from drivers.printer.backends import NetworkBackend
from drivers.printer.fakeprinter import FakeNetworkPrinter
from drivers.printer.render import TicketRenderer
from drivers.printer.worker import PrintWorker
from kiosk import events
from kiosk.printing.document import TicketBuilder

TICKET = TicketBuilder("Mairie").line("Numéro 42", size="large", align="center").qr("Q-42").build()


@pytest.fixture
def posted():
    pygame.display.init()
    pygame.event.clear()
    yield PygameEvents()
    pygame.display.quit()


@pytest.fixture
def fake():
    printer = FakeNetworkPrinter().start()
    yield printer
    printer.stop()


@pytest.fixture
def worker(fake):
    started = PrintWorker(NetworkBackend("127.0.0.1", fake.port, timeout_s=1), TicketRenderer("TM-T88V"),
                          poll_interval=0.3, retry_interval=0.2, status_timeout=0.3).start()
    yield started
    started.stop()


def test_job_printed_reports_done_with_the_rendered_bytes(posted, fake, worker):
    assert posted.wait(events.DEVICE_STATE, device="printer", state=st.READY)
    job = worker.submit(TICKET, job_id="rdv-1")
    posted.wait(events.PRINT_DONE, job_id=job)
    assert fake.wait_for(TicketRenderer("TM-T88V").render(TICKET))
    assert worker.can_print


@pytest.mark.parametrize("answers, state", [
    ({4: 0x12 | 0x60}, st.PAPER_OUT), ({1: 0x1A, 2: 0x12 | 0x04}, st.COVER_OPEN), ({1: 0x1A}, st.OFFLINE),
])
def test_job_refused_with_the_printer_state_as_reason(posted, fake, worker, answers, state):
    posted.wait(events.DEVICE_STATE, state=st.READY)
    fake.status.update(answers)
    posted.wait(events.DEVICE_STATE, state=state)
    assert not worker.can_print
    job = worker.submit(TICKET)
    failed = posted.wait(events.PRINT_FAILED, job_id=job)
    assert failed.reason == state and failed.detail
    assert TicketRenderer("TM-T88V").render(TICKET) not in fake.received
    fake.status.update({1: 0x12, 2: 0x12, 4: 0x12})
    posted.wait(events.DEVICE_STATE, state=st.READY)


def test_paper_low_still_prints(posted, fake, worker):
    fake.status[4] = 0x12 | 0x0C
    posted.wait(events.DEVICE_STATE, state=st.PAPER_LOW)
    posted.wait(events.PRINT_DONE, job_id=worker.submit(TICKET))


def test_silent_printer_goes_offline_and_fails_jobs(posted, fake, worker):
    posted.wait(events.DEVICE_STATE, state=st.READY)
    fake.silent = True
    posted.wait(events.DEVICE_STATE, state=st.OFFLINE)
    assert posted.wait(events.PRINT_FAILED, job_id=worker.submit(TICKET)).reason == st.OFFLINE
    fake.silent = False
    posted.wait(events.DEVICE_STATE, state=st.READY)
    posted.wait(events.PRINT_DONE, job_id=worker.submit(TICKET))


def test_printer_vanishing_mid_job_then_returning(posted, fake, worker):
    posted.wait(events.DEVICE_STATE, state=st.READY)
    raster = TicketRenderer("TM-T88V", qr="raster").render(TICKET)  # ~5 KB: cut in the middle
    fake.drop_after = len(fake.received) + len(raster) // 2
    failed = posted.wait(events.PRINT_FAILED, job_id=worker.submit(raster, job_id="cut"))
    assert failed.reason in (st.DISCONNECTED, "disconnected")
    port = fake.port
    fake.stop()  # and it stays off for a while
    posted.wait(events.DEVICE_STATE, state=st.DISCONNECTED)
    assert posted.wait(events.PRINT_FAILED, job_id=worker.submit(TICKET)).reason == st.DISCONNECTED

    back = FakeNetworkPrinter(port=port).start()
    try:
        returned = time.monotonic()
        posted.wait(events.DEVICE_STATE, state=st.READY, timeout=2.0)
        assert time.monotonic() - returned <= 2.0
        posted.wait(events.PRINT_DONE, job_id=worker.submit(TICKET, job_id="after"))
        assert back.wait_for(TicketRenderer("TM-T88V").render(TICKET))
    finally:
        back.stop()


def test_job_submitted_right_after_return_prints(posted, fake):
    port = fake.port
    fake.stop()
    worker = PrintWorker(NetworkBackend("127.0.0.1", port, timeout_s=1), poll_interval=5, retry_interval=5,
                         status_timeout=0.3).start()
    try:
        posted.wait(events.DEVICE_STATE, state=st.DISCONNECTED)  # app starts fine without its printer
        with FakeNetworkPrinter(port=port):
            posted.wait(events.PRINT_DONE, job_id=worker.submit(TICKET))  # no wait for the next poll
    finally:
        worker.stop()


def test_state_changes_are_posted_once(posted, fake, worker):
    posted.wait(events.DEVICE_STATE, state=st.READY)
    time.sleep(1.0)  # three more polls, same state
    assert posted.states() == []


def test_jobs_print_in_order_and_each_reports_once(posted, fake, worker):
    posted.wait(events.DEVICE_STATE, state=st.READY)
    tickets = [TicketBuilder(f"Ticket {n}").line(f"numéro {n}").build() for n in range(5)]
    ids = [worker.submit(t, job_id=f"q{n}") for n, t in enumerate(tickets)]
    for job in ids:
        posted.wait(events.PRINT_DONE, job_id=job)
    renderer = TicketRenderer("TM-T88V")
    positions = [fake.received.find(renderer.render(t)) for t in tickets]
    assert -1 not in positions and positions == sorted(positions)
    time.sleep(0.2)
    assert not [e for e in pygame.event.get() if e.type in (events.PRINT_DONE, events.PRINT_FAILED)]


def test_stop_does_not_hang_on_a_silent_printer(posted, fake):
    fake.silent = True
    worker = PrintWorker(NetworkBackend("127.0.0.1", fake.port), status_timeout=0.3).start()
    worker.submit(TICKET)
    started = time.monotonic()
    worker.stop(timeout=3.0)
    assert time.monotonic() - started < 2.0


def test_ui_thread_is_never_blocked_by_submit(posted, fake):
    fake.silent = True  # every poll waits its full timeout in the worker thread
    worker = PrintWorker(NetworkBackend("127.0.0.1", fake.port), status_timeout=1.0).start()
    try:
        started = time.monotonic()
        for _ in range(20):
            worker.submit(TICKET)
        assert time.monotonic() - started < 0.05
    finally:
        worker.stop()


def test_poll_now_finds_a_returning_printer_without_waiting(posted, fake):
    port = fake.port
    fake.stop()
    worker = PrintWorker(NetworkBackend("127.0.0.1", port), poll_interval=30, retry_interval=30,
                         status_timeout=0.3).start()
    try:
        posted.wait(events.DEVICE_STATE, state=st.DISCONNECTED)
        with FakeNetworkPrinter(port=port):
            worker.poll_now()  # what the hotplug driver does on "add"
            posted.wait(events.DEVICE_STATE, state=st.READY, timeout=1.0)
            assert worker.status.as_dict() == {"state": "ready", "detail": "", "can_print": True,
                                               "raw": {"1": "0x12", "2": "0x12", "4": "0x12"}}
    finally:
        worker.stop()


def test_serial_printer_on_a_pty_prints_and_reports(posted):
    """The same worker over the serial backend: a thread on the pty's master side plays the printer."""
    import os
    import select
    import threading

    from drivers.printer.usb_serial import SerialBackend

    master, slave = os.openpty()
    received, stop = bytearray(), threading.Event()

    def printer() -> None:
        while not stop.is_set():
            if select.select([master], [], [], 0.05)[0]:
                chunk = os.read(master, 4096)
                received.extend(chunk)
                for at in range(len(chunk) - 2):
                    if chunk[at:at + 2] == b"\x10\x04":
                        os.write(master, b"\x12")

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    worker = PrintWorker(SerialBackend(os.ttyname(slave), baudrate=115200, flow_control="none", timeout_s=2),
                         TicketRenderer("TM-T20II"), poll_interval=0.3, status_timeout=0.3).start()
    try:
        posted.wait(events.DEVICE_STATE, device="printer", state=st.READY)
        posted.wait(events.PRINT_DONE, job_id=worker.submit(TICKET, job_id="serial-1"))
        assert TicketRenderer("TM-T20II").render(TICKET) in received
        assert worker.backend.transfer_seconds(960) == pytest.approx(960 * 10 / 115200)
    finally:
        worker.stop()
        stop.set()
        thread.join(1)
        os.close(master)
        os.close(slave)
