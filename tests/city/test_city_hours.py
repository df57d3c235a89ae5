"""Opening states from real OSM strings at fixed instants: open, closing soon, closed until
later today / tomorrow / Monday, public holidays, exceptional closures, seasons, bad data;
the week view; and the words a passer-by reads, in French and English."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest

from kiosk import i18n
from kiosk.city.hours import Closure, Status, is_public_holiday, opening_state, week
from kiosk.city.wording import day_hours_words, day_label, day_note, reopening_words, state_words
from kiosk.clock import PARIS
from kiosk.typography import NBSP

MAIRIE = "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off"
TUTH = "Tu,Th 14:00-18:00"
POOL = "Jun-Aug: Mo-Su 10:00-19:30; Sep-May: We 14:00-18:00; Sa,Su 10:00-12:30,14:00-18:00"
PLAYGROUND = "Apr-Sep: 08:00-21:00; Oct-Mar: 08:00-18:00"


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=PARIS)


def words(state, now, lang="fr"):
    i18n.set_language(lang)
    try:
        return state_words(state, now).replace(NBSP, " ").replace("\u202f", " ")
    finally:
        i18n.set_language("fr")


@pytest.mark.parametrize("now, status, change, fr, en", [
    # Tuesday 1 December 2026
    (at(2026, 12, 1, 9, 30), Status.OPEN, at(2026, 12, 1, 12), "Ouvert · ferme à 12 h", "Open · closes at 12:00 pm"),
    (at(2026, 12, 1, 16, 45), Status.CLOSING_SOON, at(2026, 12, 1, 17), "Ferme bientôt · à 17 h",
     "Closing soon · at 5:00 pm"),
    (at(2026, 12, 1, 12, 15), Status.CLOSED, at(2026, 12, 1, 13, 30), "Fermé · ouvre à 13 h 30",
     "Closed · opens at 1:30 pm"),
    (at(2026, 12, 1, 18, 0), Status.CLOSED, at(2026, 12, 2, 8, 30), "Fermé · ouvre demain à 8 h 30",
     "Closed · opens tomorrow at 8:30 am"),
    # Saturday 5 December, after noon: next opening is Monday
    (at(2026, 12, 5, 14, 0), Status.CLOSED, at(2026, 12, 7, 8, 30), "Fermé · ouvre lundi à 8 h 30",
     "Closed · opens Monday at 8:30 am"),
    # Friday 25 December 2026 (Christmas, a Friday): PH off
    (at(2026, 12, 25, 10, 0), Status.CLOSED, at(2026, 12, 26, 9), "Fermé · ouvre demain à 9 h",
     "Closed · opens tomorrow at 9:00 am"),
    # Easter Monday 2027 (29 March): closed, opens Tuesday
    (at(2027, 3, 29, 10, 0), Status.CLOSED, at(2027, 3, 30, 8, 30), "Fermé · ouvre demain à 8 h 30",
     "Closed · opens tomorrow at 8:30 am"),
])
def test_mairie_hours(now, status, change, fr, en):
    state = opening_state(MAIRIE, [], now)
    assert state.status == status
    assert state.changes_at == change
    assert words(state, now) == fr
    assert words(state, now, "en") == en


def test_public_holidays_come_from_the_library_calendar():
    assert is_public_holiday(date(2026, 12, 25)) and is_public_holiday(date(2027, 3, 29))   # Easter Monday
    assert is_public_holiday(date(2027, 5, 6))            # Ascension 2027
    assert not is_public_holiday(date(2026, 12, 1))
    # Christmas eve is a working day: the mairie opens then closes for Christmas, opens on the 26th
    state = opening_state(MAIRIE, [], at(2026, 12, 24, 17, 30))
    assert state.changes_at == at(2026, 12, 26, 9)
    assert words(state, at(2026, 12, 24, 17, 30)) == "Fermé · ouvre samedi à 9 h"


def test_holiday_rule_can_open_a_place():
    gendarmerie = "Mo-Sa 08:00-12:00,14:00-18:00; Su,PH 09:00-12:00,15:00-18:00"
    christmas_afternoon = at(2026, 12, 25, 13, 0)    # a Friday, but holiday hours apply
    state = opening_state(gendarmerie, [], christmas_afternoon)
    assert state.status == Status.CLOSED and state.changes_at == at(2026, 12, 25, 15)


def test_twice_a_week():
    monday = at(2026, 11, 30, 15, 0)
    state = opening_state(TUTH, [], monday)
    assert state.status == Status.CLOSED and words(state, monday) == "Fermé · ouvre demain à 14 h"
    friday = at(2026, 12, 4, 15, 0)
    assert words(opening_state(TUTH, [], friday), friday) == "Fermé · ouvre mardi à 14 h"
    thursday = at(2026, 12, 3, 17, 40)
    assert opening_state(TUTH, [], thursday).status == Status.CLOSING_SOON


def test_always_open_and_closing_soon_threshold():
    now = at(2026, 12, 1, 3, 0)
    state = opening_state("24/7", [], now)
    assert state.status == Status.ALWAYS_OPEN and state.is_open
    assert words(state, now) == "Ouvert 24 h/24" and words(state, now, "en") == "Open 24/7"
    late = at(2026, 12, 1, 11, 0)
    assert opening_state(MAIRIE, [], late).status == Status.OPEN
    assert opening_state(MAIRIE, [], late, closing_soon=timedelta(hours=1)).status == Status.CLOSING_SOON


def test_seasonal_rules():
    winter_wednesday = at(2026, 12, 2, 15, 0)
    assert words(opening_state(POOL, [], winter_wednesday), winter_wednesday) == "Ouvert · ferme à 18 h"
    winter_thursday = at(2026, 12, 3, 15, 0)
    assert words(opening_state(POOL, [], winter_thursday), winter_thursday) == "Fermé · ouvre samedi à 10 h"
    summer_thursday = at(2027, 7, 1, 15, 0)
    assert words(opening_state(POOL, [], summer_thursday), summer_thursday) == "Ouvert · ferme à 19 h 30"
    assert opening_state(PLAYGROUND, [], at(2026, 12, 1, 18, 30)).status == Status.CLOSED
    assert opening_state(PLAYGROUND, [], at(2027, 6, 1, 18, 30)).status == Status.OPEN
    only_summer = "Jun-Aug: Mo-Su 10:00-19:00"
    state = opening_state(only_summer, [], at(2026, 12, 1, 12))
    assert state.changes_at == at(2027, 6, 1, 10)
    assert words(state, at(2026, 12, 1, 12)) == "Fermé · ouvre le 1er juin à 10 h"


def test_exceptional_closure_today_and_ahead():
    closures = [{"start": "2026-12-01", "end": "2026-12-02", "reason": "Inventaire annuel"}]
    now = at(2026, 12, 1, 10, 0)
    state = opening_state(MAIRIE, closures, now)
    assert state.status == Status.CLOSED_EXCEPTIONALLY and not state.is_open
    assert state.closure_reason == "Inventaire annuel"
    assert state.changes_at == at(2026, 12, 3, 8, 30)           # the first opening after the closure
    assert words(state, now) == "Fermé exceptionnellement"
    assert words(state, now, "en") == "Exceptionally closed"
    assert reopening_words(state, now).replace(NBSP, " ") == "Inventaire annuel · ouvre jeudi à 8 h 30"
    # the day before: closed in the evening, and the next opening skips the closure
    evening = at(2026, 11, 30, 18, 0)
    assert words(opening_state(MAIRIE, closures, evening), evening) == "Fermé · ouvre jeudi à 8 h 30"
    # a 24/7 place closing at midnight for a closure tomorrow says when it closes
    night = at(2026, 11, 30, 22, 0)
    soon = opening_state("24/7", closures, night, closing_soon=timedelta(hours=3))
    assert soon.status == Status.CLOSING_SOON and words(soon, night) == "Ferme bientôt · à minuit"
    assert opening_state("24/7", [{"date": "2026-12-25", "reason": "Noël"}], night).status == Status.ALWAYS_OPEN


def test_closure_without_hours_and_parsed_closures():
    closure = Closure(date(2026, 12, 1), date(2026, 12, 1), "")
    state = opening_state(None, [closure], at(2026, 12, 1, 10))
    assert state.status == Status.CLOSED_EXCEPTIONALLY and state.changes_at is None
    assert reopening_words(state, at(2026, 12, 1, 10)) is None


def test_comment_is_kept():
    now = at(2026, 12, 1, 10, 30)
    state = opening_state('Mo-Sa 10:00-12:00 "sur rendez-vous"', [], now)
    assert state.status == Status.OPEN and state.comment == "sur rendez-vous"
    assert words(state, now) == "Ouvert · ferme à 12 h · sur rendez-vous"


def test_closing_tomorrow_and_overnight():
    bar = "Mo-Sa 18:00-02:00"
    now = at(2026, 12, 1, 23, 0)
    state = opening_state(bar, [], now)
    assert state.status == Status.OPEN and state.changes_at == at(2026, 12, 2, 2)
    assert words(state, now) == "Ouvert · ferme demain à 2 h"
    midnight = "Mo-Su 10:00-24:00"
    evening = at(2026, 12, 1, 20, 0)
    assert words(opening_state(midnight, [], evening), evening) == "Ouvert · ferme à minuit"


@pytest.mark.parametrize("bad", ["le matin sauf jours de vendanges", "Mo-Fr 25:00-26:00", "Lu-Ve 9h-12h", "   ",
                                 None, "Mo-Fr 08:00-12:00 unknown"])
def test_bad_or_missing_hours_never_raise(bad):
    now = at(2026, 12, 1, 10)
    state = opening_state(bad, [], now, place_id="pl-x")
    assert state.status == Status.UNKNOWN and not state.is_open
    assert words(state, now) == "Horaires : se renseigner"
    assert words(state, now, "en") == "Opening hours: please ask"


def test_unreadable_hours_are_logged_once_per_place(caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.city.hours"):
        for _ in range(3):
            opening_state("toute la journée", [], at(2026, 12, 1, 10), place_id="pl-logged-once")
        opening_state("toute la journée", [], at(2026, 12, 1, 10), place_id="pl-another")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "pl-logged-once" in lines[0] and "se renseigner" in lines[0]


def test_bad_closures_are_skipped_and_logged_once(caplog):
    bad = [{"start": "demain", "end": "2026-12-02"}, "Noël", None, {"reason": "no dates"},
           {"start": "2026-12-01", "end": "2026-12-01", "reason": "Formation"}]
    with caplog.at_level(logging.WARNING, logger="kiosk.city.hours"):
        state = opening_state(MAIRIE, bad, at(2026, 12, 1, 10), place_id="pl-bad-closures")
        opening_state(MAIRIE, bad, at(2026, 12, 1, 10), place_id="pl-bad-closures")
    assert state.status == Status.CLOSED_EXCEPTIONALLY and state.closure_reason == "Formation"
    assert len(caplog.records) == 1


def test_aware_time_required():
    with pytest.raises(ValueError, match="aware"):
        opening_state(MAIRIE, [], datetime(2026, 12, 1, 10))


def test_utc_time_is_read_as_paris_time():
    utc = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)          # 8 h in Paris
    assert opening_state(MAIRIE, [], utc).changes_at == at(2026, 12, 1, 8, 30)


def test_week_view():
    closures = [{"start": "2026-12-03", "end": "2026-12-03", "reason": "Formation des agents"}]
    days = week(MAIRIE, closures, date(2026, 12, 21))         # Monday 21 → Sunday 27 December
    assert [d.day for d in days] == [date(2026, 12, 21) + timedelta(days=i) for i in range(7)]
    assert days[0].is_today and not any(d.is_today for d in days[1:])
    monday, friday, saturday, sunday = days[0], days[4], days[5], days[6]
    assert monday.intervals == ((time(8, 30), time(12)), (time(13, 30), time(17)))
    assert friday.holiday and friday.intervals == ()             # Christmas
    assert saturday.intervals == ((time(9), time(12)),) and sunday.intervals == ()
    i18n.set_language("fr")
    assert day_label(monday) == "Aujourd’hui"
    assert day_hours_words(monday).replace(NBSP, " ") == "8 h 30 – 12 h, 13 h 30 – 17 h"
    assert day_hours_words(friday) == "Fermé" and day_note(friday) == "Jour férié"
    assert day_label(saturday).replace(NBSP, " ") == "sam. 26 déc."
    closed = week(MAIRIE, closures, date(2026, 12, 1))[2]
    assert closed.closure_reason == "Formation des agents" and closed.intervals == ()
    assert day_hours_words(closed) == "Fermé exceptionnellement" and day_note(closed) == "Formation des agents"


def test_week_view_all_day_and_unreadable():
    days = week("24/7", [], date(2026, 12, 1))
    assert all(d.open_all_day for d in days) and day_hours_words(days[0]) == "Ouvert toute la journée"
    assert week("n'importe quoi", [], date(2026, 12, 1), place_id="pl-week-bad") is None
    assert week(None, [], date(2026, 12, 1)) is None
    late = week("Mo-Su 18:00-24:00", [], date(2026, 12, 1))[0]
    assert late.intervals == ((time(18), None),) and day_hours_words(late).replace(NBSP, " ") == "18 h – minuit"


def test_weekday_and_day_month_words():
    from kiosk.formatting import format_day_month, format_weekday

    assert format_weekday(date(2026, 12, 7), "fr") == "lundi" and format_weekday(date(2026, 12, 7), "en") == "Monday"
    assert format_day_month(date(2027, 6, 1), "fr") == "1er juin"
    assert format_day_month(date(2027, 6, 3), "en") == "3 June"
