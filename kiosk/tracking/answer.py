"""What a lookup of a request number came to, as the screens receive it.

Apart from the service that computes it, because the ``TRACKING_RESULT`` event
(:mod:`kiosk.events`) carries one and the service posts that event: the event module
imports this one, and the service imports both, without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.api import models


@dataclass(frozen=True)
class TrackingAnswer:
    """What the screen shows. ``outcome`` is one of: found, unknown (the central API does
    not know the number), offline_unknown (no network and not remembered here),
    cooldown (too many unknown numbers: ``cooldown_s`` left), error (a fault of ours)."""

    lookup: int
    outcome: str
    request: models.TrackedRequest | None = None
    online: bool = False
    info_at: datetime | None = None     # when the central API last updated this status
    cooldown_s: int = 0
