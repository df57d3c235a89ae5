"""« Suivre ma demande »: type the number of a receipt, or scan its QR code.

The number is kept in the visit's fields (wiped when the visit ends) and never logged.
The lookup runs in the tracking service's thread; this screen waits for its
``TRACKING_RESULT`` and shows the request, or says in plain words why it cannot.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kiosk import events
from kiosk.devices.scan_codes import ScanKind, ScannedCode
from kiosk.i18n import N_, _, ngettext
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from kiosk.tracking import code as tracking_code
from screens.base import Screen
from screens.widgets import Button, Column, Label, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.code_keypad import BACKSPACE, ENTER, CodeKeypad

if TYPE_CHECKING:
    import pygame

    from kiosk.tracking.answer import TrackingAnswer
    from screens.base import ScreenHost

FIELD = "tracking_code"

PROBLEMS = {
    "empty": N_("Type the number written on your receipt, for example ABCD-1234."),
    "bad_characters": N_("A request number has only letters and digits, for example ABCD-1234."),
    "too_short": N_("This number is too short: it has 4 letters then 4 digits, for example ABCD-1234."),
    "too_long": N_("This number is too long: it has 4 letters then 4 digits, for example ABCD-1234."),
    "bad_shape": N_("A request number has 4 letters then 4 digits, for example ABCD-1234."),
    "not_a_receipt": N_("This QR code is not the one of a request receipt. Scan the code printed on your "
                        "receipt, or type its number."),
}
OUTCOMES = {
    "unknown": N_("No request has this number. Check it on your receipt; if it is right, ask at the town "
                  "hall reception."),
    "offline_unknown": N_("This terminal is offline and cannot check this number now. Try again later, or "
                          "ask at the town hall reception."),
    "error": N_("The search did not work. Please try again in a moment."),
}


class TrackingScreen(Screen):
    name = "tracking"
    scan_kinds = frozenset({ScanKind.TRACKING_CODE})    # the scan router opens this screen for a receipt
    explains_other_scans = True   # « ce QR code n'est pas celui d'un récépissé » says more than a generic refusal

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.wipe_after_s = app.config.tracking.wipe_after_s
        self.pending: int | None = None        # lookup number we are waiting for
        self.cooldown_until: float | None = None
        self.error = ""
        left = app.tracking.throttle.cooldown_left()   # the pause is the terminal's, not the visit's
        if left > 0:
            self.cooldown_until = app.clock.monotonic() + left

    def title(self) -> str:
        return _("Follow my request")

    # -- widgets ---------------------------------------------------------------------------
    def compose(self) -> Widget:
        app = self.app
        value = app.visit.fields.get(FIELD, "")
        self.field = TextField(app.visit.fields, FIELD, caption=_("Request number"),
                               placeholder=tracking_code.EXAMPLE, max_length=len(tracking_code.EXAMPLE), id="code")
        self.field.focused = True
        if self.error:
            self.field.error = self.error
        how = _("Type the number written on your receipt, or scan its QR code.") if self._can_scan() \
            else _("Type the number written on your receipt.")
        intro = Label(how, size=TEXT_BODY, id="intro")
        privacy = Label(_("Nothing personal is shown, and the screen erases itself when you leave."),
                        size=TEXT_SMALL, colour="muted", id="privacy")
        side_items = [intro, self.field, privacy]
        if app.demo:
            side_items.append(Label(_("Demo: try {codes}.").format(codes=", ".join(app.tracking.demo_codes())),
                                    size=TEXT_SMALL, colour="muted", id="demo-codes"))
        side = Column(side_items, gap=24)
        width, height = app.display.logical
        landscape = width > height
        # Field and keypad side by side only where half the width still holds 9 keys of full size
        # (16:9); a 16:10 landscape panel stacks them like a portrait one.
        side_by_side = width >= 1.7 * height
        if self.cooldown_until is not None:
            self.cooldown_label = Label(self._cooldown_text(), bold=True, bg="surface", padding=24, id="cooldown")
            action = Column([self.cooldown_label,
                             Button(_("Back to home"), kind="primary", id="home", on_tap=self.app.go_home)], gap=24)
        elif self.pending is not None:
            action = Column([Label(_("Searching…"), size=TEXT_BODY, bold=True, align="center", id="searching",
                                   bg="surface", padding=32)], gap=24)
        else:
            layer = "letters" if len(tracking_code.compact(value)) < tracking_code.LETTERS else "digits"
            self.keypad = CodeKeypad(self._key, enter_label=_("Search"), layer=layer, wide=landscape,
                                     compact=app.visit.settings.large_text)
            action = self.keypad
        if side_by_side:
            return Row([side, action], gap=48, wrap=False)
        return Column([side, action], gap=32)

    def _can_scan(self) -> bool:
        return self.app.config.scanner.type != "none"

    # -- typing ----------------------------------------------------------------------------
    def _key(self, key: str) -> None:
        raw = tracking_code.compact(self.field.value)
        if key == ENTER:
            self._search(self.field.value, typed=True)
            return
        if key == BACKSPACE:
            raw = raw[:-1]
        elif len(raw) >= tracking_code.LENGTH:
            self._show_problem("too_long")
            return
        else:
            raw += key
        self._set_value(raw)

    def _set_value(self, raw: str) -> None:
        self.app.visit.fields[FIELD] = tracking_code.grouped(raw)
        self.field.invalidate()
        self._show_error("")
        self.keypad.set_layer("letters" if len(raw) < tracking_code.LETTERS else "digits")

    def _show_problem(self, reason: str) -> None:
        self._show_error(_(PROBLEMS[reason]))

    def _show_error(self, message: str) -> None:
        self.error = message
        self.field.set_error(message)

    # -- looking up ------------------------------------------------------------------------
    def _search(self, text: str, *, typed: bool) -> None:
        self._look_up(tracking_code.parse_typed(text) if typed else tracking_code.parse_scanned(text))

    def _look_up(self, found: str | tracking_code.CodeProblem) -> None:
        if isinstance(found, tracking_code.CodeProblem):
            self._show_problem(found.reason)
            return
        self.app.visit.fields[FIELD] = found
        self.error = ""
        self.pending = self.app.tracking.lookup(found)
        self.rebuild()

    def handle_scan(self, code: ScannedCode) -> None:
        """From the scan router: a receipt's number (read once), or another code to explain."""
        if self.pending is not None or self.cooldown_until is not None:
            return
        if code.kind is ScanKind.TRACKING_CODE:
            self._look_up(code.value)
        else:
            self._look_up(tracking_code.parse_scanned(code.text))
        if self.error:
            self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        if (result := events.TrackingResult.of(event)) and result.answer.lookup == self.pending:
            self._answer(result.answer)

    def _answer(self, answer: TrackingAnswer) -> None:
        self.pending = None
        if answer.outcome == "found":
            from screens.tracking.result import TrackingResultScreen

            self.rebuild()
            self.app.nav.push(TrackingResultScreen(self.app, answer))
            return
        if answer.outcome == "cooldown":
            self.cooldown_until = self.app.clock.monotonic() + answer.cooldown_s
            self.app.visit.fields[FIELD] = ""
        else:
            self.error = _(OUTCOMES.get(answer.outcome, OUTCOMES["error"]))
        self.rebuild()

    # -- cooldown --------------------------------------------------------------------------
    def _cooldown_text(self) -> str:
        left = max(0, math.ceil((self.cooldown_until or 0) - self.app.clock.monotonic()))
        minutes = max(1, math.ceil(left / 60))
        return ngettext("Too many unknown numbers were tried on this terminal. Searching is paused: try again "
                        "in {n} minute.",
                        "Too many unknown numbers were tried on this terminal. Searching is paused: try again "
                        "in {n} minutes.", minutes).format(n=minutes)

    def tick(self, now: float) -> None:
        if self.cooldown_until is None:
            return
        if now >= self.cooldown_until:
            self.cooldown_until = None
            self.rebuild()
        else:
            self.cooldown_label.set_text(self._cooldown_text())

    def next_deadline(self) -> float | None:
        if self.cooldown_until is None:
            return None
        left = self.cooldown_until - self.app.clock.monotonic()
        return self.app.clock.monotonic() + min(max(left, 0), (left % 60) or 60)

    def on_show(self) -> None:
        """Back from a result: ready for another number."""
        if self.pending is None and self.cooldown_until is None and self.app.visit.fields.get(FIELD):
            self.app.visit.fields[FIELD] = ""
            self.error = ""
            self.rebuild()
