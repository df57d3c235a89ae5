"""The booking screens on a cache filled from the reference seed (no server needed): domains,
services with their next date, accent-insensitive search, « Avant de réserver », the calendar,
the entry point for other features, and the offline labels."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from booking_town import said
from timebase import seeded_slots, test_now

from kiosk import events
from kiosk.clock import PARIS, ManualClock
from kiosk.devtools.offline_seed import SeededData
from kiosk.formatting import format_date_long, format_datetime_long

pytestmark = pytest.mark.reference_server

NOW = test_now()   # KIOSK_TEST_NOW (tests/timebase.py): the cache is filled from the reference seed at it


def first_free(*agendas: str) -> datetime:
    """The first seeded time still to come at NOW over these agendas (the services' counters)."""
    return min(at for agenda in agendas for _id, at in seeded_slots(agenda, today=True))


def seeded_days(agenda: str) -> list[date]:
    return sorted({at.date() for _id, at in seeded_slots(agenda, today=True)})


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
    passport = format_date_long(first_free("ag-etat-civil-2", "ag-etat-civil-1").date(), "fr")
    assert "Passeport" in words and f"Prochaine date libre : {passport}" in words
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
    days = seeded_days("ag-urbanisme")                   # urbanisme: Monday afternoons and Wednesdays
    assert first == days[0]
    assert pilot.widget(f"day-{first}").selected and pilot.widget(f"day-{first}").enabled
    # a day of the same month without slot (a Thursday, a Sunday...), after the test instant's day if any
    month = [first.replace(day=1) + timedelta(days=n) for n in range(31)]
    without = [d for d in month if d.month == first.month and d not in days]
    today = NOW.astimezone(PARIS).date()
    closed = pilot.widget(f"day-{next((d for d in without if d > today), without[0])}")
    assert not closed.enabled and closed.subtitle is None and pilot.widget(f"day-{first}").subtitle == "●"
    pilot.tap("next-day")
    assert pilot.screen.draft.day == days[1]
    pilot.tap("month-next")
    next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert format_date_long(next_month, "fr").split(" ", 2)[2] in said(pilot)      # e.g. « janvier 2027 »
    pilot.tap("back")
    assert pilot.screen.name == "booking_service"


def test_a_grey_month_says_why(seeded):
    """January was all grey without a word: the calendar says when booking is not open yet (the
    town publishes about a month ahead), and when a month has no free time left."""
    pilot = seeded()
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-urbanisme")
    pilot.settle()
    pilot.tap("choose-day")
    last = max(at for _id, at in seeded_slots("ag-urbanisme", today=True)).date()
    last_words = format_date_long(last, "fr")
    month = pilot.screen.month
    while month.year * 12 + month.month < last.year * 12 + last.month:     # to the month the times end in
        pilot.tap("month-next")
        month = pilot.screen.month
    if pilot.has("month-note"):                                           # unless the times end on its last day
        assert "ne sont pas encore ouverts à la réservation" in pilot.widget("month-note").text
    pilot.tap("month-next")                                               # past the published times: all grey
    note = pilot.widget("month-note").text
    assert "ne sont pas encore ouverts" in note and last_words in note, note
    assert not any(w.enabled for w in pilot.widgets() if (w.id or "").startswith("day-"))
    pilot.tap("language")
    assert "are not open yet" in pilot.widget("month-note").text


def test_a_month_with_every_time_taken_says_so(seeded):
    from kiosk.demo_api.holidays import is_holiday
    from kiosk.demo_api.seed import MAIRIE_CLOSED_AFTER
    from offline_cache.catalog import upsert_slots
    from offline_cache.db import write_transaction

    pilot = seeded()
    today = NOW.astimezone(PARIS).date()
    later = (today.replace(day=28) + timedelta(days=4)).replace(day=1)      # the next month
    while later.weekday() != 0 or is_holiday(later) or later == today + timedelta(days=MAIRIE_CLOSED_AFTER):
        later += timedelta(days=1)                                            # a Monday the Mairie opens
    start = datetime.combine(later, datetime.min.time(), PARIS) + timedelta(hours=14)
    conn = pilot.app.services.availability.conn
    with write_transaction(conn):
        conn.execute("UPDATE slots SET places_left = 0 WHERE agenda_id = 'ag-urbanisme'")   # all taken…
        upsert_slots(conn, [{"id": "later", "agenda_id": "ag-urbanisme", "start": start,   # …but one, later
                             "end": start + timedelta(minutes=45), "places_left": 1}])
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-urbanisme")
    pilot.settle()
    pilot.tap("choose-day")
    assert pilot.screen.draft.day == later
    pilot.tap("month-prev")
    assert said(pilot).count("Plus aucun horaire libre en") == 1, said(pilot)


def test_time_step_groups_morning_and_afternoon(seeded):
    pilot = seeded()
    from screens.booking.choose_service import open_booking

    open_booking(pilot.app, "svc-cni")
    pilot.settle()
    pilot.tap("choose-day")
    # the first day with times left both in the morning and in the afternoon (a Saturday has only mornings)
    times = [at for _id, at in seeded_slots("ag-etat-civil-1", today=True)]
    pilot.screen.draft.day = next(d for d in sorted({t.date() for t in times})
                                  if {t.hour < 12 for t in times if t.date() == d} == {True, False})
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
    # the sentence every feature says when its data is not here (« Ma ville » says the same)
    assert "pas encore disponibles sur cette borne" in said(pilot) and pilot.has("unavailable")


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
    when = format_datetime_long(first_free("ag-etat-civil-1", "ag-etat-civil-2").astimezone(PARIS), "en")
    assert "Check and confirm" in words and when.replace("\xa0", " ") in words
    assert "Ève Lefèvre-Müller" in words and "Change" in words
    pilot.tap("edit-time")
    month_words = format_date_long(first_free("ag-etat-civil-1", "ag-etat-civil-2").date(), "en").split(" ", 2)[2]
    assert pilot.screen.name == "booking_day" and month_words in said(pilot)      # e.g. « December 2026 »
