"""The rules a request's instants follow beyond their shape (openapi.yaml, « Plausibility »).

A schema can say "an RFC 3339 instant", not "an instant near now": a booking stamped in the
year 187 or a check-in replayed with ``scanned_at`` set back to the appointment day two days
after its token expired are well formed. Backdating exists for one reason, a terminal sending
its outbox after an outage, so it is bounded by how long such an outage may sensibly last:

* ``created_at`` at most :data:`MAX_ACTION_AGE` behind the server's clock: the idempotency
  memory (:data:`idempotency.KEY_TTL`), so an action too old to be recognised as a retry is
  refused rather than possibly executed twice;
* ``scanned_at`` at most :data:`MAX_CHECKIN_DELAY` behind: a check-in is only worth anything on
  its day;
* both at most :data:`MAX_CLOCK_AHEAD` ahead (a terminal's clock drifts a little, not more);
* ``wanted_start`` at most :data:`MAX_HORIZON` ahead: no town opens its agenda further.

Refusals are 400 ``invalid_request`` naming the field: final for the outbox row, as the
contract's error table says.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .errors import ApiError
from .idempotency import KEY_TTL

MAX_CLOCK_AHEAD = timedelta(minutes=5)
MAX_ACTION_AGE = KEY_TTL
MAX_CHECKIN_DELAY = timedelta(hours=24)
MAX_HORIZON = timedelta(days=366)


def _hours(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 3600)} hours"


def stamped(field: str, when: datetime, now: datetime, max_age: timedelta) -> None:
    """``when`` (stamped by the terminal) lies in ``[now - max_age, now + MAX_CLOCK_AHEAD]``."""
    if when > now + MAX_CLOCK_AHEAD:
        raise ApiError(400, "invalid_request", f"{field} is in the future: check the terminal's clock",
                       {"field": field})
    if when < now - max_age:
        raise ApiError(400, "invalid_request", f"{field} is more than {_hours(max_age)} old: "
                       "an action is sent within that time or not at all", {"field": field})


def wanted(field: str, when: datetime, after: datetime, now: datetime) -> None:
    """``when`` (a wished time) comes after ``after`` and within :data:`MAX_HORIZON` of ``now``."""
    if when <= after:
        raise ApiError(400, "invalid_request", f"{field} must be after created_at", {"field": field})
    if when > now + MAX_HORIZON:
        raise ApiError(400, "invalid_request", f"{field} is more than {MAX_HORIZON.days} days ahead",
                       {"field": field})
