"""The booking screens on a cache filled from the reference seed (no server needed): domains,
services with their next date, accent-insensitive search, « Avant de réserver », the calendar,
the entry point for other features, and the offline labels."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from booking_town import said

from kiosk import events
from kiosk.clock import PARIS, ManualClock
from kiosk.devtools.offline_seed import SeededData

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)      # mardi 1er décembre 2026


@pytest.fixture
def seeded(make_pilot):
    def factory(size=(1080, 1920), online=True, **kw):
        return make_pilot(size, clock=ManualClock(NOW), data=lambda config: SeededData(NOW, online=online), **kw)
    return factory


def test_domains_then_services_with_their_next_date(seeded):
    pilot = seeded()
    pilot.tap("feature-booking")
    assert "État civil" in said(pilot) and "3 démarches" in said(pilot)
    pilot.tap(text="État civil")
    words = said(pilot)
    assert "Passeport" in words and "Prochaine date libre : mardi 1er décembre 2026" in words
    assert "Urbanisme" not in words.split("État civil", 1)[1]
    pilot.tap("all-domains")
    assert pilot.has("domains")


@pytest.mark.parametrize("typed, found, not_found", [
    ("etat civil", "service-svc-cni", "service-svc-urbanisme"),
    ("PASSE", "service-svc-passeport", "service-svc-cni"),
    ("école", None, "service-svc-cni"),
    ("inscription scol", "service-svc-inscription-scolaire", "service-svc-listes-electorales"),
])
def test_search_ignores_accents_and_case(seeded, typed, found, not_found):
    pilot = seeded()
    pilot.tap("feature-booking")
    pilot.tap("search")
    pilot.type(typed)
    if found:
        assert pilot.has(found)
    else:
        assert pilot.has("no-service")
    assert not pilot.has(not_found)


def test_before_you_book_shows_everything_before_asking_anything(seeded):
    pilot = seeded()
    pilot.tap("feature-booking")
    pilot.tap(text="État civil")
    pilot.tap("service-svc-passeport")
    words = said(pilot)
    for part in ("Avant de réserver", "Passeport", "Durée : environ 30 min", "Mairie de Saint-Clément-des-Vignes",
                 "Documents à apporter", "Timbre fiscal"):
        assert part in words, part
    assert not pilot.has("field-last_name")


def test_calendar_preselects_the_first_free_day_and_jumps_ahead(seeded):
    pilot = seeded()
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-urbanisme")            # as the city pages will do
    pilot.settle()
    assert pilot.screen.name == "booking_service"
    pilot.tap("choose-day")
    first = pilot.screen.draft.day
    assert first == date(2026, 12, 2)                    # urbanisme: Monday afternoons and Wednesdays
    assert pilot.widget("day-2026-12-02").selected and pilot.widget("day-2026-12-02").enabled
    closed = pilot.widget("day-2026-12-03")             # a Thursday: no slot
    assert not closed.enabled and closed.subtitle is None and pilot.widget("day-2026-12-02").subtitle == "●"
    pilot.tap("next-day")
    assert pilot.screen.draft.day == date(2026, 12, 7)
    pilot.tap("month-next")
    assert "janvier 2027" in said(pilot)
    pilot.tap("back")
    assert pilot.screen.name == "booking_service"


def test_time_step_groups_morning_and_afternoon(seeded):
    pilot = seeded()
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-cni")
    pilot.settle()
    pilot.tap("choose-day")
    pilot.tap("see-times")
    assert pilot.has("am-slots") and pilot.has("pm-slots")
    assert "Matin" in said(pilot) and "Après-midi" in said(pilot) and "14 h" in said(pilot)


def test_open_booking_on_an_unknown_service_opens_the_list(seeded):
    pilot = seeded()
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-nope")
    pilot.settle()
    assert pilot.screen.name == "booking" and pilot.has("domains")


def test_offline_the_availability_is_labelled_with_its_age(seeded):
    pilot = seeded(online=False)
    events.NetworkStatus(online=False).post()
    pilot.settle()
    pilot.advance(7200, step=600)
    pilot.tap("feature-booking")           # the screen dimmed meanwhile: this touch only wakes it
    pilot.tap("feature-booking")
    assert "Hors ligne : horaires libres d'il y a 2 heures" in said(pilot)


def test_without_a_data_layer_booking_says_so(make_pilot):
    pilot = make_pilot()
    pilot.tap("feature-booking")
    assert "pas disponible sur cette borne" in said(pilot)


def test_the_confirmation_goes_home_by_itself(seeded):
    from kiosk.devtools.screenshots.booking import STATES

    pilot = seeded(overrides={"booking.done_home_after_s": 30})
    STATES["booking_done"]["printed"](pilot)
    assert pilot.screen.name == "booking_done" and pilot.has("qr")
    pilot.advance(20)
    assert pilot.has("idle-dialog")                    # warned first, as everywhere
    pilot.advance(11)
    assert pilot.screen.is_home and not pilot.app.visit.fields and not pilot.app.visit.drafts


def test_a_storage_failure_books_nothing_and_says_so(seeded):
    from kiosk.devtools.screenshots.booking import STATES
    from kiosk.services import Outcome

    pilot = seeded()
    STATES["booking_confirm"]["default"](pilot)
    pilot.screen._answer(Outcome("booking", "error", code="storage_failed"))   # as the services post it
    pilot.settle()
    assert "n'a pas pu être enregistrée" in said(pilot) and pilot.has("confirm")


def test_going_offline_after_who_is_coming_asks_for_a_contact_before_sending(seeded):
    from kiosk.devtools.screenshots.booking import _person

    pilot = seeded()
    _person(pilot)
    pilot.type("Lefèvre")
    pilot.tap("key-enter")
    pilot.type("Ève")
    pilot.tap("continue")                               # online: no contact needed
    assert pilot.screen.name == "booking_confirm"
    pilot.app.data.online = False                       # the network goes down meanwhile
    events.NetworkStatus(online=False).post()
    pilot.settle()
    pilot.tap("confirm")
    assert pilot.screen.pending is None and "hors ligne" in pilot.widget("problem").text
    pilot.tap("edit-person")
    assert pilot.screen.name == "booking_person" and "obligatoire" in said(pilot)


def test_back_from_the_confirmation_forgets_the_booking_but_not_the_language(seeded):
    from kiosk.devtools.screenshots.booking import STATES

    pilot = seeded()
    STATES["booking_done"]["printed"](pilot)
    pilot.tap("language")
    pilot.tap("help")                                   # covered, not left: everything stays
    pilot.tap("back")
    assert pilot.app.visit.fields.get("booking_last_name") == "Lefèvre-Müller"
    pilot.tap("back")
    assert pilot.screen.is_home and not pilot.app.visit.drafts
    assert not any(k.startswith("booking_") for k in pilot.app.visit.fields)
    assert pilot.app.visit.settings.language == "en"


def test_the_flow_in_english(seeded):
    from kiosk.devtools.screenshots.booking import STATES

    pilot = seeded(overrides={"languages.default": "en"})
    STATES["booking_confirm"]["default"](pilot)
    words = said(pilot)
    assert "Check and confirm" in words and "Tuesday 1 December 2026 at 9:50 am" in words
    assert "Ève Lefèvre-Müller" in words and "Change" in words
    pilot.tap("edit-time")
    assert pilot.screen.name == "booking_day" and "December 2026" in said(pilot)
