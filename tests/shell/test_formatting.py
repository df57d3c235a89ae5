"""French typography and the formats people read (dates, times, durations, distances)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kiosk import i18n
from kiosk.clock import PARIS, ManualClock
from kiosk.formatting import (
    format_date_long,
    format_date_short,
    format_datetime_long,
    format_distance_m,
    format_duration_min,
    format_time,
)
from kiosk.typography import typo_fr

NBSP, NNBSP, APOS = "\u00a0", "\u202f", "\u2019"

# 1 December 2026 is a Tuesday (ManualClock's default start), the 3rd a Thursday.
TUE_1 = date(2026, 12, 1)
THU_3 = date(2026, 12, 3)


# --- typo_fr ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Bonjour !", f"Bonjour{NNBSP}!"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("Horaires : lundi", f"Horaires{NBSP}: lundi"),
        # wrong kinds of space, or several, are normalized
        (f"Horaires{NNBSP}: lundi", f"Horaires{NBSP}: lundi"),
        (f"Oui{NBSP}!", f"Oui{NNBSP}!"),
        ("Oui   ?", f"Oui{NNBSP}?"),
        # no space in the source: no guess
        ("Attention!", "Attention!"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("Ouvert de 9:30 à 12:00", "Ouvert de 9:30 à 12:00"),
        # guillemets always get their inner no-break spaces
        ("«Accueil»", f"«{NBSP}Accueil{NBSP}»"),
        ("« Accueil »", f"«{NBSP}Accueil{NBSP}»"),
        ("Touchez « Valider ».", f"Touchez «{NBSP}Valider{NBSP}»."),
        ("« C'est fini ? »", f"«{NBSP}C{APOS}est fini{NNBSP}?{NBSP}»"),
        # apostrophes between letters
        ("l'accueil d'aujourd'hui", f"l{APOS}accueil d{APOS}aujourd{APOS}hui"),
        ("L'État", f"L{APOS}État"),
        ("'citation'", "'citation'"),
        ("5'30", "5'30"),
        # untouched: URLs, e-mail addresses, hyphens, numbers
        ("https://ville.fr/rdv?id=3&x=1", "https://ville.fr/rdv?id=3&x=1"),
        ("Site : https://ville.fr/l'info?a=1 !", f"Site{NBSP}: https://ville.fr/l'info?a=1{NNBSP}!"),
        ("www.ville.fr/aide ?", f"www.ville.fr/aide{NNBSP}?"),
        ("e-mail : jean.o'neil@ville.fr ?", f"e-mail{NBSP}: jean.o'neil@ville.fr{NNBSP}?"),
        ("1 000 habitants, 3,5 km", "1 000 habitants, 3,5 km"),
        ("", ""),
        (" : en tête", " : en tête"),  # nothing before the space: left alone
        ("ligne\n: suite", "ligne\n: suite"),  # a newline is not a space to replace
    ],
)
def test_typo_fr(source, expected):
    assert typo_fr(source) == expected
    assert typo_fr(expected) == expected  # idempotent
    assert typo_fr(typo_fr(source)) == typo_fr(source)


def test_typo_fr_does_not_change_placeholders():
    assert typo_fr("Bonjour {name} !").format(name="Zoé") == f"Bonjour Zoé{NNBSP}!"
    assert typo_fr("%(count)d résultat(s) :") == f"%(count)d résultat(s){NBSP}:"


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fr", "en"),
    [
        (THU_3, "jeudi 3 décembre 2026", "Thursday 3 December 2026"),
        (TUE_1, "mardi 1er décembre 2026", "Tuesday 1 December 2026"),
        (date(2027, 8, 15), "dimanche 15 août 2027", "Sunday 15 August 2027"),
        (date(2028, 2, 29), "mardi 29 février 2028", "Tuesday 29 February 2028"),
        (date(2027, 1, 11), "lundi 11 janvier 2027", "Monday 11 January 2027"),
    ],
)
def test_format_date_long(d, fr, en):
    assert format_date_long(d, "fr") == fr
    assert format_date_long(d, "en") == en


@pytest.mark.parametrize(
    ("d", "fr", "en"),
    [
        (THU_3, "jeu. 3 déc.", "Thu 3 Dec"),
        (TUE_1, "mar. 1er déc.", "Tue 1 Dec"),
        (date(2027, 7, 14), "mer. 14 juil.", "Wed 14 Jul"),
        (date(2027, 5, 1), "sam. 1er mai", "Sat 1 May"),  # "mai" has no abbreviation
        (date(2027, 3, 21), "dim. 21 mars", "Sun 21 Mar"),
    ],
)
def test_format_date_short(d, fr, en):
    assert format_date_short(d, "fr") == fr
    assert format_date_short(d, "en") == en


def test_dates_accept_datetimes_and_regional_codes():
    dt = datetime(2026, 12, 1, 23, 59, tzinfo=PARIS)
    assert format_date_long(dt, "fr_FR") == "mardi 1er décembre 2026"
    assert format_date_short(dt, "en-GB") == "Tue 1 Dec"
    with pytest.raises(ValueError):
        format_date_long(dt, "de")


# --- times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "fr", "en"),
    [
        (time(9, 30), f"9{NBSP}h{NBSP}30", f"9:30{NBSP}am"),
        (time(14, 0), f"14{NBSP}h", f"2:00{NBSP}pm"),
        (time(0, 5), f"0{NBSP}h{NBSP}05", f"12:05{NBSP}am"),
        (time(0, 0), f"0{NBSP}h", f"12:00{NBSP}am"),
        (time(12, 0), f"12{NBSP}h", f"12:00{NBSP}pm"),
        (time(12, 45), f"12{NBSP}h{NBSP}45", f"12:45{NBSP}pm"),
        (time(23, 59, 59), f"23{NBSP}h{NBSP}59", f"11:59{NBSP}pm"),  # seconds dropped
        (time(8, 1), f"8{NBSP}h{NBSP}01", f"8:01{NBSP}am"),
    ],
)
def test_format_time(t, fr, en):
    assert format_time(t, "fr") == fr
    assert format_time(t, "en") == en
    assert " " not in format_time(t, "fr") + format_time(t, "en")  # only no-break spaces


def test_format_time_of_an_aware_datetime_uses_its_wall_clock():
    clock = ManualClock()  # 2026-12-01 09:30 Paris
    assert format_time(clock.now(), "fr") == f"9{NBSP}h{NBSP}30"
    clock.advance(30 * 60)
    assert format_time(clock.now(), "fr") == f"10{NBSP}h"


def test_format_datetime_long():
    dt = datetime(2026, 12, 3, 9, 30, tzinfo=PARIS)
    assert format_datetime_long(dt, "fr") == f"jeudi 3 décembre 2026 à 9{NBSP}h{NBSP}30"
    assert format_datetime_long(dt, "en") == f"Thursday 3 December 2026 at 9:30{NBSP}am"
    assert format_datetime_long(datetime(2026, 12, 1, 14, 0), "fr") == f"mardi 1er décembre 2026 à 14{NBSP}h"


def test_language_defaults_to_the_current_ui_language():
    try:
        i18n.set_language("en")
        assert format_time(time(14, 0)) == f"2:00{NBSP}pm"
        i18n.set_language("fr")
        assert format_date_long(TUE_1) == "mardi 1er décembre 2026"
    finally:
        i18n.set_language("fr")


# --- durations and distances --------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "fr", "en"),
    [
        (0, f"0{NBSP}min", f"0{NBSP}min"),
        (15, f"15{NBSP}min", f"15{NBSP}min"),
        (59.4, f"59{NBSP}min", f"59{NBSP}min"),
        (59.5, f"1{NBSP}h", f"1{NBSP}h"),  # rounds half up, then carries into the hour
        (60, f"1{NBSP}h", f"1{NBSP}h"),
        (90, f"1{NBSP}h{NBSP}30", f"1{NBSP}h 30{NBSP}min"),
        (65, f"1{NBSP}h{NBSP}05", f"1{NBSP}h 5{NBSP}min"),
        (2.5, f"3{NBSP}min", f"3{NBSP}min"),
        (150, f"2{NBSP}h{NBSP}30", f"2{NBSP}h 30{NBSP}min"),
        (1500, f"25{NBSP}h", f"25{NBSP}h"),
    ],
)
def test_format_duration_min(minutes, fr, en):
    assert format_duration_min(minutes, "fr") == fr
    assert format_duration_min(minutes, "en") == en


@pytest.mark.parametrize(
    ("meters", "fr", "en"),
    [
        (0, f"0{NBSP}m", f"0{NBSP}m"),
        (350, f"350{NBSP}m", f"350{NBSP}m"),
        (349.5, f"350{NBSP}m", f"350{NBSP}m"),
        (999.4, f"999{NBSP}m", f"999{NBSP}m"),
        (999.5, f"1{NBSP}km", f"1{NBSP}km"),  # not "1000 m", not "1,0 km"
        (1000, f"1{NBSP}km", f"1{NBSP}km"),
        (1200, f"1,2{NBSP}km", f"1.2{NBSP}km"),
        (1250, f"1,3{NBSP}km", f"1.3{NBSP}km"),  # half up, no float surprise
        (1049, f"1{NBSP}km", f"1{NBSP}km"),
        (9949, f"9,9{NBSP}km", f"9.9{NBSP}km"),
        (9950, f"10{NBSP}km", f"10{NBSP}km"),
        (12_400, f"12{NBSP}km", f"12{NBSP}km"),
        (1_234_567, f"1{NNBSP}235{NBSP}km", f"1,235{NBSP}km"),
    ],
)
def test_format_distance_m(meters, fr, en):
    assert format_distance_m(meters, "fr") == fr
    assert format_distance_m(meters, "en") == en


@pytest.mark.parametrize("func", [format_duration_min, format_distance_m])
def test_negative_quantities_are_refused(func):
    with pytest.raises(ValueError):
        func(-1, "fr")


def test_formats_survive_french_typography():
    """A formatted value inserted into a translated French sentence is not altered again."""
    dt = datetime(2026, 12, 1, 9, 30)
    for text in (format_datetime_long(dt, "fr"), format_distance_m(1200, "fr"), format_duration_min(90, "fr")):
        assert typo_fr(text) == text


def test_day_and_month_tables_agree_with_babel_cldr():
    from babel.dates import get_day_names, get_month_names

    from kiosk.formatting import _names

    for lang in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            assert _names(lang, "day", width) == dict(get_day_names(width, context="format", locale=lang))
            assert _names(lang, "month", width) == dict(get_month_names(width, context="format", locale=lang))
