"""A screen that offers to print one document: send it, and tell the person how it went.

Printing takes seconds and may fail (paper out, printer unplugged), so the screen says
« Impression en cours… », then « imprimé » or « pas pu être imprimé » from the driver's
PRINT_DONE / PRINT_FAILED events; when the printer comes and goes, the screen is rebuilt
so that « Imprimer » appears only while a ticket can really be printed.
"""

from __future__ import annotations

from kiosk import events
from kiosk.i18n import _


class TicketPrinting:
    def __init__(self, screen, *, done: str, failed: str) -> None:
        self.screen = screen
        self.done, self.failed = done, failed       # translated sentences for the toasts
        self.job: str | None = None
        self.offered = screen.app.devices.can_print  # what the screen showed when it was built

    @property
    def available(self) -> bool:
        self.offered = self.screen.app.devices.can_print
        return self.offered

    def submit(self, ticket) -> None:
        printer = self.screen.app.devices.printer
        if printer is None:
            return
        self.job = printer.submit(ticket)
        self.screen.toast(_("Printing…"))

    def handle_event(self, event) -> bool:
        """True if the event was about printing (the screen need not look at it again)."""
        if event.type == events.PRINT_DONE and event.job_id == self.job:
            self.screen.toast(self.done)
        elif event.type == events.PRINT_FAILED and event.job_id == self.job:
            self.screen.toast(self.failed, kind="warn")
        elif event.type == events.DEVICE_STATE and event.device == "printer":
            if self.screen.app.devices.can_print != self.offered:
                self.screen.rebuild()
        else:
            return False
        return True
