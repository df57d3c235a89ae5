"""« Je n'ai pas de rendez-vous »: the services giving a number today, one tap for a number.

Each service is one tile saying how many people wait and for about how long (the central
API's queue board, read when the screen opens and every :data:`REFRESH_S` while it shows).
Offline, or when the board does not answer, the tiles follow the catalog's hours and the
screen says the wait cannot be estimated. A service that is closed, full for the day, about
to close or on appointment only says so on its tile, and a tap opens the booking flow on
that service instead. A tap on an open one asks for the number at once; the number screen
follows (and prints) when the answer comes. Further taps meanwhile change nothing: one
person, one number (see :mod:`kiosk.walkin.service`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kiosk import events
from kiosk.formatting import format_duration_min, format_time
from kiosk.i18n import _, ngettext
from kiosk.services.outcomes import Status
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from kiosk.walkin import service as walkin
from kiosk.walkin.offer import Choice, ordered
from screens.base import Screen
from screens.widgets import Button, Column, Grid, Label
from screens.widgets.base import Widget
from screens.widgets.icons import Icon
from screens.widgets.unavailable import data_unavailable

if TYPE_CHECKING:
    import pygame

    from kiosk.walkin.answer import QueueBoard
    from screens.base import ScreenHost

REFRESH_S = 30.0
#: A press unanswered after this long (the runner's two attempts are far shorter) lost its answer:
#: the screen was covered when it came. The person is told to ask at the desk.
GIVE_UP_S = 30.0


class WalkInScreen(Screen):
    name = "walkin"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.board: QueueBoard | None = None
        self.board_failed = False        # the last read did not answer: figures unknown
        self.reading: int | None = None  # the board read in flight
        self.next_read_at: float | None = None
        self.choices: list[Choice] = []
        self.refused: tuple[str, str | None] | None = None   # (service id, refusal code) of the last press

    def title(self) -> str:
        return _("Take a number")

    # -- the board ------------------------------------------------------------------------------
    def on_show(self) -> None:
        if self.reading is None and self.next_read_at is None:
            self._read_board()

    def _read_board(self) -> None:
        services = self.app.services
        if services is None:
            return
        self.next_read_at = None
        self.reading = walkin.read_board(services.actions.client_source)

    def board_read(self, board: QueueBoard | None) -> None:
        """The board came (``None``: it did not answer); the next read is due in :data:`REFRESH_S`."""
        self.reading = None
        self.board, self.board_failed = board, board is None
        self.next_read_at = self.app.clock.monotonic() + REFRESH_S
        self.rebuild()

    def tick(self, now: float) -> None:
        if self.next_read_at is not None and now >= self.next_read_at and self.reading is None:
            self._read_board()
        give_up_at = self._give_up_at()
        if give_up_at is not None and now >= give_up_at:
            state = walkin.visit_state(self.app.visit.drafts)
            walkin.give_up(self.app.visit.drafts)
            self.refused = (state.service_id or "", None)
            self.rebuild()

    def next_deadline(self) -> float | None:
        times = [t for t in (self.next_read_at if self.reading is None else None, self._give_up_at()) if t is not None]
        return min(times, default=None)

    def _give_up_at(self) -> float | None:
        if self._pending() is None:
            return None
        return walkin.visit_state(self.app.visit.drafts).pending_since + GIVE_UP_S

    def on_hide(self) -> None:
        """Left while a press is in flight: its answer will reach another screen; stop waiting
        for it (the action goes on from the outbox)."""
        if self not in self.app.nav.stack and self._pending() is not None:
            walkin.give_up(self.app.visit.drafts)

    @property
    def offline(self) -> bool:
        """No live figures: the network is down or the board did not answer."""
        services = self.app.services
        return self.board_failed or (services is not None and services.is_offline)

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> Widget:
        services = self.app.services
        if services is None or not services.availability.usable():
            return data_unavailable()
        now = self.app.clock.now()
        board = None if self.offline else self.board
        self.choices = ordered(walkin.choices(services, board, now))
        parts: list[Widget] = []
        pending = self._pending()
        if pending is not None:
            parts.append(Label(_("Just a moment, your number is coming…"), bold=True, bg="surface", padding=24,
                               id="taking"))
        elif self.refused is not None:
            parts.append(self._refusal())
        if not self.choices:
            parts.append(Label(_("No service gives numbers without appointment today. You can book an "
                                 "appointment."), bold=True, id="no-walk-in"))
            parts.append(Button(_("Book an appointment"), kind="primary", id="book", on_tap=self._book))
            return Column(parts, gap=28)
        if self.offline:
            parts.append(Label(_("Not connected: numbers are still given, without an estimate of the wait."),
                               size=TEXT_SMALL, bold=True, bg="surface", padding=16, id="offline-note"))
        elif board is None:
            parts.append(Label(_("Reading the waiting times…"), size=TEXT_SMALL, colour="muted", id="reading"))
        parts.append(Label(_("Touch the service you came for. Your number prints at once."), size=TEXT_BODY,
                           id="intro"))
        width, height = self.app.display.logical
        tiles = [self._tile(c) for c in self.choices]
        parts.append(Grid(tiles, columns=2 if width > height else 1, min_tile_height=170, id="walk-in-services"))
        return Column(parts, gap=24)

    def _tile(self, choice: Choice) -> Button:
        s = choice.service
        if choice.takes_numbers:
            return Button(s.name, kind="tile", icon=Icon.TICKET, subtitle=self._wait_words(choice), id=f"walkin-{s.id}",
                          on_tap=partial(self._take, choice))
        return Button(s.name, kind="tile", icon=Icon.HOURS, subtitle=self._closed_words(choice) + " "
                      + _("Touch to book an appointment."), id=f"book-{s.id}", on_tap=partial(self._book, s.id))

    def _wait_words(self, choice: Choice) -> str:
        lang = self.app.visit.settings.language
        if not choice.live:
            return _("Wait cannot be estimated offline.") if self.offline \
                else _("Waiting time not known yet.")
        waiting = choice.waiting or 0
        people = _("Nobody is waiting.") if waiting == 0 else \
            ngettext("{n} person waiting.", "{n} people waiting.", waiting).format(n=waiting)
        if choice.wait_minutes is None:
            return people + " " + _("The wait cannot be estimated now.")
        if choice.wait_minutes == 0:
            return people + " " + _("No wait.")
        return people + " " + _("About {duration}.").format(duration=format_duration_min(choice.wait_minutes, lang))

    def _closed_words(self, choice: Choice) -> str:
        lang = self.app.visit.settings.language
        today = self.app.clock.now().date()
        if choice.status == "closing_soon":
            if choice.closes_at is not None:
                return _("Numbers until {time}: too late to be seen today.").format(
                    time=format_time(choice.closes_at, lang))
            return _("Numbers stop soon: too late to be seen today.")
        if choice.status == "full":
            return _("Full for today.")
        if choice.status == "not_walk_in":
            return _("By appointment only.")
        if choice.status == "unknown":
            return _("Hours not known here: please ask at the reception desk.")
        if choice.opens_at is not None and choice.opens_at.date() == today:
            return _("Closed now. Numbers from {time}.").format(time=format_time(choice.opens_at, lang))
        return _("No more numbers today.")

    def _refusal(self) -> Widget:
        service_id, code = self.refused or ("", None)
        parts: list[Widget] = [Label(_(walkin.refusal(code)), bold=True, bg="surface", padding=24, id="refusal")]
        if code in walkin.BOOKING_INSTEAD:
            parts.append(Button(_("Book an appointment"), kind="primary", id="book-instead",
                                on_tap=partial(self._book, service_id)))
        return Column(parts, gap=16)

    # -- actions ------------------------------------------------------------------------------
    def _pending(self) -> int | None:
        return walkin.visit_state(self.app.visit.drafts).pending if walkin.DRAFT in self.app.visit.drafts else None

    def _take(self, choice: Choice) -> None:
        services = self.app.services
        if services is None:
            return
        first = self._pending() is None
        request = walkin.take_number(services, self.app.visit.drafts, choice.service, offline=self.offline)
        if request is None:            # this visit has its number: show it again
            self._show_number()
        elif first:
            self.refused = None
            self.rebuild()

    def _book(self, service_id: str | None = None) -> None:
        from screens.booking.choose_service import open_booking

        open_booking(self.app, service_id)

    def _show_number(self) -> None:
        from screens.walkin.number import WalkInNumberScreen

        self.app.nav.push(WalkInNumberScreen(self.app))

    def handle_event(self, event: pygame.event.Event) -> None:
        if (read := events.QueueBoardRead.of(event)) and read.answer.read_id == self.reading:
            self.board_read(read.answer.board)
        elif (done := events.ActionDone.of(event)) and done.request_id == self._pending():
            state = walkin.visit_state(self.app.visit.drafts)
            choice = next((c for c in self.choices if c.service.id == state.service_id), None)
            if choice is None:   # cannot be: the press came from a tile of this list
                walkin.forget(self.app.visit.drafts)
                self.rebuild()
                return
            given = walkin.settle(self.app.visit.drafts, choice.service, done.outcome, self.app.clock.now())
            if given is None:
                self.refused = (choice.service.id, done.outcome.code if done.outcome.status != Status.ERROR
                                else "storage_failed")
                walkin.forget(self.app.visit.drafts)
                self._read_board()   # the board was wrong about this service: read it again
                self.rebuild()
                return
            self._show_number()
        elif (net := events.NetworkStatus.of(event)) and net.online and self.board_failed and self.reading is None:
            self._read_board()   # back online: live figures again
