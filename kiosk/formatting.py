"""Dates, times, durations and distances as people read them, in French and English.

Rules shared by every function here:

* A number and its unit never break across lines: U+00A0 (no-break space)
  between them — ``9 h 30``, ``15 min``, ``1,2 km``, and in English ``9:30 am``.
  Dates keep ordinary spaces (what speech and tests read); :mod:`kiosk.line_breaks`
  keeps a date on one line wherever it appears, and breaks it between its words only
  when it is wider than a whole line.
* ``lang`` is ``"fr"`` or ``"en"`` (``"fr_FR"``/``"en-GB"`` are accepted);
  ``None`` means the UI's current language (``kiosk.i18n.current_language()``).
* Times are shown as given: pass local time (``Clock.now()`` already is).
  Seconds are dropped, not rounded, as on any clock.

Day and month names are CLDR's (the same as babel's; a test checks they still
agree), kept here as tables: loading babel's locale data on the way to the
first frame cost about 40 ms of start-up. They need no entry in the translation
catalogs. We compose the words ourselves rather than use CLDR's "full"
pattern, so "1er", the lack of commas and the spaces are ours.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from kiosk.typography import NBSP, NNBSP

# --- helpers ------------------------------------------------------------------------------

_LANGS = ("fr", "en")


def _lang(lang: str | None) -> str:
    if lang is None:
        from kiosk.i18n import current_language  # late: it loads the catalogs' machinery

        return current_language()
    base = lang.replace("-", "_").split("_")[0].lower()
    if base not in _LANGS:
        raise ValueError(f"unsupported language {lang!r} (expected one of {_LANGS})")
    return base


_DAYS = {
    ("fr", "wide"): ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    ("fr", "abbreviated"): ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    ("en", "wide"): ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    ("en", "abbreviated"): ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    ("fr", "wide"): ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre"),
    ("fr", "abbreviated"): ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                            "nov.", "déc."),
    ("en", "wide"): ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"),
    ("en", "abbreviated"): ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@cache
def _names(lang: str, kind: str, width: str) -> dict[int, str]:
    """Day names by weekday (0 = Monday) or month names by month number (1 = January)."""
    if kind == "day":
        return dict(enumerate(_DAYS[(lang, width)]))
    return dict(enumerate(_MONTHS[(lang, width)], start=1))


@cache
def day_and_month_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every day name and every month name, wide and abbreviated, in every language: what
    :mod:`kiosk.line_breaks` recognises as a date so that a line never breaks inside one."""
    days = tuple(name for names in _DAYS.values() for name in names)
    months = tuple(name for names in _MONTHS.values() for name in names)
    return days, months


