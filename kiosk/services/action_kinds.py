"""The kinds of citizens' actions, the terminal's side: what a person or a technician reads.

The contract's side of each kind (outbox name, route, models) is declared in
:mod:`kiosk.api.action_kinds`, which also says how to add a kind; here, beside it, each kind
gets the words the admin screen shows and the refusal codes its outcome may carry (each has
its sentence in :data:`kiosk.services.outcomes.MESSAGES`). ``tests/central_api/test_action_kinds.py``
checks that every kind of the registry is declared here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.api.action_kinds import ACTION_KINDS, ActionKind, Kind
from kiosk.i18n import N_

__all__ = ["ACTION_KINDS", "TERMINAL_SIDE", "ActionKind", "Kind", "KindWording", "admin_words"]


@dataclass(frozen=True)
class KindWording:
    words: str                       # the admin screen's name for it (marked for translation)
    refusals: tuple[str, ...] = ()   # the refusal codes its outcome may carry (server's or offline checks')


TERMINAL_SIDE: Mapping[Kind, KindWording] = {
    Kind.BOOKING: KindWording(N_("booking"), ("slot_unavailable",)),
    Kind.BOOKING_REQUEST: KindWording(N_("booking request")),
    Kind.CANCELLATION: KindWording(N_("cancellation"), ("not_found", "invalid_state", "invalid_token")),
    Kind.CHECKIN: KindWording(N_("check-in"), ("not_found", "booking_cancelled", "already_checked_in",
                                                "outside_checkin_window", "invalid_token", "token_revoked",
                                                "number_not_reserved")),
    Kind.QUEUE_TICKET: KindWording(N_("queue ticket"), ("not_walk_in", "walk_in_closed", "walk_in_full",
                                                         "number_not_reserved")),
    # a filled form (kiosk.demarches); a report may be sent to Open311 instead of the contract's call
    Kind.DEMARCHE: KindWording(N_("town-hall request"), ("invalid_answers", "form_unknown", "form_version_unknown",
                                                         "open311_refused")),
}


def admin_words() -> dict[str, str]:
    """kind → its untranslated words, for the admin screen's list of refusals."""
    return {str(kind): wording.words for kind, wording in TERMINAL_SIDE.items()}
