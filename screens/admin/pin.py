"""The admin PIN keypad, reached by five taps in the top-left corner.

The PIN is checked against a salted hash from the configuration; after five
wrong PINs the keypad locks for five minutes (kiosk.admin.pin.PinGuard).
"""

from __future__ import annotations

import math

from kiosk.i18n import _, ngettext
from screens.base import Screen, ScreenHost
from screens.widgets import Column, Label, NumericKeypad, TextField
from screens.widgets.base import Widget
from screens.widgets.keypad import BACKSPACE, ENTER

FIELD = "admin_pin"


class AdminPinScreen(Screen):
    name = "admin_pin"
    is_admin = True

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.message = ""

    def title(self) -> str:
        return _("Maintenance")

    def compose(self) -> Widget:
        self.field = TextField(self.app.visit.fields, FIELD, caption=_("Technician code"), masked=True,
                               max_length=8, allowed=str.isdigit, id="pin")
        self.field.focused = True
        self.status = Label(self.message, colour="danger", bold=True, id="pin-status")
        self.keypad = NumericKeypad(self._key, enter_label=_("Enter"))
        self._refresh_lock()
        return Column([self.field, self.status, self.keypad], gap=24)

    def _key(self, key: str) -> None:
        if key == BACKSPACE:
            self.field.backspace()
        elif key == ENTER:
            self._submit()
        else:
            self.field.insert(key)

    def _submit(self) -> None:
        pin = self.field.value
        self.field.clear()
        if not pin:
            return
        result = self.app.pin_guard.try_pin(pin)
        if result == "ok":
            from screens.admin.panel import AdminScreen

            self.app.visit.fields.pop(FIELD, None)
            self.app.nav.replace(AdminScreen(self.app))
            return
        if result == "wrong":
            left = self.app.pin_guard.failures_left()
            self._say(ngettext("Wrong code. {n} attempt left.", "Wrong code. {n} attempts left.", left).format(n=left))
        self._refresh_lock()

    def _say(self, message: str) -> None:
        if message == self.message and self.status.text == message:
            return
        self.message = message
        self.status.set_text(message)
        self.app.layout_screen(self)

    def _refresh_lock(self) -> None:
        remaining = self.app.pin_guard.locked_for_s()
        locked = remaining > 0
        for key in self.keypad.walk():
            key.set_enabled(not locked)
        if locked:
            minutes = max(1, math.ceil(remaining / 60))
            self._say(ngettext("Too many attempts. Try again in {n} minute.",
                               "Too many attempts. Try again in {n} minutes.", minutes).format(n=minutes))

    def tick(self, now: float) -> None:
        key = self.keypad.find("key-0")
        was_locked = key is not None and not key.enabled
        if self.app.pin_guard.locked_for_s() > 0 or was_locked:
            self._refresh_lock()
            if was_locked and self.app.pin_guard.locked_for_s() == 0:
                self._say("")

    def next_deadline(self) -> float | None:
        remaining = self.app.pin_guard.locked_for_s()
        if remaining <= 0:
            return None
        # Update the minutes shown, and unlock on time.
        return self.app.clock.monotonic() + min(remaining, (remaining % 60) or 60)