def _round_half_up(value: float | int | Decimal, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _group(n: int, lang: str) -> str:
    """Integer with thousands separators: fr ``12 345`` (U+202F), en ``12,345``."""
    return f"{n:,}".replace(",", NNBSP if lang == "fr" else ",")


# --- dates and times ----------------------------------------------------------------------


def _day_number(d: date, lang: str) -> str:
    return "1er" if lang == "fr" and d.day == 1 else str(d.day)


def format_date_long(d: date, lang: str | None = None) -> str:
    """fr ``mardi 3 décembre 2026``, ``mardi 1er décembre 2026``; en ``Tuesday 3 December 2026``."""
    lang = _lang(lang)
    day = _names(lang, "day", "wide")[d.weekday()]
    month = _names(lang, "month", "wide")[d.month]
    return f"{day} {_day_number(d, lang)} {month} {d.year}"


def format_date_short(d: date, lang: str | None = None) -> str:
    """For a header, without the year: fr ``mar. 3 déc.``, ``mar. 1er déc.``; en ``Tue 3 Dec``."""
    lang = _lang(lang)
    day = _names(lang, "day", "abbreviated")[d.weekday()]
    month = _names(lang, "month", "abbreviated")[d.month]
    return f"{day} {_day_number(d, lang)} {month}"


def format_weekday(d: date, lang: str | None = None) -> str:
    """fr ``lundi``, en ``Monday`` (inside a sentence: « ouvre lundi à 9 h »)."""
    return _names(_lang(lang), "day", "wide")[d.weekday()]


def format_day_month(d: date, lang: str | None = None) -> str:
    """Without weekday or year: fr ``3 décembre``, ``1er juin``; en ``3 December``."""
    lang = _lang(lang)
    return f"{_day_number(d, lang)} {_names(lang, 'month', 'wide')[d.month]}"


def format_time(t: time | datetime, lang: str | None = None) -> str:
    """fr ``9 h 30``, ``14 h``, ``0 h 05``; en ``9:30 am``, ``2:00 pm``, ``12:00 pm`` (noon), ``12:05 am``.

    The spaces are U+00A0. English uses the 12-hour clock with lower-case
    am/pm and always shows the minutes, as British public signage does.
    """
    lang = _lang(lang)
    if lang == "fr":
        return f"{t.hour}{NBSP}h" + (f"{NBSP}{t.minute:02d}" if t.minute else "")
    hour12 = t.hour % 12 or 12
    return f"{hour12}:{t.minute:02d}{NBSP}{'am' if t.hour < 12 else 'pm'}"


def format_datetime_long(dt: datetime, lang: str | None = None) -> str:
    """fr ``mardi 3 décembre 2026 à 9 h 30``; en ``Tuesday 3 December 2026 at 9:30 am``."""
    lang = _lang(lang)
    joiner = "à" if lang == "fr" else "at"
    return f"{format_date_long(dt.date(), lang)} {joiner} {format_time(dt, lang)}"


# --- quantities ---------------------------------------------------------------------------


def format_duration_min(minutes: float, lang: str | None = None) -> str:
    """fr ``15 min``, ``1 h 30``, ``1 h 05``, ``2 h``; en ``15 min``, ``1 h 30 min``, ``2 h``.

    Rounded to the nearest minute (half up); negative durations raise ValueError.
    """
    lang = _lang(lang)
    if minutes < 0:
        raise ValueError(f"negative duration: {minutes!r}")
    total = int(_round_half_up(minutes))
    hours, mins = divmod(total, 60)
    if not hours:
        return f"{mins}{NBSP}min"
    if not mins:
        return f"{hours}{NBSP}h"
    if lang == "fr":
        return f"{hours}{NBSP}h{NBSP}{mins:02d}"
    return f"{hours}{NBSP}h {mins}{NBSP}min"


def format_distance_m(meters: float, lang: str | None = None) -> str:
    """fr ``350 m``, ``1,2 km``, ``12 km``; en ``350 m``, ``1.2 km``, ``12 km``.

    Whole metres under 1 km; then kilometres with one decimal under 10 km
    (``1 km``, not ``1,0 km``) and whole kilometres beyond. Rounded half up.
    """
    lang = _lang(lang)
    if meters < 0:
        raise ValueError(f"negative distance: {meters!r}")
    whole_m = _round_half_up(meters)
    if whole_m < 1000:
        return f"{whole_m}{NBSP}m"
    km = _round_half_up(Decimal(str(meters)) / 1000, 1)
    if km < 10:
        text = f"{km:f}".removesuffix(".0")
        if lang == "fr":
            text = text.replace(".", ",")
        return f"{text}{NBSP}km"
    return f"{_group(int(_round_half_up(km)), lang)}{NBSP}km"


def format_month_year(d: date, lang: str | None = None) -> str:
    """A calendar's title: fr ``décembre 2026``, en ``December 2026``."""
    lang = _lang(lang)
    return f"{_names(lang, 'month', 'wide')[d.month]} {d.year}"


def weekday_names(lang: str | None = None) -> list[str]:
    """Abbreviated day names, Monday first (a French calendar's week)."""
    names = _names(_lang(lang), "day", "abbreviated")
    return [names[i] for i in range(7)]
