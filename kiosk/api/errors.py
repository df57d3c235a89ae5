"""What can go wrong when the kiosk talks to the central API, as one exception tree.

The caller never looks at HTTP status codes or ``requests`` exceptions: it catches one of
these and reads :attr:`ApiError.retryable`, which is the only decision that matters to
it (libpretixsync's habit):

* ``retryable = True`` — the action is not lost, it is not done *yet*: keep the outbox
  row (``mark_retry``), keep the cache as it is, try again later (network down, timeout,
  5xx, 408/429/503, a TLS failure, an answer that did not parse);
* ``retryable = False`` — the server decided, asking again gets the same verdict: mark
  the outbox row failed with the server's message (:class:`FinalRefusal` and subclasses).

:class:`Unauthorized`/:class:`DeviceRevoked` are final for the *terminal*, not for one
action: the sync worker stops sending and keeps every row (a re-enrolled terminal sends
them), it does not mark them failed.

``str(exc)`` never carries personal data: it is built from status codes, error codes and
the server's ``message``, which the outbox scrubs of the row's personal values anyway.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of every client error. ``status`` is the HTTP status when there was an answer."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 details: dict[str, Any] | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status, self.code = status, code
        self.details = details or {}
        self.retry_after = retry_after   # seconds the server asked us to wait, if it said


# -- not done yet: keep everything, try again later ---------------------------------------
class Timeout(ApiError):
    """No answer in time (connect or read timeout). The server may have acted: resend with
    the same Idempotency-Key, never a new one."""

    retryable = True


class Unavailable(ApiError):
    """The server could not be reached: connection refused or reset, DNS, no route."""

    retryable = True


class TlsFailure(Unavailable):
    """The server's certificate is not trusted (not in the CA bundle, wrong name, expired).
    Retryable so no action is lost, but it will not heal by itself: a technician must fix
    the certificate or ``api.ca_bundle``; the message says so."""


class ServerError(Unavailable):
    """A 5xx answer: the server is there but failed."""


class RetryLater(Unavailable):
    """429, 503 or 408: the server asks us to come back; ``retry_after`` in seconds when it said."""


class InvalidResponse(ApiError):
    """The answer was malformed: not JSON, truncated, or not the contract's shape. The
    caller keeps its previous cache; an outbox row stays pending (the server's stored
    answer is replayed at the next attempt)."""

    retryable = True


# -- decided: asking again gets the same verdict ------------------------------------------
class FinalRefusal(ApiError):
    """A 4xx other than 408/429: ``code`` and ``message`` are the server's."""


class NotFound(FinalRefusal):
    """404: no such booking, agenda, tracking code..."""


class Conflict(FinalRefusal):
    """409: the slot is gone (``alternatives``: the nearest free ones, for the screen), or
    the booking is in a state that forbids the action."""

    @property
    def alternatives(self) -> list[dict[str, Any]]:
        alternatives = self.details.get("alternatives")
        return list(alternatives) if isinstance(alternatives, list) else []


class Unauthorized(FinalRefusal):
    """401: the token is not accepted (not enrolled, or the credentials file is stale)."""


class DeviceRevoked(Unauthorized):
    """401 ``device_revoked``: the town switched this terminal off; stop syncing."""


class CredentialsError(ApiError):
    """The credentials file is missing, malformed or readable by others; the message says
    what a technician should do. Not retryable: nothing changes until someone acts."""
