"""« Vérifiez et confirmez »: the whole booking in one summary, « Modifier » beside each
part, and one « Confirmer ».

Confirming hands the booking to the services (outbox first, then the central API); the
answer comes back as ``ACTION_DONE``. A time taken meanwhile (409) is said plainly, with
the server's nearest free times to pick from, keeping everything typed; a refusal says
what to do next; nothing here ever shows an HTTP code.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from kiosk import events
from kiosk.booking import flow as booking_flow
from kiosk.booking import form as booking_form
from kiosk.booking.tickets import appointment_words
from kiosk.clock import PARIS
from kiosk.i18n import _
from kiosk.services import DaySlot, Status
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.widgets import Button, Column, Grid, Label, Row
from screens.widgets.base import Widget

if TYPE_CHECKING:
    import pygame

    from kiosk.services.outcomes import Outcome
    from screens.base import ScreenHost


class BookingConfirmScreen(Screen):
    name = "booking_confirm"

    def __init__(self, app: ScreenHost, person: dict[str, str]) -> None:
        super().__init__(app)
        self.person = person
        self.draft = booking_flow.draft(app)
        self.pending: int | None = None
        self.problem = ""                    # a refusal or error, in words
        self.alternatives: list[dict[str, Any]] = []   # after a 409

    def title(self) -> str:
        return _("Check and confirm")

    def compose(self) -> Widget:
        app, d = self.app, self.draft
        assert d.slot is not None     # this step follows the choice of a time
        lang = app.visit.settings.language
        reads = booking_flow.services(app).availability
        service = reads.service(d.chosen_service_id) or {}
        place = reads.place(service.get("place_id"))
        parts: list[Widget] = []
        if self.alternatives or self.problem:
            parts.append(self._trouble(lang))
        who = booking_form.person_name(self.person)      # shown the French way; sent as typed
        contact = " · ".join(x for x in (booking_form.display_phone(self.person["phone"])
                                         if self.person.get("phone") else "", self.person.get("email", "")) if x)
        rows = [
            (_("Service"), service.get("name", ""), "edit-service", self._edit_service),
            (_("Date and time"), appointment_words(d.slot.start, lang), "edit-time", self._edit_time),
            (_("Place"), f"{place['name']}, {place['address']}" if place else "", None, None),
            (_("Name"), who, "edit-person", self._edit_person),
            (_("Contact"), contact, "edit-contact", self._edit_person),
        ]
        for i, (what, value, edit_id, edit) in enumerate(rows):
            if not value:
                continue
            texts = Column([Label(what, size=TEXT_SMALL, colour="muted", id=f"summary-{i}-what"),
                            Label(value, bold=True, id=f"summary-{i}")], gap=4)
            line = [texts] + ([Button(_("Change"), id=edit_id, on_tap=edit, about=what)] if edit else [])
            parts.append(Row(line, gap=20, padding=20, bg="surface"))
        actions: list[Widget] = []
        if booking_flow.contact_required(app):
            actions.append(Label(_("The terminal is offline: this sends a request for this time. The town hall "
                                   "confirms it by SMS or e-mail."), bold=True, id="offline-note"))
        if self.pending is not None:
            actions.append(Label(_("One moment…"), size=TEXT_BODY, bold=True, align="center", bg="surface",
                                 padding=32, id="waiting"))
        elif not self.alternatives:
            actions.append(Button(_("Confirm"), kind="primary", id="confirm", on_tap=self._confirm))
        width, height = app.display.logical
        if width > height:
            # Landscape: the decision beside the summary, so that « Confirmer » needs no scrolling.
            trouble = parts[:1] if (self.alternatives or self.problem) else []
            summary = parts[len(trouble):]
            return Row([Column(summary, gap=20), Column(trouble + actions, gap=20)], gap=40, wrap=False)
        return Column(parts + actions, gap=20)

    def _trouble(self, lang: str) -> Column:
        items: list[Widget] = [Label(self.problem, bold=True, colour="danger", id="problem")]
        if self.alternatives:
            buttons = []
            for alt in self.alternatives:
                start = datetime.fromisoformat(alt["start"]).astimezone(PARIS)
                buttons.append(Button(appointment_words(start, lang), id=f"alternative-{alt['id']}",
                                      on_tap=partial(self._take_alternative, alt)))
            items.append(Grid(buttons, columns=1, min_tile_height=0, gap=12, id="alternatives"))
        items.append(Button(_("Choose another time"), id="other-time", on_tap=self._edit_time))
        return Column(items, gap=16, padding=20, bg="surface", id="trouble")

    # -- editing ------------------------------------------------------------------------------
    def _back_to(self, screen_name: str) -> None:
        target = next((s for s in reversed(self.app.nav.stack) if s.name == screen_name), None)
        if target is not None:
            while self.app.nav.current is not target:
                self.app.nav.pop()
            target.rebuild()

    def _edit_service(self) -> None:
        self._back_to("booking")

    def _edit_time(self) -> None:
        self._back_to("booking_day")

    def _edit_person(self) -> None:
        self._back_to("booking_person")

    def _take_alternative(self, alt: dict[str, Any]) -> None:
        start = datetime.fromisoformat(alt["start"]).astimezone(PARIS)
        self.draft.slot = DaySlot(start, datetime.fromisoformat(alt["end"]).astimezone(PARIS),
                                  int(alt.get("places_left", 1)), (alt["id"],))
        self.draft.day = start.date()
        self.alternatives, self.problem = [], ""
        self.rebuild()

    # -- confirming ---------------------------------------------------------------------------
    def _confirm(self) -> None:
        self.problem = ""
        if booking_flow.contact_required(self.app) and not (self.person.get("phone") or self.person.get("email")):
            # The network went down since « Qui vient ? »: a request needs a way to confirm it.
            self.problem = booking_form.problem_text("contact_needed")
        else:
            self.pending = booking_flow.submit(self.app, self.person)
        self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending:
            self._answer(done.outcome)

    def _answer(self, outcome: Outcome) -> None:
        self.pending = None
        if outcome.status in (Status.DONE, Status.QUEUED):
            from screens.booking.done import BookingDoneScreen
            from screens.shell.home import HomeScreen

            self.draft.outcome = outcome
            self.app.nav.reset([HomeScreen(self.app), BookingDoneScreen(self.app)])
            return
        if outcome.status == Status.CONFLICT:
            self.alternatives = [a for a in outcome.alternatives if a.get("start")][:4]
            self.problem = _("This time was just taken by someone else. Here are the nearest free times:") \
                if self.alternatives else _("This time was just taken by someone else. Please choose another time.")
        else:
            self.problem = outcome.message + " " + _("You can try again, or change the time.")
        self.rebuild()
