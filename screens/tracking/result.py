"""Where a request stands: its type, the current step in words, the department's message,
the timeline of steps, and how fresh the information is. Nothing personal: the central API
sends none for this call, and the screen erases itself after a short time without a touch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.booking.tickets import tracking_slip
from kiosk.clock import PARIS
from kiosk.formatting import format_date_long, format_datetime_long
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, TEXT_TITLE
from kiosk.tracking.progress import progress
from screens.base import Screen
from screens.printing.ticket_printing import TicketPrinting
from screens.widgets import Button, Column, Label, Row
from screens.widgets.base import Widget
from screens.widgets.timeline import TimelineStep

if TYPE_CHECKING:
    import pygame

    from kiosk.tracking.answer import TrackingAnswer
    from screens.base import ScreenHost


class TrackingResultScreen(Screen):
    name = "tracking_result"

    def __init__(self, app: ScreenHost, answer: TrackingAnswer) -> None:
        super().__init__(app)
        if answer.request is None:
            raise ValueError("a tracking result needs a found request")
        self.answer = answer
        self.request = answer.request
        self.progress = progress(answer.request)    # the one reading of its steps (also the slip's)
        self.wipe_after_s = app.config.tracking.wipe_after_s
        self.printing = TicketPrinting(
            self, done=_("Your slip is printed. Take it below the screen."),
            failed=_("The slip could not be printed. The information stays on the screen."))

    def title(self) -> str:
        return _("Your request")

    def _lang(self) -> str:
        return self.app.visit.settings.language

    def compose(self) -> Widget:
        req, lang = self.request, self._lang()
        head = [Label(req.request_type, size=TEXT_TITLE - 4, bold=True, id="request-type")]
        filed = next((s.date for s in req.steps if s.date is not None), None)
        facts = _("Number {code}").format(code=req.tracking_code)
        if filed is not None:
            facts += " · " + _("filed on {date}").format(date=format_date_long(filed, lang))
        head.append(Label(facts, size=TEXT_SMALL, colour="muted", id="request-facts"))
        status: list[Widget] = [Column(head, gap=8), self._status()]
        message: list[Widget] = [self._message()] if req.message else []
        steps: list[Widget] = [Column([Label(_("Steps"), bold=True, id="steps-title"), self._timeline()], gap=16)] \
            if self.progress.steps else []
        freshness = Label(self._freshness(), size=TEXT_SMALL, colour="muted", id="freshness")
        if self.app.display.logical[0] > self.app.display.logical[1]:
            # Landscape: what the request is and the actions on the left, so that they need no
            # scrolling; the department's message and the steps on the right.
            return Row([Column(status + [freshness, self._actions()], gap=32),
                        Column(message + steps, gap=32)], gap=48, wrap=False)
        return Column(status + message + steps + [freshness, self._actions()], gap=32)

    def _status(self) -> Label:
        return Label(self.progress.headline(self.request.status), size=TEXT_BODY, bold=True, bg="surface",
                     padding=24, id="current-step")

    def _message(self) -> Column:
        rows: list[Widget] = [Label(_("Message from the department"), bold=True, id="message-title"),
                              Label(self.request.message or "", id="message")]
        if self.progress.can_answer:     # only when the department waits for something
            portal = self.app.config.tracking.portal_url.split("://", 1)[-1].rstrip("/")
            rows.append(Label(_("You can answer on {portal} or bring it to the town hall reception.")
                              .format(portal=portal), size=TEXT_SMALL, id="message-where"))
        return Column(rows, gap=12, padding=24, bg="surface", id="message-box")

    def _timeline(self) -> Column:
        steps, lang = self.progress.steps, self._lang()
        rows = []
        for i, step in enumerate(steps):
            if step.state == "done":
                detail = _("Done on {date}").format(date=format_date_long(step.date, lang)) if step.date \
                    else _("Done")
            elif step.state == "current":
                detail = _("In progress")
            else:
                detail = _("To come")
            rows.append(TimelineStep(step.label, detail, step.state, first=i == 0, last=i == len(steps) - 1,
                                     id=f"step-{i}"))
        return Column(rows, gap=0, id="timeline")

    def _freshness(self) -> str:
        info_at = self.answer.info_at
        if info_at is None:
            return ""
        when = format_datetime_long(info_at.astimezone(PARIS), self._lang())
        if self.answer.online:
            return _("Information as of {when}.").format(when=when)
        return _("Offline: information as of {when}. It may have changed since.").format(when=when)

    def _actions(self) -> Column:
        buttons = []
        if self.printing.available:
            buttons.append(Button(_("Print"), id="print", on_tap=self._print))
        buttons += self.printing.hear_buttons()
        buttons.append(Button(_("Another number"), id="another", on_tap=self.dismiss))
        buttons.append(Button(_("Finish"), kind="primary", id="finish",
                              on_tap=lambda: self.app.end_visit("tracking finished")))
        out: list[Widget] = [Row(buttons, gap=20)]
        problem = self.printing.problem()
        if problem:
            out.insert(0, Label(problem, size=TEXT_SMALL, colour="muted", id="no-print"))
        return Column(out, gap=16)

    # -- printing ----------------------------------------------------------------------------
    def _print(self) -> None:
        app = self.app
        slip = tracking_slip(self.request, town=app.config.branding.town_name,
                             portal_url=app.config.tracking.portal_url, info_at=self.answer.info_at,
                             online=self.answer.online, printed_at=app.clock.now(), language=self._lang())
        self.printing.submit(slip)

    def handle_event(self, event: pygame.event.Event) -> None:
        self.printing.handle_event(event)
