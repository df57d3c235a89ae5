"""Sending a démarche, from the summary or from the contact step: the same few lines twice.

Filing goes through the service: the outbox row is committed first, then sent at once; the
answer comes back as an ``ActionDone`` event. Received or pending (offline: the number will
be sent), the session is turned into a :class:`~kiosk.demarches.Receipt` and wiped, and the
receipt screen replaces the whole démarche above the home screen — nothing typed stays
reachable by « Retour ». Refused or failed, the screen says why and keeps the answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk import events
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY
from screens.demarches.common import DemarcheStep, service
from screens.widgets import Label

if TYPE_CHECKING:
    import pygame

    from kiosk.demarches import Session
    from kiosk.services.outcomes import Outcome
    from screens.base import ScreenHost


class FilingStep(DemarcheStep):
    """A step with « Envoyer ma demande »: it files the session and waits for the answer."""

    def __init__(self, app: ScreenHost, session: Session) -> None:
        super().__init__(app, session)
        self.form = session
        self.pending: int | None = None
        self.problem = ""                 # a refusal or an error, in words

    def waiting(self) -> Label:
        return Label(_("Sending your request…"), size=TEXT_BODY, bold=True, align="center", bg="surface",
                     padding=32, id="waiting")

    def file(self) -> None:
        demarches = service(self.app)
        if demarches is None or self.pending is not None:
            return
        self.problem = ""
        self.pending = demarches.submit(self.form)
        self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending:
            self._answered(done.outcome)

    def _answered(self, outcome: Outcome) -> None:
        self.pending = None
        demarches = service(self.app)
        assert demarches is not None       # it filed the request
        receipt = demarches.receipt(self.form, outcome)
        if receipt.received or receipt.pending:
            from screens.demarches.receipt import DemarcheReceiptScreen

            self.form.wipe()
            self.app.nav.reset([self.app.home_screen(), DemarcheReceiptScreen(self.app, receipt)])
            return
        self.problem = receipt.message or _("The request could not be sent. Please try again.")
        self.rebuild()
