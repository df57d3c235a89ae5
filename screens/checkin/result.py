"""What a check-in came to: the number (printed at once), or why not and what to do next.

Each case has its own plain sentence and next step (issue 12): checked in — « Vous êtes
enregistré(e) », the number very large, the service, the appointment's time, where to wait,
the people ahead and the wait (offline: why it cannot be estimated); scanned twice — the same
number and a reprint; too early — when check-in opens, and a number without appointment if
the service gives them; too late — a number without appointment or a new booking on that
service; another day — the date in words; cancelled; not a booking of this town; a reference
the town does not know. No name is shown: the screen is read over people's shoulders. The
screen erases itself ``[checkin] done_home_after_s`` after the last touch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.checkin.counter import Case, CheckinResult, CounterCheckin
from kiosk.clock import PARIS
from kiosk.devices.scan_codes import ScanKind
from kiosk.formatting import format_date_long, format_time
from kiosk.i18n import _
from kiosk.queue.ticket import people_ahead_words, wait_words
from kiosk.services.outcomes import GENERIC, MESSAGES
from kiosk.shell.ui import TEXT_BODY, TEXT_DISPLAY, TEXT_SMALL
from screens.base import Screen
from screens.printing.auto_print import AutoPrintedTicket
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.queue_number import QueueNumber

if TYPE_CHECKING:
    from kiosk.devices.scan_codes import ScannedCode
    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost

NUMBER_SIZE = TEXT_DISPLAY * 3      # read from a few steps away, by people with poor sight too
#: The home tile of « Je n'ai pas de rendez-vous » (kiosk/shell/features.py): offered to someone
#: too early or too late for their appointment, when the service gives numbers without one.
WALK_IN_FEATURE = "walkin"
#: The check-in's own tile: « Scanner à nouveau » opens it afresh (by its id: the check-in screen
#: opens this one, so importing it back would tie the two modules into a cycle).
CHECKIN_FEATURE = "checkin"


class CheckinResultScreen(AutoPrintedTicket):
    name = "checkin_result"
    scan_kinds = frozenset({ScanKind.CHECKIN_TOKEN})   # another booking scanned here: a new check-in

    def __init__(self, app: ScreenHost, result: CheckinResult) -> None:
        super().__init__(app)
        self.result = result
        self.counter = CounterCheckin.configured(app.services, app.config) if app.services else None
        self.wipe_after_s = app.config.checkin.done_home_after_s

    @property
    def has_ticket(self) -> bool:
        return self.result.view is not None

    def title(self) -> str:
        return {
            Case.CHECKED_IN: _("You are checked in"),
            Case.ALREADY: _("You are already checked in"),
            Case.TOO_EARLY: _("It is too early to check in"),
            Case.LATE: _("The time of your appointment has passed"),
            Case.OTHER_DAY: _("Your appointment is on another day"),
            Case.CANCELLED: _("This appointment was cancelled"),
            Case.NOT_OURS: _("This code cannot be used here"),
            Case.NOT_FOUND: _("No appointment found"),
        }.get(self.result.case, _("Check-in not possible"))

    # -- the pieces --------------------------------------------------------------------------------
    def compose(self) -> Widget:
        r = self.result
        if r.view is not None:
            return self._number()
        parts: list[Widget] = [Label(self._sentence(), size=TEXT_BODY + 4, bold=True, bg="surface", padding=24,
                                     id="sentence")]
        if self._next_step():
            parts.append(Label(self._next_step(), size=TEXT_BODY, id="next-step"))
        buttons: list[Widget] = []
        if r.case in (Case.TOO_EARLY, Case.LATE) and self._walk_in_offered():
            buttons.append(Button(_("Take a number without appointment"), kind="primary", id="walk-in",
                                  on_tap=self._walk_in))
        if r.case in (Case.LATE, Case.CANCELLED) and r.service_id:
            buttons.append(Button(_("Book a new appointment"), id="book", on_tap=self._book))
        if r.case in (Case.NOT_OURS, Case.NOT_FOUND, Case.REFUSED, Case.ERROR):
            buttons.append(Button(_("Scan again"), id="again", on_tap=self._again))
        buttons.append(Button(_("Finish"), kind="secondary" if buttons else "primary", id="finish",
                              on_tap=lambda: self.app.end_visit("check-in finished")))
        parts.append(Row(buttons, gap=20))
        return Column(parts, gap=24)

    def _number(self) -> Widget:
        r, lang = self.result, self.app.visit.settings.language
        view = r.view
        assert view is not None     # shown only with a ticket
        top: list[Widget] = []
        if r.case is Case.ALREADY:
            top.append(Label(_("Here is your number again; your ticket is printed again."), size=TEXT_BODY,
                             align="center", id="again-note"))
        if view.number:
            top += [Label(_("Your number"), size=TEXT_SMALL, colour="muted", align="center", id="number-title"),
                    QueueNumber(view.number, size=NUMBER_SIZE, id="number")]
        else:
            top.append(Label(_("Your arrival is recorded, but no number could be given. Please show your ticket at "
                               "the reception desk."), bold=True, bg="surface", padding=24, id="no-number"))
        facts: list[Widget] = [Label(view.service, bold=True, size=TEXT_BODY + 4, id="service-name")]
        if view.appointment is not None:
            facts.append(Label(_("Appointment at {time}").format(time=format_time(view.appointment.astimezone(PARIS),
                                                                                   lang)), size=TEXT_BODY, id="when"))
        if view.where:
            facts.append(Label(_("Wait in: {where}").format(where=view.where), size=TEXT_BODY, bold=True, id="where"))
        if view.people_ahead is not None:
            facts.append(Label(people_ahead_words(view.people_ahead), size=TEXT_BODY, id="ahead"))
        facts.append(Label(wait_words(view), size=TEXT_BODY, id="wait"))
        if view.number:
            facts.append(Label(_("Watch the waiting-room screen: your number will be called there."), size=TEXT_SMALL,
                               colour="muted", id="called"))
        facts.append(self.print_status(
            no_printer=_("This terminal cannot print: note your number."),
            cannot=_("The ticket cannot be printed; your check-in stands all the same. Note your number.")))
        buttons: list[Widget] = [*self.print_buttons()]
        buttons.append(Button(_("Finish"), kind="primary", id="finish",
                              on_tap=lambda: self.app.end_visit("check-in finished")))
        facts.append(Row(buttons, gap=20))
        width, height = self.app.display.logical
        if width > height:      # landscape: the number beside the words, nothing to scroll
            return Row([Column(top, gap=12), Column(facts, gap=16)], gap=64, wrap=False)
        return Column(top + facts, gap=20)

    def _sentence(self) -> str:
        r, lang = self.result, self.app.visit.settings.language
        service = self.counter.service(r.service_id).get("name", "") if self.counter else ""
        start = r.start.astimezone(PARIS) if r.start else None
        when = format_time(start, lang) if start else ""
        if r.case is Case.TOO_EARLY and r.opens_at is not None:
            return _("Check-in for your appointment at {time} ({service}) opens at {opens}.").format(
                time=when, service=service, opens=format_time(r.opens_at.astimezone(PARIS), lang))
        if r.case is Case.LATE and start is not None:
            return _("Your appointment was at {time} ({service}). It is too late to check in for it.").format(
                time=when, service=service)
        if r.case is Case.OTHER_DAY and start is not None:
            day = format_date_long(start.date(), lang)
            past = start.date() < self.app.clock.now().astimezone(PARIS).date()
            if service:
                text = _("Your appointment ({service}) was on {date} at {time}.") if past else \
                    _("Your appointment ({service}) is on {date} at {time}.")
            else:
                text = _("Your appointment was on {date} at {time}.") if past else \
                    _("Your appointment is on {date} at {time}.")
            return text.format(date=day, time=when, service=service)
        if r.case is Case.OTHER_DAY:
            return _("This appointment is not for today.")
        if r.case is Case.CANCELLED:
            return _("This appointment was cancelled. It cannot be checked in.")
        if r.case is Case.NOT_OURS:
            return _("This code is not an appointment of {town}, or it cannot be read.").format(
                town=self.app.config.branding.town_name)
        if r.case is Case.NOT_FOUND:
            return _("No appointment matches this reference. Check it on your ticket and type it again.")
        return _(MESSAGES.get(r.code or "", GENERIC))

    def _next_step(self) -> str:
        r = self.result
        if r.case is Case.TOO_EARLY:
            return _("Come back to this terminal then.") + (" " + _("Or take a number now, without appointment.")
                                                             if self._walk_in_offered() else "")
        if r.case is Case.LATE:
            return _("You can take a number without appointment, book a new appointment, or ask at the reception "
                     "desk.") if self._walk_in_offered() else \
                _("You can book a new appointment, or ask at the reception desk.")
        if r.case is Case.OTHER_DAY:
            return _("Come back that day, or ask at the reception desk.")
        if r.case is Case.CANCELLED:
            return _("You can book a new appointment, or ask at the reception desk.")
        if r.case is Case.NOT_OURS:
            return _("Please ask at the reception desk.")
        return ""

    # -- next steps ----------------------------------------------------------------------------
    def _feature(self, feature_id: str) -> Callable[[ScreenHost], Screen] | None:
        """A flow of this terminal, by its feature id (None: it is not offered here)."""
        return next((f.open for f in self.app.offered_features() if f.id == feature_id), None)

    def _walk_in_offered(self) -> bool:
        return (self.counter is not None and self.counter.accepts_walk_ins(self.result.service_id)
                and self._feature(WALK_IN_FEATURE) is not None)

    def _walk_in(self) -> None:
        opener = self._feature(WALK_IN_FEATURE)
        if opener is not None:
            self.app.nav.replace(opener(self.app))

    def _checkin_screen(self) -> Screen | None:
        opener = self._feature(CHECKIN_FEATURE)
        return opener(self.app) if opener is not None else None

    def _book(self) -> None:
        from screens.booking.choose_service import open_booking

        self.app.nav.pop(self)
        open_booking(self.app, self.result.service_id)

    def _again(self) -> None:
        screen = self._checkin_screen()
        if screen is not None:
            self.app.nav.replace(screen)

    def handle_scan(self, code: ScannedCode) -> None:
        screen = self._checkin_screen()
        take = getattr(screen, "handle_scan", None)
        if screen is not None and take is not None:
            self.app.nav.replace(screen)
            take(code)

    # -- printing --------------------------------------------------------------------------------
    def ticket_to_print(self) -> Ticket | None:
        if self.counter is None or self.result.view is None:
            return None
        return self.counter.ticket(self.result.view)
