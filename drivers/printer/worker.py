"""The print queue: one thread owns the printer; the UI only submits jobs and reads events.

Why a thread that owns the backend: opening a USB device, a 9 600-baud serial write or a
network printer that hangs can each take seconds, and the UI must never wait on them
(DESIGN.md, conventions 2 and 5). The thread is the only code that touches the
backend, so no locking is needed around it.

Policy, chosen for a citizen standing in front of the totem:

- A job is tried at once and reported once: ``PRINT_DONE`` or ``PRINT_FAILED`` with a
  ``reason`` code (a status state such as ``paper_out``, or a transport code such as
  ``disconnected``) and a ``detail`` sentence. A failed job is *not* retried later: a
  queue ticket printed five minutes after the person left is worse than none; the
  screen tells them and offers the information on screen instead.
- The printer is polled (``DLE EOT``) every ``poll_interval`` seconds while idle, and
  every ``retry_interval`` seconds while it is unreachable, re-opening the transport
  each time, so printing resumes within ``retry_interval`` (0.5 s) of the printer
  coming back — unplugged USB, power cycle, network printer rebooting.
- Every change of state is posted once as ``DEVICE_STATE(device="printer", ...)``.
- A job whose bytes were written is confirmed by a status query afterwards: a
  connection that died mid-job, paper that ran out or a cover opened during the job
  fail the job instead of claiming it printed.
"""

from __future__ import annotations

import itertools
import logging
import queue
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drivers.driver_thread import DriverThread, Post, default_post
from drivers.printer import status as st
from drivers.printer.backends import Backend, BackendError
from drivers.printer.render import TicketRenderer
from kiosk.printing.document import Ticket

if TYPE_CHECKING:
    from kiosk.config.models import PrinterConfig

log = logging.getLogger(__name__)


class _Wake:
    """The queue item of stop(), a hotplug event or poll_now(): see what the thread should do."""


_WAKE = _Wake()
_ids = itertools.count(1)


@dataclass(frozen=True)
class PrintJob:
    job_id: str
    document: Ticket | bytes


class PrintWorker(DriverThread):
    """Owns one backend in a daemon thread. ``post(event_type, **attrs)`` defaults to ``kiosk.events.post``."""

    device_name = "printer"

    def __init__(self, backend: Backend, renderer: TicketRenderer | None = None, *,
                 post: Post = default_post, poll_interval: float = 2.0,
                 retry_interval: float = 0.5, status_timeout: float = 0.5) -> None:
        self.backend = backend
        self.renderer = renderer or TicketRenderer()
        self.poll_interval, self.retry_interval = poll_interval, retry_interval
        self.status_timeout = status_timeout
        super().__init__(post=post)
        self.type = backend.type
        self._jobs: queue.Queue[PrintJob | _Wake] = queue.Queue()
        self.status = st.PrinterStatus("unknown", "not polled yet")

    # --- called from the UI thread ---------------------------------------------------

    def stop(self, timeout: float = 3.0) -> None:
        """Jobs already queued are tried first (FIFO), then the thread ends and the device is closed."""
        super().stop(timeout)
        self.backend.close()

    def submit(self, document: Ticket | bytes, job_id: str | None = None) -> str:
        """Queue a ticket (or pre-rendered bytes); the answer comes as PRINT_DONE / PRINT_FAILED."""
        job = PrintJob(job_id or f"print-{next(_ids)}", document)
        self._jobs.put(job)
        return job.job_id

    def poll_now(self) -> None:
        """Check the printer at once (what the hotplug monitor's ``device_added`` does)."""
        self._interrupt()

    @property
    def idle(self) -> bool:
        """Nothing queued, nothing being printed: every job submitted has posted its answer."""
        return self._jobs.unfinished_tasks == 0

    @property
    def can_print(self) -> bool:
        """What the UI uses to offer a ticket or show the information instead (last known state)."""
        return self.status.can_print

    # --- the thread ------------------------------------------------------------------

    def _thread_name(self) -> str:
        return "printer"

    def _interrupt(self) -> None:
        self._jobs.put(_WAKE)

    def _run(self) -> None:
        self._safe_poll()
        while True:
            wait = self.poll_interval if self.status.state not in (st.DISCONNECTED, st.OFFLINE) \
                else self.retry_interval
            try:
                item = self._jobs.get(timeout=wait)
            except queue.Empty:
                self._safe_poll()
                continue
            try:
                if isinstance(item, _Wake):
                    if self._stopping.is_set():
                        return
                    if self._take_removal():     # the hotplug monitor saw the printer go
                        self.backend.close()
                        self._set_status(st.PrinterStatus(st.DISCONNECTED, f"{self.backend.describe()} unplugged"))
                    else:
                        self._safe_poll()
                    continue
                self._print_safely(item)
            finally:
                self._jobs.task_done()

    def _print_safely(self, item: PrintJob) -> None:
        try:
            self._print(item)
        except Exception as exc:  # a bug must fail the job, never kill the printer thread
            log.exception("print job %s crashed", item.job_id)
            self.backend.close()
            self._failed(item, "error", f"internal error: {type(exc).__name__}")

    def _safe_poll(self) -> None:
        """A status check that cannot kill the thread: a driver bug counts as a disconnection."""
        try:
            self._poll()
        except Exception as exc:  # the printer thread must outlive any driver bug
            log.exception("printer status check crashed")
            self.backend.close()
            self._set_status(st.PrinterStatus(st.DISCONNECTED, f"internal error: {type(exc).__name__}"))

    def _poll(self, extra_wait: float = 0.0) -> st.PrinterStatus:
        status = st.query_status(self.backend, self.status_timeout + extra_wait)
        if status.state == st.DISCONNECTED:
            self.backend.close()  # re-open from scratch next time: the device may be a new one
        self._set_status(status)
        return status

    def _set_status(self, status: st.PrinterStatus) -> None:
        if status.state != self.status.state:
            log.info("printer state %s -> %s %s", self.status.state, status.state, status.detail)
            from kiosk.events import DeviceState
            DeviceState(device="printer", state=status.state, detail=status.detail).post(self._post)
        self.status = status
        self.state, self.detail = status.state, status.detail

    def _print(self, job: PrintJob) -> None:
        before = self._poll()
        if not before.can_print:
            self._failed(job, before.state, before.detail)
            return
        data = job.document if isinstance(job.document, bytes) else self.renderer.render(job.document)
        try:
            self.backend.write(data)
        except BackendError as exc:
            self.backend.close()
            self._poll()
            self._failed(job, exc.code, exc.detail)
            return
        after = self._poll(extra_wait=self.backend.transfer_seconds(len(data)))
        if after.state in (st.DISCONNECTED, st.OFFLINE, st.PAPER_OUT, st.COVER_OPEN, st.ERROR):
            self._failed(job, after.state, after.detail)
            return
        from kiosk.events import PrintDone
        PrintDone(job_id=job.job_id).post(self._post)

    def _failed(self, job: PrintJob, reason: str, detail: str) -> None:
        log.warning("print job %s failed: %s (%s)", job.job_id, reason, detail)
        from kiosk.events import PrintFailed
        PrintFailed(job_id=job.job_id, reason=reason, detail=detail).post(self._post)


def build_worker(section: PrinterConfig, post: Post = default_post) -> PrintWorker:
    """The worker a ``[printer]`` section describes (not started): its backend, its renderer, its timings."""
    from drivers.printer.factory import make_backend
    return PrintWorker(make_backend(section), TicketRenderer(section.profile, section.qr), post=post,
                       poll_interval=section.poll_interval_s, status_timeout=section.status_timeout_s)
