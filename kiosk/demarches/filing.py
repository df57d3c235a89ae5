"""A ready session as an outbox action, and the action's outcome as a receipt.

The row's payload says only which form and version, the language and when it was filed (and,
for a report sent to Open311, the route); every answer and the contact go into the row's
*personal* part, which the outbox erases once the server has answered. Why all answers and not
only the fields marked ``personal``: a description typed in free text may hold a name or a
phone number, and nothing of a filed démarche needs to stay on a public terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.demarches import words
from kiosk.demarches.engine import Session
from kiosk.demarches.form import Widget
from kiosk.demarches.open311 import open311_part
from kiosk.demarches.validation import form_errors
from kiosk.demarches.views import Receipt

if TYPE_CHECKING:
    from kiosk.services.outcomes import Action, Outcome

KIND = "demarche"   # the outbox row's kind (kiosk.api.action_kinds.Kind.DEMARCHE)

@dataclass(frozen=True)
class Whereabouts:
    """What filing knows of places, to locate a report: the terminal's own position and address
    (« ici »), and the streets' and places' coordinates and names from the cache."""

    here: tuple[float, float] | None = None
    here_address: str | None = None
    street: Callable[[str], Mapping[str, Any] | None] = lambda ident: None   # id → {name, postcode, lat...}
    place: Callable[[str], Mapping[str, Any] | None] = lambda ident: None    # id → {name, address, lat, lon}


def demarche_action(session: Session, *, filed_at: datetime, offline: bool, reports_to: str = "contract",
                    open311_url: str | None = None, where: Whereabouts | None = None) -> Action:
    """The action of a session that can be filed; ``ValueError`` (naming the page, never an
    answer) when a page refuses its answers or a contact is missing offline. A report goes to
    Open311 when ``reports_to`` says so and its category has a service code."""
    from kiosk.services.outcomes import Action, Kind

    bad_page = session.first_page_with_errors()
    if bad_page is not None:
        raise ValueError(f"démarche {session.form.id}: page {bad_page!r} is not complete")
    if session.needs_contact(offline):
        raise ValueError(f"démarche {session.form.id}: offline, a contact is required")
    where = where or Whereabouts()
    answers = _with_position(session, session.answers(), where)
    payload: dict[str, Any] = {"form_id": session.form.id, "form_version": session.form.version,
                               "language": session.language, "filed_at": filed_at.isoformat()}
    if session.form.kind == "report" and reports_to == "open311":
        payload["open311"] = _open311(session, answers, where, open311_url)
    personal = {"answers": answers, "contact": session.contact.as_json()}
    details = {"form_id": session.form.id, "contact_given": bool(session.contact),
               "contact_by": contact_channels(session.contact.phone, session.contact.email),
               "route": "open311" if "open311" in payload else "contract"}
    return Action(Kind(KIND), payload, personal, details=details)


def _locations(session: Session, answers: Mapping[str, Any]) -> list[str]:
    return [n for n, f in session.form.fields.items() if f.widget is Widget.LOCATION and isinstance(answers.get(n),
                                                                                                      Mapping)]


def _with_position(session: Session, answers: dict[str, Any], where: Whereabouts) -> dict[str, Any]:
    """« Ici » with the terminal's coordinates, when the form's schema accepts them (the seed's
    does): whoever reads the report then knows where « here » was. Kept as typed otherwise."""
    if where.here is None:
        return answers
    for name in _locations(session, answers):
        if answers[name].get("kind") != "here":
            continue
        candidate = {**answers, name: {**answers[name], "latitude": where.here[0], "longitude": where.here[1]}}
        if name not in form_errors(session.form, candidate, session.language):
            answers = candidate
    return answers


def _open311(session: Session, answers: Mapping[str, Any], where: Whereabouts, url: str | None) -> dict[str, Any]:
    category = next((str(answers[n]) for n, f in session.form.fields.items()
                     if f.widget is Widget.CHOICE and str(answers.get(n)) in session.form.open311_service_codes), None)
    if category is None:
        raise ValueError(f"démarche {session.form.id}: no Open311 service code for the category chosen")
    position, address, street_id = where.here, where.here_address, None
    for name in _locations(session, answers):
        value = answers[name]
        if value.get("kind") == "street" and (found := where.street(str(value.get("street_id")))) is not None:
            number = str(value.get("number") or "").strip()
            line = f"{number} {found.get('name')}".strip()
            address = f"{line}, {found.get('postcode')}".rstrip(", ")
            street_id = str(value.get("street_id"))
            lat, lon = found.get("latitude"), found.get("longitude")
            position = (float(lat), float(lon)) if lat is not None and lon is not None else None
        elif value.get("kind") == "place" and (found := where.place(str(value.get("place_id")))) is not None:
            address = ", ".join(str(x) for x in (found.get("name"), found.get("address")) if x)
            lat, lon = found.get("lat"), found.get("lon")
            position = (float(lat), float(lon)) if lat is not None and lon is not None else None
        break
    return open311_part(service_code=session.form.open311_service_codes[category], title=session.form.title.fr,
                        position=position, address=address, url=url, street_id=street_id)


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
        notice, follow_up = pending_words(lang, outcome.details.get("contact_by") or ())
        return Receipt(form.id, session.title, "pending", None, next_steps, None, notice=notice, follow_up=follow_up)
    if outcome.status == Status.ERROR:
        return Receipt(form.id, session.title, "error", None, None, None, message=_in(lang, outcome))
    return Receipt(form.id, session.title, "refused", None, None, None, message=_in(lang, outcome))


def contact_channels(phone: str | None, email: str | None) -> list[str]:
    """How the town can send the number: ``"sms"``, ``"email"`` (which, never the contact itself:
    the action's details are not personal and are shown with its outcome)."""
    return [channel for channel, given in (("sms", phone), ("email", email)) if given]


def pending_words(language: str, channels: Sequence[str]) -> tuple[str, str]:
    """What a pending receipt says instead of a number: (the notice, how the number comes).

    No reference is given: the town assigns the tracking number when the request arrives (the
    contract takes none from a terminal, and an Open311 endpoint picks its own), and the outbox
    row's key is nothing the reception or « Suivre ma demande » could look up. With a contact the
    number is sent to it; without one (the answer was lost after an online filing, which asks
    for none) the reception finds the request by its day and time — on the receipt — and topic."""
    if not channels:
        return words.say(language, words.PENDING_NO_NUMBER), words.say(language, words.PENDING_ASK_RECEPTION)
    only: dict[tuple[str, ...], str] = {("sms",): words.PENDING_BY_SMS, ("email",): words.PENDING_BY_EMAIL}
    by = only.get(tuple(channels), words.PENDING_NOTICE)
    return words.say(language, by), words.say(language, words.PENDING_SENT_THEN)


def _in(language: str, outcome: Outcome) -> str:
    from kiosk.services.outcomes import GENERIC, MESSAGES

    return words.say(language, MESSAGES.get(outcome.code or "", GENERIC))
