"""What the démarche screens call: the forms this terminal offers, a session, streets, filing.

Reads come from the offline cache on the UI thread's connection (sub-millisecond: a handful
of forms and a few hundred streets). Filing a démarche is a citizen's action like a booking
(:mod:`kiosk.services.actions`): the outbox row is committed first, then sent at once with its
UUID as Idempotency-Key; offline, or without an answer in time, it stays for the sync worker
and the receipt says « pending » (the number will be sent by SMS or e-mail — which is why the
engine asks for a contact before confirming offline, see :meth:`Session.needs_contact
<kiosk.demarches.engine.Session.needs_contact>`).

A screen does::

    service = self.app.services.demarches
    cards = service.offered(language)                 # the tiles
    session = service.start(card.id, language)        # FormUnavailable if it was withdrawn meanwhile
    ...                                               # session.page / set_answer / next / summary
    self.pending = service.submit(session)            # ValueError: a bug of ours (not ready)
    def handle_event(self, event):
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending:
            receipt = service.receipt(session, done.outcome); session.wipe()
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.clock import Clock
from kiosk.demarches.engine import Session
from kiosk.demarches.form import FormDefinition, FormUnavailable, parse_form
from kiosk.demarches.views import BeforeView, FormCard, Receipt, Street, card_of

if TYPE_CHECKING:
    from kiosk.config.models import DemarchesConfig
    from kiosk.printing.document import Ticket
    from kiosk.services.actions import ActionRunner
    from kiosk.services.outcomes import Outcome

__all__ = ["BeforeView", "DemarchesService", "FormCard", "Receipt", "Street"]

log = logging.getLogger("kiosk.demarches")
PARSED_KEPT = 16   # parsed definitions kept in memory (a few forms; bounded all the same)


class DemarchesService:
    """The démarches of this terminal (its ``[terminal] profile``), in the cache the sync fills."""

    def __init__(self, conn_source: Callable[[], sqlite3.Connection], *, clock: Clock, profile: str,
                 config: DemarchesConfig | None = None, here: tuple[float, float] | None = None,
                 here_address: str | None = None, portal_url: str | None = None,
                 actions: Callable[[], ActionRunner] | None = None,
                 is_offline: Callable[[], bool] = lambda: False) -> None:
        self._conn = conn_source
        self.clock = clock
        self.profile = profile
        self.config = config
        self.here, self.here_address = here, here_address   # the terminal's [location]: « ici »
        self.portal_url = portal_url                        # [tracking] portal_url, for the QR code
        self._actions = actions
        self._is_offline = is_offline
        self._parsed: dict[tuple[str, int], FormDefinition] = {}

    # -- reads (UI thread) ----------------------------------------------------------------------
    def _definition(self, form_id: str, version: int, body: dict[str, Any]) -> FormDefinition:
        key = (form_id, version)
        form = self._parsed.get(key)
        if form is None:
            form = parse_form(body)   # FormUnavailable: checked at sync already, so rare
            if len(self._parsed) >= PARSED_KEPT:
                self._parsed.clear()
            self._parsed[key] = form
        return form

    def offered(self, language: str) -> list[FormCard]:
        """The démarches this terminal offers, in the catalog's order of ids: only available
        definitions whose profiles include this terminal's."""
        from offline_cache.forms import stored_forms

        cards = []
        for stored in stored_forms(self._conn(), profile=self.profile):
            if not stored.available:
                continue
            try:
                form = self._definition(stored.id, stored.version, stored.body)
            except FormUnavailable:
                continue
            cards.append(card_of(form, language))
        return cards

    def start(self, form_id: str, language: str) -> Session:
        """A new session on the current version of ``form_id``; :class:`FormUnavailable` when it
        is no longer offered here (withdrawn, made unavailable, or not for this profile)."""
        from offline_cache.forms import stored_form

        stored = stored_form(self._conn(), form_id)
        if stored is None or not stored.available or self.profile not in stored.profiles:
            raise FormUnavailable(form_id, "not offered on this terminal")
        return Session(self._definition(stored.id, stored.version, stored.body), language, names=self._name_of)

    def search_streets(self, text: str, limit: int = 8) -> list[Street]:
        """Streets of the town whose name holds every typed word (accents and case ignored)."""
        from offline_cache.forms import search_streets

        return [Street(r["id"], r["name"], r["postcode"], r["latitude"], r["longitude"])
                for r in search_streets(self._conn(), text, limit)]

    def _name_of(self, kind: str, ident: str) -> str | None:
        from offline_cache.forms import street

        if kind == "street":
            found = street(self._conn(), ident)
            return str(found["name"]) if found else None
        if kind == "place":
            row = self._conn().execute("SELECT name FROM places WHERE id = ?", (ident,)).fetchone()
            return str(row[0]) if row else None
        return None

    @property
    def is_offline(self) -> bool:
        """Whether a filing now would wait in the outbox (ask for a contact first)."""
        return self._is_offline()

    # -- filing -------------------------------------------------------------------------------
    def submit(self, session: Session) -> int:
        """File the session's answers: the outbox row first, then sent at once. Returns the
        ``request_id`` of the ``ActionDone`` event that brings the :class:`Outcome`; turn it into a
        :class:`Receipt` with :meth:`receipt`. ``ValueError`` when the session is not ready
        (a page refuses its answers, or offline without a contact): the screen's bug."""
        if self._actions is None:
            raise RuntimeError("this service has no action runner (no data layer)")
        return self._actions().submit(self.action(session))

    def submit_now(self, session: Session) -> Receipt:
        """The same, synchronously in the caller's thread (tests, the CLI): the receipt."""
        if self._actions is None:
            raise RuntimeError("this service has no action runner (no data layer)")
        return self.receipt(session, self._actions().run(self.action(session)))

    def action(self, session: Session) -> Any:
        """The outbox action of a ready session (see :mod:`kiosk.demarches.filing`)."""
        from kiosk.demarches.filing import Whereabouts, demarche_action
        from offline_cache.forms import street

        def place(ident: str) -> dict[str, Any] | None:
            row = self._conn().execute("SELECT name, address, lat, lon FROM places WHERE id = ?", (ident,)).fetchone()
            return None if row is None else {"name": row[0], "address": row[1], "lat": row[2], "lon": row[3]}

        c = self.config
        return demarche_action(session, filed_at=self.clock.now(), offline=self.is_offline,
                               reports_to=c.reports_to if c is not None else "contract",
                               open311_url=c.open311_url if c is not None else None,
                               where=Whereabouts(self.here, self.here_address,
                                                 lambda ident: street(self._conn(), ident), place))

    def receipt(self, session: Session, outcome: Outcome) -> Receipt:
        """What the person is told, in the session's language, from the action's outcome."""
        from kiosk.demarches.filing import receipt_of

        return receipt_of(session, outcome, portal_url=self.portal_url)

    def receipt_ticket(self, receipt: Receipt, *, town: str, language: str,
                       printed_at: datetime | None = None) -> Ticket:
        """The printed receipt (kiosk.printing.document): title, the number large, its QR code,
        what happens next; pending: the number will be sent by SMS or e-mail."""
        from kiosk.demarches.receipt import receipt_ticket

        return receipt_ticket(receipt, town=town, language=language, printed_at=printed_at or self.clock.now())
