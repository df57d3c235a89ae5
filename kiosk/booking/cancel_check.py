"""Before « Oui, l'annuler »: which appointment a typed reference and last name would cancel.

A typed reference used to go straight to the confirm step, which showed only the reference
and the name; a reference that matched nothing was said only after the person confirmed.
Now the terminal asks the central API first (``checkBookingCancel``: the cancellation's own
proof and answers, nothing changed) and the confirm step shows the service, the day and the
time, or the form says at once that nothing matches. Like a tracking lookup: one attempt,
a short timeout, in a thread, the answer back as a ``CANCEL_CHECKED`` event. Offline the
check cannot be made: the confirm step says so, and the cancellation waits in the outbox
as before. A scanned ticket needs no check: its signed code already says what it is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import events
from kiosk.api import references
from kiosk.booking.cancel_answer import CancelCheck

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient

log = logging.getLogger(__name__)

# The references people copy from their ticket (openapi.yaml, « References »; kiosk.api.references):
# a terminal's own (K7M-Q4HP-XRE, with a check character) and the central API's (RDV-QXNG-SR,
# DEM-4H8N-T2). People copy them from paper: « rdvqxngsr » is RDV-QXNG-SR.
KNOWN_PREFIXES = references.SERVER_PREFIXES


def normalised_reference(typed: str) -> str:
    """A typed reference as printed: upper case, the dashes people type (or leave out) made
    the printed hyphens. A shape this terminal does not know keeps its own groups."""
    return references.normalised(typed)


def reference_typo(reference: str) -> bool:
    """A terminal's reference whose check character does not match: a mistyped character,
    said to the person at once (no server could find it)."""
    return references.typing_problem(reference) is not None


class CancelChecker:
    def __init__(self, client_source: Callable[[], ApiClient | None], *, known_offline: Callable[[], bool],
                 timeout_s: float, post: Callable[..., Any] | None = None) -> None:
        self.client_source, self.known_offline = client_source, known_offline
        self.timeout_s, self.post = timeout_s, post or events.post
        self._lookups = 0
        self._threads: list[threading.Thread] = []

    def check(self, reference: str, last_name: str) -> int:
        """Start the check; returns the lookup number its ``CANCEL_CHECKED`` event carries."""
        self._lookups += 1
        number = self._lookups
        thread = threading.Thread(target=self._run, args=(number, reference, last_name),
                                  name=f"cancel-check-{number}", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return number

    def join(self, timeout: float = 10.0) -> None:
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, number: int, reference: str, last_name: str) -> None:
        try:
            answer = self._answer(number, reference, last_name)
        except Exception:   # a bug here must not leave the person waiting: confirm without the details
            log.exception("cancel check %d failed", number)
            answer = CancelCheck(number, "unchecked")
        log.info("cancel check %d: %s", number, answer.outcome)   # never the reference nor the name
        events.CancelChecked(check=answer).post(self.post)

    def _answer(self, number: int, reference: str, last_name: str) -> CancelCheck:
        from kiosk.api.errors import ApiError, Conflict, FinalRefusal, NotFound, Unauthorized

        source = None if self.known_offline() else self.client_source()
        if source is None:
            return CancelCheck(number, "unchecked")
        client = source.clone(max_attempts=1, connect_timeout_s=min(source.timeout[0], self.timeout_s),
                              read_timeout_s=self.timeout_s)
        try:
            booking = client.check_cancel(reference, {"reference": reference, "last_name": last_name,
                                                      "terminal_id": client.device_id})
        except NotFound:
            return CancelCheck(number, "not_found", code="not_found")
        except Conflict as exc:
            return CancelCheck(number, "not_cancellable", code=exc.code or "invalid_state")
        except Unauthorized:
            return CancelCheck(number, "unchecked")     # this terminal is not accepted: offline for the person
        except FinalRefusal as exc:       # the cancellation would be refused the same way
            return CancelCheck(number, "not_cancellable", code=exc.code)
        except ApiError:
            return CancelCheck(number, "unchecked")
        finally:
            client.close()
        return CancelCheck(number, "found", {"reference": booking.reference, "service_id": booking.service_id,
                                             "start": booking.start.isoformat(), "end": booking.end.isoformat()})
