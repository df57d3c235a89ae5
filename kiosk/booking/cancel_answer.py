"""What a cancellation check came to, as the cancel screen receives it.

Apart from the checker (:mod:`kiosk.booking.cancel_check`) because the ``CANCEL_CHECKED``
event (:mod:`kiosk.events`) carries one and the checker posts that event: the event module
imports this one, and the checker imports both, without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CancelCheck:
    """``outcome``: found (``booking``: reference, service_id, start, end), not_found (nothing
    matches the reference and the name), not_cancellable (``code``: the contract's reason),
    unchecked (offline, or no answer in time: the cancellation can still be recorded)."""

    lookup: int
    outcome: str
    booking: dict[str, Any] = field(default_factory=dict)
    code: str | None = None
