"""« J'ai un rendez-vous »: scan the booking's QR code (paper or phone), or type its reference.

A scan is examined on the terminal at once (:class:`kiosk.checkin.counter.CounterCheckin`):
a case decided here (too early, too late, another day, cancelled, not ours, scanned twice)
shows its result without sending anything; otherwise the check-in is sent through the
outbox and the screen says « un instant… » until the answer (or the offline verdict) comes.
The scan router sends a booking QR code scanned on any screen of a counter terminal here.
The typed reference lives in the visit (wiped when it ends); no name is asked or shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kiosk import events
from kiosk.checkin.counter import Arrival, CheckinResult, CounterCheckin, reference_typo, typed_reference
from kiosk.devices.scan_codes import ScanKind, ScannedCode
from kiosk.i18n import N_, _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, TEXT_TITLE
from screens.base import Screen
from screens.widgets import AzertyKeyboard, Button, Column, Label, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER
from screens.widgets.unavailable import data_unavailable

if TYPE_CHECKING:
    import pygame

    from screens.base import ScreenHost

REFERENCE = "checkin_reference"
WIDE = 1600     # below this width the keyboard beside the words would get keys too small to touch
REFERENCE_SHAPE = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*")
PROBLEMS = {
    "empty": N_("Type the reference printed on your ticket, for example RDV-AB3K-7Q."),
    "shape": N_("A reference has letters, digits and hyphens, for example RDV-AB3K-7Q."),
    "typo": N_("This reference has a typing mistake: check each character against your ticket."),
    "not_a_booking": N_("This code is not the QR code of an appointment. Scan the code of your appointment ticket, "
                        "or type its reference."),
}


def _problem(code: str) -> str:
    return _(PROBLEMS[code])


class CheckinScreen(Screen):
    name = "checkin"
    scan_kinds = frozenset({ScanKind.CHECKIN_TOKEN, ScanKind.REFERENCE})
    explains_other_scans = True   # « ce n'est pas le QR code d'un rendez-vous » says more than a generic refusal

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.counter = CounterCheckin.configured(app.services, app.config) if app.services else None
        self.error = ""
        self.arrival: Arrival | None = None
        self.pending: int | None = None

    def title(self) -> str:
        return _("I have an appointment")

    def compose(self) -> Widget:
        if self.counter is None or not self.counter.services.availability.usable():
            return data_unavailable()
        if self.pending is not None:
            return Column([Label(_("One moment…"), size=TEXT_TITLE, bold=True, align="center", bg="surface",
                                 padding=48, id="waiting")], gap=24)
        self.field = TextField(self.app.visit.fields, REFERENCE, caption=_("Reference of the appointment"),
                               placeholder="RDV-AB3K-7Q", max_length=40, id="field-reference")
        self.field.focused = True
        self.field.error = self.error
        scan = [Label(_("Scan the QR code of your appointment"), size=TEXT_TITLE, bold=True, align="center", id="scan"),
                Label(_("Hold your ticket or your phone screen under the scanner, below this screen."),
                      size=TEXT_BODY, align="center", id="scan-how")]
        typed: list[Widget] = [
            Label(_("Or type the reference of your appointment:"), size=TEXT_SMALL, colour="muted", id="or-type"),
            self.field,
            Button(_("Continue"), kind="primary", id="continue", on_tap=self._typed),
        ]
        keyboard = AzertyKeyboard(self._key, symbols=False)
        width, height = self.app.display.logical
        if width > height and width >= WIDE:    # a wide landscape: the keyboard beside the words
            return Row([Column([*scan, *typed], gap=24), keyboard], gap=40, wrap=False)
        return Column([*scan, *typed[:2], keyboard, typed[2]], gap=24)

    # -- input -----------------------------------------------------------------------------------
    def _key(self, key: str) -> None:
        if key == ENTER:
            return self._typed()
        if key == BACKSPACE:
            self.field.backspace()
        elif not self.field.insert(key.upper()):
            return
        if self.error:
            self.error = ""
            self.field.set_error("")

    def _typed(self) -> None:
        reference = typed_reference(self.app.visit.fields.get(REFERENCE, ""))
        if reference:
            self.app.visit.fields[REFERENCE] = reference[:40]     # shown as printed from now on
        problem = ("empty" if not reference else "shape" if not REFERENCE_SHAPE.fullmatch(reference)
                   else "typo" if reference_typo(reference) else None)
        if problem:
            self.error = _problem(problem)
            return self.rebuild()
        if self.counter is not None:
            self._go(self.counter.examine_reference(reference))

    def handle_scan(self, code: ScannedCode) -> None:
        """From the scan router: a booking QR code, a reference read by the scanner, or another code."""
        if self.counter is None or self.pending is not None:
            return     # one check-in at a time: the first is on its way
        if code.kind is ScanKind.CHECKIN_TOKEN:
            self._go(self.counter.examine(code.value))
        elif code.kind is ScanKind.REFERENCE:
            self.app.visit.fields[REFERENCE] = code.value.upper()[:40]
            self._typed()
        else:
            self.error = _problem("not_a_booking")
            self.rebuild()

    def _go(self, arrival: Arrival) -> None:
        assert self.counter is not None     # examined by it
        self.arrival, self.error = arrival, ""
        if arrival.case is not None:
            return self._show(self.counter.decided(arrival))
        self.pending = self.counter.send(arrival)
        self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending and self.counter is not None:
            self.pending = None
            assert self.arrival is not None   # sent from it
            self._show(self.counter.conclude(self.arrival, done.outcome))

    def _show(self, result: CheckinResult) -> None:
        from screens.checkin.result import CheckinResultScreen

        self.app.visit.fields.pop(REFERENCE, None)
        self.app.nav.replace(CheckinResultScreen(self.app, result))
