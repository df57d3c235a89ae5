"""The demo's scanner, fed by hand: pick a sample code or type one, and it is scanned.

Why: ``kiosk run --demo`` has no scanner, yet scanning is half of what a counter terminal
does. A code chosen here goes through the simulated scanner driver (its length and
character rules) and the one scan router, exactly as a real scan: the kiosk first goes back
to its home screen, where a person would scan, so what follows is what that person would see.
Reached from the admin screen when the scanner is the simulated one (always in the demo).
"""

from __future__ import annotations

from typing import ClassVar

import pygame

from kiosk import events
from kiosk.admin import demo_scans
from kiosk.i18n import _
from kiosk.services.outcomes import Status
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen, ScreenHost
from screens.widgets import AzertyKeyboard, Button, Column, Label, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER

FIELD = "admin_scan"
MAX_TYPED = 200     # the field's limit; the scanner's own limit (kiosk.devices.scan_codes) still applies


class AdminScanScreen(Screen):
    name = "admin_scan"
    is_admin = True
    #: the genuine ticket booked for each central API this run (one booking, however many taps)
    tickets: ClassVar[dict[str, str]] = {}

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.pending: int | None = None       # the sample booking's request id, while it is made
        self.forge = False                    # what to scan once that booking answers

    def title(self) -> str:
        return _("Scan a code")

    def compose(self) -> Widget:
        intro = Label(_("The code goes through the simulated scanner, like a real scan. The kiosk first goes back "
                        "to its home screen, where a person would scan it."), size=TEXT_BODY, id="scan-intro")
        codes = self.app.tracking.demo_codes() if self.app.demo else []
        samples: list[Widget] = []
        if codes:
            samples.append(Button(_("A receipt's number"), id="sample-receipt",
                                  on_tap=lambda: self._scan(codes[0])))
        genuine = Button(_("A genuine ticket"), id="sample-ticket", on_tap=lambda: self._ticket(forge=False))
        forged = Button(_("A forged ticket"), id="sample-forged", on_tap=lambda: self._ticket(forge=True))
        genuine.enabled = forged.enabled = self.app.services is not None and self.pending is None
        samples += [genuine, forged,
                    Button(_("A code not from the town"), id="sample-not-ours",
                           on_tap=lambda: self._scan(demo_scans.NOT_OURS))]
        self.status = Label(_("Booking a sample appointment…") if self.pending is not None else "",
                            size=TEXT_SMALL, colour="muted", id="scan-status")
        self.field = TextField(self.app.visit.fields, FIELD, caption=_("Or type a code"), max_length=MAX_TYPED,
                               id="typed-code")
        self.field.focused = True
        keyboard = AzertyKeyboard(self._key)     # the footer's « Retour » goes back to the admin screen
        return Column([intro, Row(samples, gap=20), self.status, self.field, keyboard], gap=24)

    def _key(self, key: str) -> None:
        if key == ENTER:
            text = self.field.value
            if text.strip():
                self.field.clear()
                self._scan(text)
            return
        if key == BACKSPACE:
            self.field.backspace()
        else:
            self.field.insert(key)

    def _scan(self, text: str) -> None:
        """Home first, then the scan: its ``SCAN_READ`` reaches the router after the home screen is on."""
        self.app.go_home()
        self.app.devices.scan_by_hand(text)

    # -- the two tickets, which need a real booking ---------------------------------------
    def _ticket(self, *, forge: bool) -> None:
        services, url = self.app.services, self.app.central_api_url or ""
        if services is None or self.pending is not None:
            return
        if url in self.tickets:
            self._scan(demo_scans.forged(self.tickets[url]) if forge else self.tickets[url])
            return
        found = demo_scans.first_bookable(services.availability)
        if found is None:
            self.toast(_("No free time to book a sample appointment yet: try again after a synchronisation."),
                       kind="warn")
            return
        service_id, slot = found
        self.forge = forge
        self.pending = services.book(service_id, slot, demo_scans.SAMPLE_PERSON)
        self.rebuild()

    def handle_event(self, event: pygame.event.Event) -> None:
        done = events.ActionDone.of(event)
        if done is None or done.request_id != self.pending:
            return
        self.pending = None
        token = str(done.outcome.result.get("checkin_token") or "") if done.outcome.status is Status.DONE else ""
        if not token:
            self.rebuild()
            self.toast(_("The central API gave no ticket (it may be unreachable): try again in a moment."),
                       kind="warn")
            return
        self.tickets[self.app.central_api_url or ""] = token
        self._scan(demo_scans.forged(token) if self.forge else token)
