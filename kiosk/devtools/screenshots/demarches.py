"""The démarche screens' states for ``kiosk screenshots``: every page of both démarches.

The gallery has no server: the screens run on the seeded cache (the reference seed's catalog,
with its two forms and its streets), every page is reached by taps and typing as a person
would, and the town's answer to a filing — the tracking number, or « queued » offline — is
handed to the summary as the ``Outcome`` the services would post (like the booking states).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot

CIVIL, REPORT = "acte-etat-civil", "signalement-voirie"


def _offline(p: Pilot) -> None:
    from kiosk import events
    from kiosk.devtools.offline_seed import SeededData

    data = p.app.data
    assert isinstance(data, SeededData)       # the démarche states run on the seeded cache (data_for)
    data.online = False
    events.NetworkStatus(online=False).post()
    p.settle()


def _start(p: Pilot, form_id: str, *, begin: bool = True) -> None:
    p.tap("feature-demarches")
    p.tap(f"demarche-{form_id}")
    if begin:
        p.tap("start")


def _then(*steps: str) -> Callable[[Pilot], None]:
    """Taps (widget ids), "type:…" to type, "key:…" for a key by id."""
    def reach(p: Pilot) -> None:
        for step in steps:
            kind, _sep, value = step.partition(":")
            if kind == "type":
                p.type(value)
            else:
                p.tap(step)
    return reach


_RECORD = ("choice-record_type-birth", "choice-copy_kind-full", "continue")
_REQUESTER = (*_RECORD, "choice-requester_link-self", "continue")
_PERSON = (*_REQUESTER, "type:Lefèvre-Müller", "key-enter", "type:Ève Marie")
_PERSON_DONE = (*_PERSON, "year-back10-event_date", "day-2016-12-14", "input-event_town", "type:Angers")
_PARENTS = (*_PERSON_DONE, "continue", "type:Jean Lefèvre")
_DELIVERY = (*_PARENTS, "continue", "choice-delivery-post", "type:12 bis rue des Vignes", "key-enter",
             "type:49290", "key-enter", "type:Chalonnes-sur-Loire")
_CIVIL_SUMMARY = (*_DELIVERY, "continue")
_CATEGORY = ("choice-category-lighting", "continue")
_STREET = (*_CATEGORY, "where-where-street", "type:vign")
_STREET_CHOSEN = (*_STREET, "search-where-match-0", "type:12 bis")
_DESCRIPTION = (*_STREET_CHOSEN, "continue", "type:Eteint")
_CONTACT = (*_DESCRIPTION, "type: depuis lundi soir", "continue")
_REPORT_SUMMARY = (*_CONTACT, "continue")


def _civil(*steps: str) -> Callable[[Pilot], None]:
    def reach(p: Pilot) -> None:
        _start(p, CIVIL)
        _then(*steps)(p)
    return reach


def _report(*steps: str) -> Callable[[Pilot], None]:
    def reach(p: Pilot) -> None:
        _start(p, REPORT)
        _then(*steps)(p)
    return reach


def _contact(p: Pilot, *steps: str) -> None:
    _offline(p)
    _civil(*_CIVIL_SUMMARY, "send", *steps)(p)


def _receipt(p: Pilot, status: str, print_state: str | None = None, *, answer_lost: bool = False) -> None:
    """``answer_lost``: filed online without a contact, the answer never came (queued all the same)."""
    from kiosk.services.outcomes import Kind, Outcome, Status
    from screens.demarches.filing import FilingStep
    from screens.demarches.receipt import DemarcheReceiptScreen

    details: dict[str, Any] = {}
    if status == "queued" and not answer_lost:
        _offline(p)
        _report(*_REPORT_SUMMARY[:-1], "input-email", "type:marie@exemple.fr", "continue")(p)
        details["contact_by"] = ["email"]           # as kiosk.demarches.filing says of that contact
    else:
        _civil(*_CIVIL_SUMMARY)(p)
    summary = p.screen
    assert isinstance(summary, FilingStep)
    result: dict[str, Any] = {"id": "0b6f8c1e-4c8a-4d47-9f1e-6f1d2a3b4c5d", "tracking_code": "KXPT-4821",
                              "status": "received", "form_id": CIVIL} if status == "done" else {}
    summary._answered(Outcome(Kind("demarche"), Status(status), "0b6f8c1e-4c8a-4d47-9f1e-6f1d2a3b4c5d",
                              result=result, details=details))
    p.settle()
    if print_state is not None:
        p.settle_printing()            # the real ticket's answer first: then the state shown stays
        screen = p.screen
        assert isinstance(screen, DemarcheReceiptScreen)
        screen.print_state = print_state
        screen.rebuild()


STATES: dict[str, dict[str, Callable[[Pilot], object]]] = {
    "demarches": {"list": lambda p: p.tap("feature-demarches")},
    "demarches_unavailable": {"none": lambda p: p.tap("feature-demarches")},
    "demarche_before": {
        "civil-status": lambda p: _start(p, CIVIL, begin=False),
        "report": lambda p: _start(p, REPORT, begin=False),
    },
    "demarche_page": {
        "record": _civil(),
        "record-errors": _civil("continue"),
        "requester": _civil(*_RECORD),
        "requester-refused": _civil(*_RECORD, "choice-requester_link-other", "continue"),
        "person-typing": _civil(*_PERSON),
        "person-date-chosen": _civil(*_PERSON, "year-back10-event_date", "day-2016-12-14"),
        "person-errors": _civil(*_REQUESTER, "continue"),
        "parents": _civil(*_PARENTS),
        "delivery": _civil(*_PARENTS, "continue"),
        "delivery-address": _civil(*_DELIVERY),
        "delivery-address-missing": _civil(*_PARENTS, "continue", "choice-delivery-post", "continue"),
        "category": _report(),
        "where-here": _report(*_CATEGORY),
        "where-street-search": _report(*_STREET),
        "where-street-chosen": _report(*_STREET_CHOSEN),
        "where-street-none": _report(*_CATEGORY, "where-where-street", "type:zyx"),
        "description-too-short": _report(*_DESCRIPTION, "continue"),
        "contact": _report(*_CONTACT),
    },
    "demarche_summary": {
        "civil-status": _civil(*_CIVIL_SUMMARY),
        "report": _report(*_REPORT_SUMMARY),
    },
    "demarche_contact": {
        "offline": lambda p: _contact(p),
        "offline-refused": lambda p: _contact(p, "type:06 12", "key-enter", "send"),
    },
    "demarche_receipt": {
        "received": lambda p: _receipt(p, "done"),
        "printed": lambda p: _receipt(p, "done", "printed"),
        "printer-failed": lambda p: _receipt(p, "done", "failed"),
        "pending": lambda p: _receipt(p, "queued"),
        "pending-answer-lost": lambda p: _receipt(p, "queued", answer_lost=True),
    },
}
