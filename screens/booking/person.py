"""« Qui vient ? »: last name, first name, and a phone number and/or an e-mail address.

The contact is optional online (a reminder) and required offline (the request is
confirmed later). The rules are in :mod:`kiosk.booking.form`; errors show under their
field in plain words. What is typed lives in the visit's fields and goes when it ends.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kiosk.booking import flow as booking_flow
from kiosk.booking import form as booking_form
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen
from screens.widgets import AzertyKeyboard, Button, Column, Label, NumericKeypad, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER

if TYPE_CHECKING:
    from screens.base import ScreenHost

ORDER = booking_form.FIELDS
LIMITS = {"last_name": booking_form.NAME_MAX, "first_name": booking_form.NAME_MAX, "phone": 20,
          "email": booking_form.EMAIL_MAX}


class BookingPersonScreen(Screen):
    name = "booking_person"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.focus = "last_name"
        self.errors: dict[str, str] = {}     # field -> message shown under it

    def title(self) -> str:
        return _("Who is coming?")

    def _captions(self) -> dict[str, str]:
        if booking_flow.contact_required(self.app):
            contact = _("(phone or e-mail required: we confirm by SMS or e-mail)")
        else:
            contact = _("(optional, for a reminder)")
        return {"last_name": _("Last name"), "first_name": _("First name"),
                "phone": _("Mobile phone {why}").format(why=contact), "email": _("E-mail {why}").format(why=contact)}

    def compose(self) -> Widget:
        captions = self._captions()
        self.fields: dict[str, TextField] = {}
        for name in ORDER:
            field = TextField(self.app.visit.fields, booking_form.KEYS[name], caption=captions[name],
                              max_length=LIMITS[name], id=f"field-{name}",
                              on_tap=partial(self._set_focus, name))
            field.focused = name == self.focus
            field.error = self.errors.get(name, "")
            self.fields[name] = field
        # A phone number is digits (and « + »): a large keypad, not the symbols row of the keyboard.
        self.keyboard: Widget = (NumericKeypad(self._key, plus=True) if self.focus == "phone"
                                 else AzertyKeyboard(self._key))
        consent = Label(_("Your name and contact are sent to the town hall only to manage this appointment, and "
                          "erased from this terminal as soon as it is sent."), size=TEXT_SMALL, colour="muted",
                        id="consent")
        names = Column([self.fields["last_name"], self.fields["first_name"]], gap=16)
        contact = Column([self.fields["phone"], self.fields["email"]], gap=16)
        # One column, as wide as the keyboard below it: only the field typed into needs to show
        # above the keys, and a wide field keeps its error message short (landscape, large text).
        form = Column([names, contact], gap=16, max_width=1300)
        self.go = Button(_("Continue"), kind="primary", id="continue", on_tap=self._continue)
        return Column([form, self.keyboard, consent], gap=24)

    def main_action(self, content: Widget) -> Widget | None:
        return self.go

    # -- typing -------------------------------------------------------------------------------
    def _set_focus(self, name: str) -> None:
        if name != self.focus:
            self.focus = name
            self.rebuild()

    def _key(self, key: str) -> None:
        field = self.fields[self.focus]
        if key == ENTER:
            i = ORDER.index(self.focus)
            if i + 1 < len(ORDER):
                self._set_focus(ORDER[i + 1])
            else:
                self._continue()
            return
        if key == BACKSPACE:
            field.backspace()
        elif not field.insert(key):
            self._error(self.focus, booking_form.problem_text("name_too_long") if self.focus in ("last_name",
                        "first_name") else _("This text is too long."))
            return
        self._error(self.focus, "")

    def _error(self, name: str, message: str) -> None:
        if message:
            self.errors[name] = message
        else:
            self.errors.pop(name, None)
        self.fields[name].set_error(message)

    # -- next ---------------------------------------------------------------------------------
    def _continue(self) -> None:
        checked = booking_flow.checked_person(self.app)
        for name in ORDER:
            self._error(name, checked.message(name))
        if not checked.ok:
            self.focus = next(n for n in ORDER if n in checked.problems)
            self.rebuild()
            return
        from screens.booking.confirm import BookingConfirmScreen

        self.app.nav.push(BookingConfirmScreen(self.app, checked.person))
