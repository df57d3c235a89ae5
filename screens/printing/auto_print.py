"""A screen whose ticket prints by itself as it opens: the end of a booking, a check-in, a number.

Three screens did the same thing three times over — send the ticket when the screen shows
(once, and only when a printer can print), keep the job's state, say « Impression… »,
« imprimé » or why it cannot be printed, offer « Imprimer » or « Réessayer » while it makes
sense, and rebuild when the job ends or the printer comes and goes. A fourth (the receipt
of a démarche) needed it too: it lives here, once. The screen says what to print
(:meth:`AutoPrintedTicket.ticket_to_print`) and, in its own words, what the person should
do without a ticket; everything else is shared, so every ticket screen behaves alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.printing.service import PrintState
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.printing.hear_ticket import TicketAloud
from screens.widgets import Button, Label

if TYPE_CHECKING:
    import pygame

    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost


class AutoPrintedTicket(Screen):
    """A screen with one ticket that prints on arrival; subclasses build the ticket and the page."""

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.printing = app.printing.job()
        self._auto_printed = False      # the ticket goes once by itself; then only on request
        self.aloud = TicketAloud(app, self._ticket_to_hear)

    # -- to override ---------------------------------------------------------------------------
    def ticket_to_print(self) -> Ticket | None:
        """The ticket of this screen (None: nothing to print, as when a check-in was refused)."""
        return None

    # -- state ---------------------------------------------------------------------------------
    @property
    def print_state(self) -> PrintState:
        """The ticket's printing: "" (not sent), printing, printed or failed."""
        return self.printing.state

    @print_state.setter
    def print_state(self, state: str) -> None:     # the screenshot gallery shows each state
        self.printing.state = PrintState(state)

    def _cannot_print(self) -> bool:
        """The job failed, or the printer says it cannot print (no paper, off) before we tried."""
        state = self.printing.state
        return state is PrintState.FAILED or (not state and not self.app.printing.can_print())

    # -- the pieces a screen places ------------------------------------------------------------
    def print_status(self, *, no_printer: str, cannot: str) -> Label:
        """One line on the ticket: printing, printed, or — in the screen's words, bold — what to do
        without it (``no_printer``: the terminal has none; ``cannot``: it cannot print now)."""
        if not self.app.printing.present:
            text = no_printer
        elif self._cannot_print():
            text = cannot
        else:
            text = {PrintState.PRINTING: _("Printing your ticket…"),
                    PrintState.PRINTED: _("Your ticket is printed. Take it below the screen.")
                    }.get(self.printing.state, "")
        bold = self._cannot_print()
        return Label(text, size=TEXT_BODY if bold else TEXT_SMALL, bold=bold, align="center", id="print-status")

    def print_buttons(self) -> list[Button]:
        """« Imprimer mon ticket » (or « Réessayer ») while printing could help, and « Écouter le
        ticket » while speech is on (printed or not: without paper, hearing it is all there is)."""
        hear = self.aloud.buttons()
        if not self.app.printing.present or self.printing.state in (PrintState.PRINTING, PrintState.PRINTED):
            return hear
        label = _("Try printing again") if self._cannot_print() else _("Print my ticket")
        return [Button(label, id="print", on_tap=self._print), *hear]

    # -- printing ------------------------------------------------------------------------------
    def on_show(self) -> None:
        if self._auto_printed or not self.app.printing.can_print():
            return
        ticket = self.ticket_to_print()
        if ticket is not None:
            self._auto_printed = True
            self._send(ticket)

    def _ticket_to_hear(self) -> Ticket | None:
        """The ticket as it was printed (its « imprimé à » too), or as it would be when it was not."""
        return self.printing.document or self.ticket_to_print()

    def _print(self) -> None:
        ticket = self.ticket_to_print()
        if ticket is not None:
            before = self._print_status_text()
            self._send(ticket)
            self._say_print_status(before)

    def _send(self, ticket: Ticket) -> None:
        self.printing.submit(ticket)
        self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        state = self.printing.update(event)
        if state is not None or self.printing.is_printer_state(event):
            before = self._print_status_text()
            self.rebuild()
            if state is PrintState.PRINTED:
                self.aloud.offer(self._print_status_text())   # out, and it can be heard: one utterance
            else:
                self._say_print_status(before, interrupt=False)   # news from the printer: after the reading

    # -- said as it changes (issue 15) ---------------------------------------------------------
    def _print_status_text(self) -> str:
        status = self.find("print-status")
        return status.text if isinstance(status, Label) else ""

    def _say_print_status(self, before: str, *, interrupt: bool = True) -> None:
        """« Impression de votre ticket… », « Votre ticket est imprimé… » or why it cannot be:
        said when the line changes, as a sighted person sees it change (the first one is read
        with the screen)."""
        now = self._print_status_text()
        if now and now != before:
            self.announce(now, interrupt=interrupt)
