"""What a person does at the terminal to file a démarche, as pilot steps (the démarche screen tests).

The town is the reference server on loopback (``town`` fixture of tests/booking_town.py): its
seed publishes both démarches and the street list, which the terminal's first sync brings."""

from __future__ import annotations

from booking_town import said

from kiosk.clock import PARIS


def demarches_pilot(town, make_pilot, size=(1080, 1920), **overrides):
    """The app after its first sync, with the town's démarches in the cache and a printer ready."""
    pilot = town.pilot(make_pilot, size, **overrides)
    pilot.wait_until(lambda: len(pilot.app.services.demarches.offered("fr")) == 2)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    return pilot


def start(pilot, form_id: str) -> None:
    """Home → « Faire une démarche » → the démarche → « Avant de commencer » → « Commencer »."""
    pilot.tap("feature-demarches")
    assert pilot.screen.name == "demarches", said(pilot)
    pilot.tap(f"demarche-{form_id}")
    assert pilot.screen.name == "demarche_before", said(pilot)
    pilot.tap("start")
    assert pilot.screen.name == "demarche_page", said(pilot)


def step(pilot) -> str:
    return pilot.widget("step").text.replace("\xa0", " ").replace("\u202f", " ")


def civil_status_pages(pilot, *, record: str = "birth", copy: str = "full", link: str = "self",
                       last: str = "Lefèvre-Müller", first: str = "Ève Marie", town_name: str = "Angers",
                       day: str = "2016-12-14", father: str = "", delivery: str = "post") -> None:
    """Every page of « Demande d'acte d'état civil », up to the summary."""
    pilot.tap(f"choice-record_type-{record}")
    pilot.tap(f"choice-copy_kind-{copy}")
    pilot.tap("continue")
    pilot.tap(f"choice-requester_link-{link}")
    pilot.tap("continue")
    assert pilot.screen.page_id == "person", said(pilot)
    pilot.type(last)
    pilot.tap("key-enter")
    pilot.type(first)
    pilot.tap("key-enter")
    year = int(day[:4])
    now = pilot.app.clock.now().astimezone(PARIS).date()
    for _ in range((now.year - year) // 10):
        pilot.tap("year-back10-event_date")
    for _ in range((now.year - year) % 10):
        pilot.tap("year-back-event_date")
    months = now.month - int(day[5:7])
    for _ in range(abs(months)):
        pilot.tap("month-prev-event_date" if months > 0 else "month-next-event_date")
    pilot.tap(f"day-{day}")
    pilot.tap("input-event_town")
    pilot.type(town_name)
    pilot.tap("continue")
    if copy in ("full", "with_parents"):
        assert pilot.screen.page_id == "parents", said(pilot)
        if father:
            pilot.type(father)
        pilot.tap("continue")
    assert pilot.screen.page_id == "delivery", said(pilot)
    pilot.tap(f"choice-delivery-{delivery}")
    if delivery == "post":
        pilot.type("12 bis rue des Vignes")
        pilot.tap("key-enter")
        pilot.type("49290")
        pilot.tap("key-enter")
        pilot.type("Chalonnes-sur-Loire")
    pilot.tap("continue")
    assert pilot.screen.name == "demarche_summary", said(pilot)


def report_pages(pilot, *, category: str = "lighting", street: str = "vignes", number: str = "12 bis",
                 description: str = "Le lampadaire ne s'allume plus depuis lundi.", email: str = "") -> None:
    """Every page of « Signaler un problème dans la rue », up to the summary."""
    pilot.tap(f"choice-category-{category}")
    pilot.tap("continue")
    assert pilot.screen.page_id == "where", said(pilot)
    if street:
        pilot.tap("where-where-street")
        pilot.type(street)
        pilot.tap("search-where-match-0")
        if number:
            pilot.type(number)
    pilot.tap("continue")
    assert pilot.screen.page_id == "description", said(pilot)
    pilot.type(description)
    pilot.tap("continue")
    assert pilot.screen.page_id == "contact", said(pilot)
    if email:
        pilot.tap("input-email")
        pilot.type(email)
    pilot.tap("continue")
    assert pilot.screen.name == "demarche_summary", said(pilot)


def send(pilot) -> None:
    pilot.tap("send")
    pilot.wait_until(lambda: pilot.screen.name == "demarche_receipt"
                     or getattr(pilot.screen, "pending", None) is None)
