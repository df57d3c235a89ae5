"""« Vérifiez votre demande »: every answer, page by page, each page with « Modifier ».

Nothing is sent before this page: the person reads what the town will receive and changes
any part of it (« Modifier » opens that page; « Continuer » there comes back here). Then
« Envoyer ma demande » files it — after the contact step when the terminal is offline (the
number will be sent by SMS or e-mail, so one of them is needed).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.demarches.common import is_offline
from screens.demarches.filing import FilingStep
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from kiosk.demarches import Session
    from screens.base import ScreenHost


class DemarcheSummaryScreen(FilingStep):
    name = "demarche_summary"
    shown_before = False

    def __init__(self, app: ScreenHost, session: Session, edit_page: Callable[[str], None]) -> None:
        super().__init__(app, session)
        self.edit_page = edit_page    # « Modifier »: that page, then back here (flow.edit_page)

    def title(self) -> str:
        return _("Check your request")

    def compose(self) -> Widget:
        self.form.language = self.language
        parts: list[Widget] = [Label(self.form.title, size=TEXT_BODY + 4, bold=True, id="form-title")]
        if self.problem:
            parts.append(Label(self.problem, bold=True, colour="danger", bg="surface", padding=20, id="problem"))
        by_page: dict[str, list[Widget]] = {}
        titles: dict[str, str] = {}
        for row in self.form.summary():
            titles[row.page_id] = row.page_title
            by_page.setdefault(row.page_id, []).append(
                Column([Label(row.label, size=TEXT_SMALL, colour="muted", id=f"summary-{row.field}-label"),
                        Label(row.display, bold=True, id=f"summary-{row.field}")], gap=4))
        for page_id, rows in by_page.items():
            head = Row([Label(titles[page_id], size=TEXT_BODY, bold=True, id=f"page-{page_id}"),
                        Button(_("Change"), id=f"edit-{page_id}", on_tap=partial(self._edit, page_id),
                               about=titles[page_id])], gap=20)
            parts.append(Column([head, *rows], gap=12, padding=20, bg="surface", id=f"summary-page-{page_id}"))
        if self.pending is not None:
            parts.append(self.waiting())
        else:
            parts.append(Label(_("Your answers are sent to the town hall only for this request, and erased from "
                                 "this terminal once sent."), size=TEXT_SMALL, colour="muted", id="consent"))
            parts.append(Button(_("Send my request"), kind="primary", id="send", on_tap=self._send))
        return Column(parts, gap=24)

    def _edit(self, page_id: str) -> None:
        if self.pending is None:
            self.edit_page(page_id)

    def _send(self) -> None:
        bad = self.form.first_page_with_errors()
        if bad is not None:           # an answer changed by « Modifier » then « Retour »: that page again
            self._edit(bad)
            return
        if self.form.needs_contact(is_offline(self.app)):
            from screens.demarches.contact import DemarcheContactScreen

            self.app.nav.push(DemarcheContactScreen(self.app, self.form))
            return
        self.file()

    def on_show(self) -> None:
        super().on_show()
        if self.root is not None and self.laid_out_for is not None and self.shown_before:
            self.rebuild()            # back from « Modifier »: the answers changed
        self.shown_before = True

    def left(self) -> None:
        if self.form.at_summary:
            self.form.back()
