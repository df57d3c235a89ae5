"""The services the screens call: availability, booking, booking request, cancellation, check-in.

Screens never touch SQLite or HTTP (DESIGN, convention 1); they call one of these.

**Reads** (:class:`~kiosk.booking.availability.Availability`) come from the offline cache
only, synchronously, on the UI thread's own connection: they are sub-millisecond, and the
same whether the terminal is online or not.

**Actions** go through :class:`~kiosk.services.actions.ActionRunner`, libpretixsync's
online/offline providers: the outbox row is committed first, then sent at once with its
UUID as Idempotency-Key and a short timeout; if the network fails, the same row — same
key — is left to the sync worker. Each call returns at once with a ``request_id``; the
:class:`~kiosk.services.outcomes.Outcome` arrives later as an ``events.ActionDone``
pygame event carrying ``request_id`` and ``outcome``. Why an event rather than a callback
or a future: the UI thread already waits on the event queue (the main loop sleeps on it),
every other thread already talks to screens that way (drivers, sync worker), and a screen
that was left meanwhile (idle reset) simply never sees the result — while the action,
being in the outbox, is still carried out.

A screen does::

    self.pending = self.app.services.book(service_id, day_slot, person)   # ValueError: a bug of ours
    ...
    def handle_event(self, event):
        if (done := events.ActionDone.of(event)) and done.request_id == self.pending:
            show(done.outcome)      # done / queued / conflict (alternatives) / refused / error
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.booking.availability import Availability, DaySlot
from kiosk.clock import Clock
from kiosk.services.outcomes import Action, Kind, Outcome, Status

if TYPE_CHECKING:
    from kiosk.booking.cancel_check import CancelChecker
    from kiosk.config.models import KioskConfig
    from kiosk.demarches.service import DemarchesService
    from kiosk.services.actions import ActionRunner

__all__ = ["Services", "Availability", "DaySlot", "Outcome", "Status", "Kind", "Action", "ActionRunner", "verify_token"]

# The app creates Services before its first frame, so this module imports only the light
# parts (SQLite reads, outcomes). Sending (requests, the API models) and token checks
# (cryptography) are imported at first use — and warmed up by the data layer's start-up thread
# after the first frame, so that the first « Confirmer » does not pay for them either.
_LAZY = {"ActionRunner": "kiosk.services.actions", "verify_token": "kiosk.checkin.service"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kiosk.services' has no attribute {name!r}")


def warm_up(*, tickets: bool) -> None:
    """Import what actions need (call from a background thread). ``tickets``: also the Ed25519
    code that checks a scanned ticket (about 7 MiB resident): a counter terminal, where
    check-ins are the daily work, loads it now; a street totem at its first scanned ticket."""
    import kiosk.booking.service
    import kiosk.checkin.service
    import kiosk.services.actions  # noqa: F401

    if tickets:
        import cryptography.hazmat.primitives.asymmetric.ed25519  # noqa: F401


class Services:
    """What a screen holds: ``availability`` for reads, one method per citizen action."""

    def __init__(self, cache_path: str | Path, *, client_source: Callable[[], Any], clock: Clock | None = None,
                 post: Callable[..., Any] | None = None, wake_sync: Callable[[], None] = lambda: None,
                 known_offline: Callable[[], bool] = lambda: False, timeout_s: float = 5.0,
                 offline: Callable[[], bool] | None = None, config: KioskConfig | None = None) -> None:
        self.clock = clock or Clock()
        self.config = config        # the terminal's configuration (profile, [location]...), if known
        self._offline = offline     # how the owner judges being offline (default: see is_offline)
        self.availability = Availability(cache_path, self.clock)
        self.cache_path = cache_path

        def new_runner() -> ActionRunner:
            from kiosk.services.actions import ActionRunner

            return ActionRunner(cache_path, client_source=client_source, clock=self.clock, post=post,
                                wake_sync=wake_sync, known_offline=known_offline, timeout_s=timeout_s)

        self._new_runner = new_runner
        self._actions: ActionRunner | None = None
        self._client_source, self._known_offline = client_source, known_offline
        self._timeout_s, self._post = timeout_s, post
        self._cancel_checker: CancelChecker | None = None
        self._demarches: DemarchesService | None = None

    @property
    def actions(self) -> ActionRunner:
        """The :class:`~kiosk.services.actions.ActionRunner`, made at the first action."""
        if self._actions is None:
            self._actions = self._new_runner()
        return self._actions

    @property
    def demarches(self) -> DemarchesService:
        """« Faire une démarche » (:class:`~kiosk.demarches.service.DemarchesService`): the forms
        this terminal offers, sessions, streets, filing. Made at first use, with this terminal's
        profile, ``[location]``, ``[demarches]`` and ``[tracking] portal_url`` when ``config`` is set."""
        if self._demarches is None:
            from kiosk.demarches.service import DemarchesService

            c = self.config
            self._demarches = DemarchesService(
                lambda: self.availability.conn, clock=self.clock,
                profile=c.terminal.profile if c is not None else "street",
                config=c.demarches if c is not None else None,
                here=(c.location.latitude, c.location.longitude) if c is not None else None,
                here_address=c.location.address if c is not None else None,
                portal_url=c.tracking.portal_url if c is not None else None,
                actions=lambda: self.actions, is_offline=lambda: self.is_offline)
        return self._demarches

    @property
    def is_offline(self) -> bool:
        """No action would reach the central API now (no client yet, or the sync worker
        says the network is down): a booking becomes a request, which needs a contact."""
        if self._offline is not None:
            return self._offline()
        return self.actions.known_offline() or self.actions.client_source() is None

    def book(self, service_id: str, slot: DaySlot | str, person: Mapping[str, Any]) -> int:
        """Book ``slot`` (a :class:`DaySlot`: its best counter) for ``person``
        ({last_name, first_name, phone?, email?})."""
        from kiosk.booking import service as _booking

        slot_id = slot.slot_id if isinstance(slot, DaySlot) else slot
        return self.actions.submit(_booking.booking(service_id, slot_id, person, self.clock.now()))

    def request_booking(self, service_id: str, wanted_start: datetime, person: Mapping[str, Any],
                        wanted_slot_id: str | None = None) -> int:
        """The offline way: a request for a time, confirmed later (contact required)."""
        from kiosk.booking import service as _booking

        return self.actions.submit(_booking.booking_request(service_id, wanted_start, person, self.clock.now(),
                                                            wanted_slot_id))

    def cancel(self, reference: str, last_name: str) -> int:
        """Cancel by the reference and the last name typed by the person."""
        from kiosk.booking import service as _booking

        return self.actions.submit(_booking.cancellation(reference, last_name))

    def check_cancel(self, reference: str, last_name: str) -> int:
        """Ask which appointment :meth:`cancel` would cancel, before the person confirms; the
        answer comes back as a ``CANCEL_CHECKED`` event carrying the number returned here."""
        if self._cancel_checker is None:
            from kiosk.booking.cancel_check import CancelChecker

            self._cancel_checker = CancelChecker(self._client_source, known_offline=self._known_offline,
                                                 timeout_s=self._timeout_s, post=self._post)
        return self._cancel_checker.check(reference, last_name)

    def cancel_by_token(self, token: str) -> int:
        """Cancel with the ticket's QR code (verified on the terminal first)."""
        from kiosk.booking import service as _booking

        return self.actions.submit(_booking.cancellation_by_token(token, self.clock.now()))

    def read_ticket(self, token: str) -> dict[str, Any]:
        """What a scanned ticket says (reference, service, start), to show before cancelling or
        checking in; raises :class:`~kiosk.api.checkin_token.TokenError` (``args[0]`` a refusal
        code, see :data:`~kiosk.services.outcomes.MESSAGES`) for a forged, expired or cancelled
        one, ``UnknownKey`` when the cache cannot judge it yet. Synchronous: one SQLite read and
        one signature check, well under a millisecond."""
        from kiosk.checkin.service import verify_token

        claims = verify_token(self.availability.conn, token, self.clock.now(), any_day=True)
        return {**claims, "reference": claims.get("ref"), "service_id": claims.get("svc"),
                "start": claims.get("start"), "slot_id": claims.get("slot")}   # the token's claims too

    def check_in(self, *, token: str | None = None, reference: str | None = None) -> int:
        """A scanned QR code (``token``) or a typed reference; the token is verified offline first."""
        from kiosk.checkin.service import checkin as _checkin

        return self.actions.submit(_checkin(self.clock.now(), token=token, reference=reference))


    def close(self) -> None:
        if self._actions is not None:
            self._actions.close()
        self.availability.close()
