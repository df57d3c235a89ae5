"""« Avant de commencer »: who may ask, what it costs, what to bring, how long it takes.

Read before the first question, so that nobody fills in five pages to learn at the end that
they may not ask or must come back with a document. « Commencer » starts the session on the
form's current version (the person finishes on that version, whatever is synced meanwhile).
A form withdrawn since the list was shown says so instead of starting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.demarches import FormUnavailable
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.demarches.common import DRAFT, DemarcheStep, service, unavailable
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from kiosk.demarches import FormCard
    from screens.base import ScreenHost


class DemarcheBeforeScreen(DemarcheStep):
    name = "demarche_before"

    def __init__(self, app: ScreenHost, form_id: str) -> None:
        super().__init__(app)
        self.form_id = form_id
        self.withdrawn = False

    def _card(self) -> FormCard | None:
        found = service(self.app)
        cards = found.offered(self.language) if found is not None else []
        return next((c for c in cards if c.id == self.form_id), None)

    def title(self) -> str:
        card = self._card()
        return card.title if card is not None else _("Make a request")

    def compose(self) -> Widget:
        card = self._card()
        if card is None or self.withdrawn:
            return unavailable(_("This request can no longer be made on this terminal."))
        b = card.before
        parts: list[Widget] = [Label(_("Before you start"), size=TEXT_BODY + 4, bold=True, id="before-title")]
        if card.in_french_only:
            parts.append(Label(_("This form exists in French only."), size=TEXT_SMALL, bold=True, bg="surface",
                               padding=16, id="french-only"))
        for key, heading, text in (("who", _("Who may ask"), b.who), ("cost", _("Cost"), b.cost),
                                   ("delay", _("How long it takes"), b.delay)):
            if text:
                parts.append(Column([Label(heading, size=TEXT_SMALL, colour="muted", id=f"{key}-title"),
                                     Label(text, id=key)], gap=4))
        if b.bring:
            parts.append(Column([Label(_("What to have with you"), size=TEXT_SMALL, colour="muted",
                                       id="bring-title")]
                                + [Label(f"•\u00a0{item}", id=f"bring-{i}") for i, item in enumerate(b.bring)],
                                gap=8))
        parts.append(Button(_("Start"), kind="primary", id="start", on_tap=self._start))
        return Column(parts, gap=24)

    def _start(self) -> None:
        found = service(self.app)
        if found is None:
            return
        current = self.app.visit.drafts.get(DRAFT)
        if current is not None and current.form.id == self.form_id and not current.wiped:
            session = current         # back from the first page, then « Commencer » again: keep it
        else:
            try:
                session = found.start(self.form_id, self.language)
            except FormUnavailable:
                self.withdrawn = True
                self.rebuild()
                return
            self.app.visit.drafts[DRAFT] = session
        self.session = session
        from screens.demarches.flow import open_page

        open_page(self.app, session)
