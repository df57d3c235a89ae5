"""The services the screens call: availability, booking, booking request, cancellation, check-in.

Screens never touch SQLite or HTTP (DESIGN, convention 1); they call one of these.

**Reads** (:class:`~kiosk.services.availability.Availability`) come from the offline cache
only, synchronously, on the UI thread's own connection: they are sub-millisecond, and the
same whether the terminal is online or not.

**Actions** go through :class:`~kiosk.services.actions.ActionRunner`, libpretixsync's
online/offline providers: the outbox row is committed first, then sent at once with its
UUID as Idempotency-Key and a short timeout; if the network fails, the same row — same
key — is left to the sync worker. Each call returns at once with a ``request_id``; the
:class:`~kiosk.services.outcomes.Outcome` arrives later as an ``events.ACTION_DONE``
pygame event carrying ``request_id`` and ``outcome``. Why an event rather than a callback
or a future: the UI thread already waits on the event queue (the main loop sleeps on it),
every other thread already talks to screens that way (drivers, sync worker), and a screen
that was left meanwhile (idle reset) simply never sees the result — while the action,
being in the outbox, is still carried out.

A screen does::

    self.pending = self.app.services.book(service_id, day_slot, person)   # ValueError: a bug of ours
    ...
    def handle_event(self, event):
        if event.type == events.ACTION_DONE and event.request_id == self.pending:
            show(event.outcome)     # done / queued / conflict (alternatives) / refused / error
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping

from kiosk.clock import Clock
from kiosk.services import booking as _booking
from kiosk.services.actions import Action, ActionRunner
from kiosk.services.availability import Availability, DaySlot
from kiosk.services.checkin import checkin as _checkin
from kiosk.services.checkin import verify_token
from kiosk.services.outcomes import Outcome

__all__ = ["Services", "Availability", "DaySlot", "Outcome", "Action", "ActionRunner", "verify_token"]


class Services:
    """What a screen holds: ``availability`` for reads, one method per citizen action."""

    def __init__(self, cache_path: str | Path, *, client_source: Callable[[], Any], clock: Clock | None = None,
                 post: Callable[..., Any] | None = None, wake_sync: Callable[[], None] = lambda: None,
                 known_offline: Callable[[], bool] = lambda: False, timeout_s: float = 5.0,
                 offline: Callable[[], bool] | None = None) -> None:
        self.clock = clock or Clock()
        self._offline = offline     # how the owner judges being offline (default: see is_offline)
        self.availability = Availability(cache_path, self.clock)
        self.actions = ActionRunner(cache_path, client_source=client_source, clock=self.clock, post=post,
                                    wake_sync=wake_sync, known_offline=known_offline, timeout_s=timeout_s)

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
        slot_id = slot.slot_id if isinstance(slot, DaySlot) else slot
        return self.actions.submit(_booking.booking(service_id, slot_id, person, self.clock.now()))

    def request_booking(self, service_id: str, wanted_start: datetime, person: Mapping[str, Any],
                        wanted_slot_id: str | None = None) -> int:
        """The offline way: a request for a time, confirmed later (contact required)."""
        return self.actions.submit(_booking.booking_request(service_id, wanted_start, person, self.clock.now(),
                                                            wanted_slot_id))

    def cancel(self, reference: str, last_name: str) -> int:
        return self.actions.submit(_booking.cancellation(reference, last_name))

    def check_in(self, *, token: str | None = None, reference: str | None = None) -> int:
        """A scanned QR code (``token``) or a typed reference; the token is verified offline first."""
        return self.actions.submit(_checkin(self.clock.now(), token=token, reference=reference))

    def read_ticket(self, token: str) -> dict[str, Any]:
        """A scanned booking QR code checked here, offline (key, signature, revocation, expiry),
        for any day: what the cancellation screen shows. Raises ``TokenError`` otherwise
        (``UnknownKey`` when the signing key is not cached yet)."""
        return verify_token(self.availability.conn, token, self.clock.now(), any_day=True)

    def close(self) -> None:
        self.actions.close()
        self.availability.close()
