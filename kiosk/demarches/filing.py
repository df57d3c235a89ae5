"""A ready session as an outbox action, and the action's outcome as a receipt.

The row's payload says only which form and version, the language and when it was filed (and,
for a report sent to Open311, the route); every answer and the contact go into the row's
*personal* part, which the outbox erases once the server has answered. Why all answers and not
only the fields marked ``personal``: a description typed in free text may hold a name or a
phone number, and nothing of a filed démarche needs to stay on a public terminal.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.demarches import words
from kiosk.demarches.engine import Session
from kiosk.demarches.views import Receipt
from kiosk.i18n import N_

if TYPE_CHECKING:
    from kiosk.services.outcomes import Action, Outcome

KIND = "demarche"   # the outbox row's kind (kiosk.api.action_kinds.Kind.DEMARCHE)

REFUSALS = {
    "invalid_answers": N_("The town's service did not accept some answers. Nothing was filed. "
                          "Please start again or ask at the reception desk."),
    "form_unknown": N_("This démarche is no longer offered. Nothing was filed. Please ask at the reception desk."),
    "form_version_unknown": N_("This démarche was changed meanwhile. Nothing was filed. Please start it again."),
}


def demarche_action(session: Session, *, filed_at: datetime, offline: bool) -> Action:
    """The action of a session that can be filed; ``ValueError`` (naming the page, never an
    answer) when a page refuses its answers or a contact is missing offline."""
    from kiosk.services.outcomes import Action, Kind

    bad_page = session.first_page_with_errors()
    if bad_page is not None:
        raise ValueError(f"démarche {session.form.id}: page {bad_page!r} is not complete")
    if session.needs_contact(offline):
        raise ValueError(f"démarche {session.form.id}: offline, a contact is required")
    payload: dict[str, Any] = {"form_id": session.form.id, "form_version": session.form.version,
                               "language": session.language, "filed_at": filed_at.isoformat()}
    personal = {"answers": session.answers(), "contact": session.contact.as_json()}
    details = {"form_id": session.form.id, "contact_given": bool(session.contact)}
    return Action(Kind(KIND), payload, personal, details=details)


def receipt_of(session: Session, outcome: Outcome, *, portal_url: str | None) -> Receipt:
    """What the person is told, from what the action came to."""
    from kiosk.services.outcomes import Status
    from kiosk.tracking.code import tracking_address

    lang, form = session.language, session.form
    next_steps = form.receipt_next.text(lang) if form.receipt_next else None
    if outcome.status == Status.DONE:
        code = str(outcome.result.get("tracking_code") or "") or None
        qr = (tracking_address(portal_url, code) if portal_url else code) if code else None
        return Receipt(form.id, session.title, "received", code, next_steps, qr)
    if outcome.status == Status.QUEUED:
        return Receipt(form.id, session.title, "pending", None, next_steps, None,
                       notice=words.say(lang, words.PENDING_NOTICE), local_reference=outcome.local_reference)
    if outcome.status == Status.ERROR:
        return Receipt(form.id, session.title, "error", None, None, None, message=_in(lang, outcome))
    text = REFUSALS.get(outcome.code or "")
    return Receipt(form.id, session.title, "refused", None, None, None,
                   message=words.say(lang, text) if text else _in(lang, outcome))


def _in(language: str, outcome: Outcome) -> str:
    from kiosk.services.outcomes import GENERIC, MESSAGES

    return words.say(language, MESSAGES.get(outcome.code or "", GENERIC))
