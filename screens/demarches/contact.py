"""« Comment vous joindre ? »: asked before sending when the terminal is offline.

Offline, the request waits in the outbox and the town's number cannot be shown now: it will
be sent by SMS or e-mail, so one of them is required (the engine says when). What is typed
lives in the visit's fields and goes with the démarche.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kiosk.demarches import words
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.demarches.common import typed_key
from screens.demarches.filing import FilingStep
from screens.widgets import AzertyKeyboard, Button, Column, Label, NumericKeypad, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER

if TYPE_CHECKING:
    from kiosk.demarches import Session
    from screens.base import ScreenHost

ORDER = ("phone", "email")


class DemarcheContactScreen(FilingStep):
    name = "demarche_contact"

    def __init__(self, app: ScreenHost, session: Session) -> None:
        super().__init__(app, session)
        self.focus = "phone"
        self.errors: dict[str, str] = {}

    def title(self) -> str:
        return _("How can we reach you?")

    def compose(self) -> Widget:
        self.form.language = self.language
        parts: list[Widget] = [Label(self.form.contact_reason(), bold=True, bg="surface", padding=20, id="why")]
        if self.problem:
            parts.append(Label(self.problem, bold=True, colour="danger", id="problem"))
        captions = {"phone": _("Mobile phone"), "email": _("E-mail")}
        self.boxes: dict[str, TextField] = {}
        for name in ORDER:
            box = TextField(self.app.visit.fields, typed_key(f"contact.{name}"), caption=captions[name],
                            max_length=20 if name == "phone" else 200, id=f"contact-{name}",
                            allowed=(lambda ch: ch.isdigit() or ch in "+ ") if name == "phone" else None,
                            on_tap=partial(self._set_focus, name))
            box.focused = name == self.focus
            box.error = self.errors.get(name, "")
            self.boxes[name] = box
        parts.append(Column(list(self.boxes.values()), gap=16, max_width=1300))
        if self.pending is not None:
            parts.append(self.waiting())
        else:
            parts.append(NumericKeypad(self._key, plus=True, enter_label=_("Next")) if self.focus == "phone"
                         else AzertyKeyboard(self._key, symbols=True))
            parts.append(Label(_("Used only to send you the tracking number, then erased from this terminal."),
                               size=TEXT_SMALL, colour="muted", id="consent"))
            # « Envoyer » alone: beside the keys, a longer label would take two lines and push the
            # field typed into out of sight (low reach, large text).
            self.go = Button(_("Send"), kind="primary", id="send", on_tap=self._send)
            parts.append(self.go)
        return Column(parts, gap=24)

    def _set_focus(self, name: str) -> None:
        if name != self.focus:
            self.focus = name
            self.rebuild()

    def _key(self, key: str) -> None:
        box = self.boxes[self.focus]
        if key == ENTER:
            if self.focus == "phone":
                self._set_focus("email")
            else:
                self._send()
            return
        if key == BACKSPACE:
            box.backspace()
        elif not box.insert(key):
            box.set_error(words.say(self.language, words.MAX_LENGTH, n=box.max_length))
            return
        box.set_error("")

    def _send(self) -> None:
        typed = {n: self.app.visit.fields.get(typed_key(f"contact.{n}"), "").strip() for n in ORDER}
        self.errors = self.form.set_contact(phone=typed["phone"] or None, email=typed["email"] or None)
        if not self.errors and not (typed["phone"] or typed["email"]):
            self.errors = {"phone": self.form.contact_reason()}
        if self.errors:
            self.rebuild()
            return
        self.file()
