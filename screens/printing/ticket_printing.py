"""A screen that offers to print one document: send it, and tell the person how it went.

Printing takes seconds and may fail (paper out, printer unplugged), so the screen says
« Impression en cours… », then « imprimé » or « pas pu être imprimé » when the printing
service's job ends (PRINT_DONE / PRINT_FAILED); when the printer comes and goes, the
screen is rebuilt so that « Imprimer » appears only while a ticket can really be printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.printing.document import Ticket
from kiosk.printing.service import PrintJob, PrintState
from screens.printing.hear_ticket import TicketAloud

if TYPE_CHECKING:
    import pygame

    from screens.base import Screen
    from screens.widgets import Button


class TicketPrinting:
    def __init__(self, screen: Screen, *, done: str, failed: str) -> None:
        self.screen = screen
        self.service = screen.app.printing
        self.done, self.failed = done, failed       # translated sentences for the toasts
        self.job: PrintJob = self.service.job()
        self.aloud = TicketAloud(screen.app, lambda: self.job.document)
        self.offered = self.service.can_print()     # what the screen showed when it was built

    @property
    def available(self) -> bool:
        self.offered = self.service.can_print()
        return self.offered

    def problem(self) -> str:
        """Why « Imprimer » is not offered, for people ("" when a printer prints or there is none)."""
        return self.service.problem() if self.service.present and not self.offered else ""

    def hear_buttons(self) -> list[Button]:
        """« Écouter le ticket » once a ticket was printed, while speech is on."""
        return self.aloud.buttons()

    def submit(self, ticket: Ticket) -> None:
        if self.job.submit(ticket):
            self.screen.toast(_("Printing…"))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True if the event was about printing (the screen need not look at it again)."""
        state = self.job.update(event)
        if state is PrintState.PRINTED:
            speaking = self.screen.app.speech_active
            if speaking:
                self.screen.rebuild()      # « Écouter le ticket » appears
            self.screen.toast(self.done, said=not speaking)
            self.aloud.offer(self.done)   # the toast's words and the offer, said once
        elif state is PrintState.FAILED:
            self.screen.toast(self.failed, kind="warn")
        elif self.job.is_printer_state(event):
            if self.service.can_print() != self.offered:
                self.screen.rebuild()
        else:
            return False
        return True
