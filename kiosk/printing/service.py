"""The one printing service: what every screen that prints calls, instead of the driver's worker.

Why one service: before it, each screen reached for the driver's print queue itself and
kept the job's state its own way (toasts in one place, a « printing / printed / failed »
label in another, the admin screen's own bookkeeping). Here a screen submits a ticket
document and gets a job id; the driver's ``PRINT_DONE`` / ``PRINT_FAILED`` event comes
back to the screen, and :class:`PrintJob` turns it into that job's state. Whether a
ticket can be offered and, when not, the one sentence that tells a citizen why, are
read from the shared device-state model (kiosk/devices/status.py), so every screen says
it in the same words.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kiosk import events
from kiosk.devices.status import DeviceState

if TYPE_CHECKING:
    import pygame

    from kiosk.devices.hardware import Devices
    from kiosk.printing.document import Letterhead, Ticket


class PrintState(StrEnum):
    """Where one job stands, as a screen shows it ("" before anything was sent)."""

    NOT_SENT = ""
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class PrintQueue(Protocol):
    """What the service needs of a driver's print queue (drivers.printer.worker.PrintWorker)."""

    @property
    def can_print(self) -> bool: ...

    def submit(self, document: Ticket | bytes, job_id: str | None = None) -> str: ...


class PrintingService:
    """The terminal's ticket printer as screens see it; built by the app over its devices."""

    def __init__(self, devices: Devices, letterhead: Letterhead | None = None) -> None:
        self._devices = devices
        self.letterhead = letterhead      # the town's logo and name, put on every ticket

    @property
    def _queue(self) -> PrintQueue | None:
        queue: PrintQueue | None = self._devices.printer
        return queue

    @property
    def present(self) -> bool:
        """Whether this terminal has a printer at all (it may be out of paper or unplugged)."""
        return self._queue is not None

    def can_print(self) -> bool:
        """Whether a ticket can be printed now (the printer's last known state)."""
        return self._devices.can_print

    def problem(self) -> str:
        """Why there is no ticket, in one sentence for people ("" when the printer prints);
        the words of the shared device-state model (kiosk/devices/status.py)."""
        return self._devices.printer_problem()

    def state(self) -> DeviceState:
        """The printer's last reported state (for the technician's words)."""
        return self._devices.state("printer")

    @staticmethod
    def reason_words(reason: str) -> str:
        """A failed job's ``reason`` code in the printer's state words (« plus de papier »…)."""
        return DeviceState(reason).words()

    def submit(self, document: Ticket) -> str | None:
        """Queue a ticket; its PRINT_DONE / PRINT_FAILED event will carry the returned job id.
        None when the terminal has no printer (nothing was sent)."""
        queue = self._queue
        if queue is None:
            return None
        if document.letterhead is None and self.letterhead is not None:
            document = replace(document, letterhead=self.letterhead)
        return queue.submit(document)

    def job(self) -> PrintJob:
        """A fresh job slot for one screen: submit through it, feed it the screen's events."""
        return PrintJob(self)


class PrintJob:
    """One screen's print job: its id, its state, and the reason it failed."""

    def __init__(self, service: PrintingService) -> None:
        self.service = service
        self.job_id: str | None = None
        self.state = PrintState.NOT_SENT
        self.reason = ""
        self.document: Ticket | None = None     # the ticket last sent (read aloud on request, issue 15)

    def submit(self, document: Ticket) -> bool:
        """Send ``document``; False (and nothing changes) when the terminal has no printer."""
        job_id = self.service.submit(document)
        if job_id is None:
            return False
        self.job_id, self.state, self.reason = job_id, PrintState.PRINTING, ""
        self.document = document
        return True

    def update(self, event: pygame.event.Event) -> PrintState | None:
        """The job's new state if ``event`` is its PRINT_DONE / PRINT_FAILED, else None."""
        if self.job_id is None:
            return None
        if (done := events.PrintDone.of(event)) and done.job_id == self.job_id:
            self.state = PrintState.PRINTED
        elif (failed := events.PrintFailed.of(event)) and failed.job_id == self.job_id:
            self.state, self.reason = PrintState.FAILED, failed.reason
        else:
            return None
        return self.state

    @staticmethod
    def is_printer_state(event: pygame.event.Event) -> bool:
        """Whether ``event`` says the printer came, went or changed (a screen may offer printing anew)."""
        return bool(event.type == events.DEVICE_STATE and getattr(event, "device", None) == "printer")
