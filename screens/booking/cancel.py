"""« Annuler un rendez-vous »: scan the ticket's QR code or type its reference, give the
last name, see the appointment, confirm.

The last name is asked in both cases: the central API cancels only for the right
reference *and* name, so a ticket found on the floor cannot cancel someone's appointment.
A scanned code is checked here first (signature, revocation, expiry) and shows the
service and the time before anything is sent. The cancellation goes through the outbox
like every action: offline, it is recorded and sent later, and the screen says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk import events
from kiosk.booking import flow as booking_flow
from kiosk.booking import form as booking_form
from kiosk.booking.cancel_answer import CancelCheck
from kiosk.booking.cancel_check import normalised_reference, reference_typo
from kiosk.booking.tickets import appointment_words, cancellation_slip
from kiosk.checkin.service import TokenError, UnknownKey, claimed_reference
from kiosk.devices.scan_codes import ScanKind, ScannedCode
from kiosk.i18n import N_, _
from kiosk.printing.service import PrintState
from kiosk.services import Status
from kiosk.services.outcomes import GENERIC, MESSAGES, Outcome
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.printing.hear_ticket import TicketAloud
from screens.widgets import AzertyKeyboard, Button, Column, Label, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER

if TYPE_CHECKING:
    import pygame

    from screens.base import ScreenHost

REFERENCE, NAME = "cancel_reference", "cancel_last_name"
PROBLEMS = {
    "reference_empty": N_("Type the reference printed on your ticket, for example RDV-AB3K-7Q."),
    "reference_shape": N_("A reference has letters, digits and hyphens, for example RDV-AB3K-7Q."),
    "reference_typo": N_("This reference has a typing mistake: check each character against your ticket."),
    "not_a_ticket": N_("This QR code is not the one of an appointment ticket. Scan the code of your ticket, or "
                       "type its reference."),
}


def _problem(code: str) -> str:
    return _(PROBLEMS[code])


class BookingCancelScreen(Screen):
    name = "booking_cancel"
    scan_kinds = frozenset({ScanKind.CHECKIN_TOKEN})     # the QR code of the ticket to cancel
    explains_other_scans = True   # « ce QR code n'est pas celui d'un ticket » says more than a generic refusal

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.step = "form"           # form → review → (pending) → result
        self.focus = REFERENCE
        self.errors: dict[str, str] = {}
        self.ticket: dict[str, Any] | None = None      # what a scanned code says (service, start)
        self.checking: int | None = None               # a typed reference being checked (kiosk.booking.cancel_check)
        self.checked: CancelCheck | None = None        # its answer: found (the appointment) or unchecked
        self.pending: int | None = None
        self.outcome: Outcome | None = None
        self.printing = app.printing.job()
        self.aloud = TicketAloud(app, lambda: self.printing.document)

    @property
    def print_state(self) -> PrintState:
        """The ticket's printing: "" (not sent), printing, printed or failed."""
        return self.printing.state

    @print_state.setter
    def print_state(self, state: str) -> None:     # the screenshot gallery shows each state
        self.printing.state = PrintState(state)

    def title(self) -> str:
        return _("Cancel an appointment")

    def compose(self) -> Widget:
        step: Callable[[], Widget] = getattr(self, f"_{self.step}")
        return step()

    # -- the form --------------------------------------------------------------------------------
    def _form(self) -> Widget:
        fields = self.app.visit.fields
        self.fields = {
            REFERENCE: TextField(fields, REFERENCE, caption=_("Reference of the appointment"),
                                 placeholder="RDV-AB3K-7Q", max_length=40, id="field-reference",
                                 on_tap=lambda: self._set_focus(REFERENCE)),
            NAME: TextField(fields, NAME, caption=_("Last name"), max_length=booking_form.NAME_MAX,
                            id="field-last-name", on_tap=lambda: self._set_focus(NAME)),
        }
        for key, field in self.fields.items():
            field.focused = key == self.focus
            field.error = self.errors.get(key, "")
        parts: list[Widget] = [Label(
            _("Scan the QR code of your ticket, or type its reference. Then type your last name."),
            size=TEXT_BODY, id="intro")]
        if self.ticket:
            parts.append(Label(self._ticket_words(), bold=True, bg="surface", padding=20, id="scanned"))
        width, height = self.app.display.logical
        form = [self.fields[REFERENCE], self.fields[NAME]]
        parts.append(Row(form, gap=32, wrap=False) if width > height else Column(form, gap=16))
        parts.append(AzertyKeyboard(self._key, symbols=False))
        parts.append(Button(_("Continue"), kind="primary", id="continue", on_tap=self._review_or_errors))
        return Column(parts, gap=24)

    def _ticket_words(self) -> str:
        ticket = self.ticket
        assert ticket is not None     # shown only for a scanned ticket
        return self._appointment_words(str(ticket.get("svc")), ticket["start"])

    def _appointment_words(self, service_id: str, start: str) -> str:
        """« Carte nationale d'identité — mardi 3 décembre 2026 à 9 h 30 »."""
        lang = self.app.visit.settings.language
        service = booking_flow.services(self.app).availability.service(service_id) or {}
        when = appointment_words(datetime.fromisoformat(start), lang)
        return " — ".join(x for x in (service.get("name"), when) if x)

    def _found(self) -> dict[str, Any]:
        """What the central API said the typed reference and name would cancel ({} if unknown)."""
        return self.checked.booking if self.checked is not None and self.checked.outcome == "found" else {}

    def _set_focus(self, key: str) -> None:
        if key != self.focus:
            self.focus = key
            self.rebuild()

    def _key(self, key: str) -> None:
        field = self.fields[self.focus]
        if key == ENTER:
            if self.focus == REFERENCE:
                self._set_focus(NAME)
            else:
                self._review_or_errors()
            return
        if key == BACKSPACE:
            field.backspace()
        elif not field.insert(key.upper() if self.focus == REFERENCE else key):
            return
        self.checked = None         # another reference or name: checked again at « Continuer »
        if self.focus == REFERENCE and self.ticket:
            self.ticket = None      # typed over the scanned reference
            self.rebuild()
        self._error(self.focus, "")

    def _error(self, key: str, message: str) -> None:
        self.errors[key] = message
        if self.step == "form":
            self.fields[key].set_error(message)

    def _checked(self) -> tuple[str, str] | None:
        fields = self.app.visit.fields
        for key in (REFERENCE, NAME):
            self._error(key, "")
        # as printed: « rdvqxngsr » is RDV-QXNG-SR, and the form shows it so from now on
        reference = normalised_reference(fields.get(REFERENCE, ""))
        if reference:
            fields[REFERENCE] = reference[:40]
        if not reference:
            self._error(REFERENCE, _problem("reference_empty"))
        elif not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", reference):
            self._error(REFERENCE, _problem("reference_shape"))
        elif reference_typo(reference):          # no server could find it: said before asking one
            self._error(REFERENCE, _problem("reference_typo"))
        problem = booking_form.name_problem(fields.get(NAME, ""), "last_name")
        if problem:
            self._error(NAME, booking_form.problem_text(problem))
        if any(self.errors.values()):
            return None
        return reference, booking_form.clean_name(fields[NAME])

    def _review_or_errors(self) -> None:
        """The confirm step, once the central API said which appointment this is (a scanned
        ticket says it itself); a reference that matches nothing is said here, at once."""
        checked = self._checked()
        if checked is not None:
            self.step = "review"
            if not self.ticket or self.ticket.get("ref") != checked[0]:
                self.ticket, self.checked = None, None
                self.checking = booking_flow.services(self.app).check_cancel(*checked)
        self.rebuild()

    def _check_answer(self, check: CancelCheck) -> None:
        self.checking = None
        if check.outcome in ("found", "unchecked"):
            self.checked = check
        else:
            self.step = "form"
            self.errors[REFERENCE] = _(MESSAGES.get(check.code or "not_found", GENERIC))
        self.rebuild()

    def handle_scan(self, code: ScannedCode) -> None:
        """From the scan router: the ticket's QR code, or another code to explain (in the form only)."""
        if self.step == "form":
            self._scanned(code.value if code.kind is ScanKind.CHECKIN_TOKEN else code.text)

    def handle_event(self, event: pygame.event.Event) -> None:
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending:
            self._answer(done.outcome)
        elif (answer := events.CancelChecked.of(event)) and answer.check.lookup == self.checking:
            self._check_answer(answer.check)
        elif state := self.printing.update(event):
            if state is PrintState.PRINTED:
                self.aloud.offer()
            self.rebuild()

    def _scanned(self, text: str) -> None:
        try:
            self.ticket = booking_flow.services(self.app).read_ticket(text.strip())
        except UnknownKey:
            # Signed by a key not synced here yet: take its reference as if typed; the central API
            # judges it with the last name, as for any typed reference.
            self.ticket = None
            self.app.visit.fields[REFERENCE] = claimed_reference(text)[:40]
            self.errors[REFERENCE] = ""
            self.focus = NAME
            return self.rebuild()
        except TokenError as exc:
            self.ticket = None
            code = exc.args[0] if exc.args else ""
            self.errors[REFERENCE] = _problem("not_a_ticket") if code == "invalid_token" else \
                _("This ticket is no longer valid. Type the reference and your last name, or ask at the reception.")
            return self.rebuild()
        self.app.visit.fields[REFERENCE] = str(self.ticket.get("ref", ""))
        self.errors[REFERENCE] = ""
        self.focus = NAME
        self.rebuild()

    # -- review, then the answer ---------------------------------------------------------------
    def _review(self) -> Widget:
        fields = self.app.visit.fields
        parts: list[Widget] = [Label(_("Do you want to cancel this appointment?"), size=TEXT_BODY + 4, bold=True,
                                     id="question")]
        facts = [Label(_("Reference: {reference}").format(reference=fields.get(REFERENCE, "").upper()), bold=True,
                       id="review-reference"),
                 Label(_("Name: {name}").format(name=booking_form.clean_name(fields.get(NAME, ""))), id="review-name")]
        if self.ticket:
            facts.insert(0, Label(self._ticket_words(), bold=True, id="review-booking"))
        elif found := self._found():
            facts.insert(0, Label(self._appointment_words(found["service_id"], found["start"]), bold=True,
                                  id="review-booking"))
        parts.append(Column(facts, gap=12, padding=24, bg="surface"))
        if self.checked is not None and self.checked.outcome == "unchecked":
            parts.append(Label(_("The terminal cannot check this reference now. If you confirm, the cancellation "
                                 "is sent as soon as it is back online."), size=TEXT_SMALL, id="unchecked"))
        if self.pending is not None or self.checking is not None:
            parts.append(Label(_("One moment…"), bold=True, align="center", bg="surface", padding=32, id="waiting"))
        else:
            parts.append(Row([Button(_("No, keep it"), id="keep", on_tap=self._back_to_form),
                              Button(_("Yes, cancel it"), kind="primary", id="confirm-cancel",
                                     on_tap=self._confirm)], gap=20))
        return Column(parts, gap=24)

    def _back_to_form(self) -> None:
        self.step = "form"
        self.checking = None     # an answer still on its way is for a question no longer asked
        self.rebuild()

    def _confirm(self) -> None:
        checked = self._checked()
        if checked is None:
            return self._back_to_form()
        self.pending = booking_flow.services(self.app).cancel(*checked)
        self.rebuild()

    def _answer(self, outcome: Outcome) -> None:
        self.pending = None
        if outcome.status in (Status.DONE, Status.QUEUED):
            self.outcome, self.step = outcome, "result"
            if self.app.printing.can_print():
                self._print()
        else:
            self.step = "form"
            self.errors[REFERENCE] = outcome.message
        self.rebuild()

    def _result(self) -> Widget:
        assert self.outcome is not None     # the result step follows an answer
        queued = self.outcome.status == Status.QUEUED
        text = _("Cancellation recorded. The terminal is offline: it will be sent to the town hall as soon as it "
                 "is back online.") if queued else _("Your appointment is cancelled.")
        parts: list[Widget] = [Label(text, size=TEXT_BODY + 4, bold=True, bg="surface", padding=24, id="cancelled")]
        status = {"printing": _("Printing the confirmation…"),
                  "printed": _("Your confirmation is printed. Take it below the screen."),
                  "failed": _("The confirmation cannot be printed; the cancellation is recorded all the same.")}
        if self.printing.state:
            parts.append(Label(status[self.printing.state], size=TEXT_SMALL, id="print-status"))
        parts += self.aloud.buttons()
        parts.append(Button(_("Finish"), kind="primary", id="finish",
                            on_tap=lambda: self.app.end_visit("cancellation finished")))
        return Column(parts, gap=24)

    def _print(self) -> None:
        assert self.outcome is not None     # printed once the cancellation is answered
        result = self.outcome.result
        reads = booking_flow.services(self.app).availability
        found = self._found()
        service = reads.service(result.get("service_id") or found.get("service_id")
                                or str((self.ticket or {}).get("svc"))) or {}
        start = result.get("start") or found.get("start") or (self.ticket or {}).get("start")
        slip = cancellation_slip(
            town=self.app.config.branding.town_name, reference=self.app.visit.fields.get(REFERENCE, "").upper(),
            service_name=service.get("name"), start=datetime.fromisoformat(start) if start else None,
            queued=self.outcome.status == Status.QUEUED, printed_at=self.app.clock.now(),
            language=self.app.visit.settings.language)
        self.printing.submit(slip)
