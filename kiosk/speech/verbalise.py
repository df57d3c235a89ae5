"""Text as it must be heard: what the screen shows, rewritten for a speech engine's ears.

The screens write for eyes — « 9 h 30 », « 03/12/2026 », « n° 12 », « 12,50 € »,
« RDV-K7QM-4P » — and espeak-ng, given that text, says « neuf trente » (the « h » is
silent), « douze virgule cinquante euro », « N douze », or reads a reference as a word.
These pure functions turn such text into what a person says aloud, in French or English;
numbers stay in digits, which the engine says correctly in each language, except where it
would say them wrongly (« une heure », not « un heure »).

Each rule is a function of the text and the language, applied in :func:`verbalise` in an
order that keeps them from tripping over each other (a date before a time, a phone number
before the references and units). The parts of an utterance that are known to be a
reference, a phone number or an e-mail address are said with :func:`spelled`,
:func:`phone_in_pairs` and :func:`email_aloud` whatever they look like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from kiosk.formatting import format_date_long

LANGUAGES = ("fr", "en")
_SPACES = "\u00a0\u202f\u2007\u2009"   # no-break, narrow no-break, figure and thin spaces
_DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)[\u202f\u2009](?=\d{3}\b)")   # « 12 345 »: one number
_QUOTES = re.compile(r"[«»“”„•●▪◦]")   # quotes and list bullets: seen, not said
_SPACE_BEFORE_MARK = re.compile(r" ([,.)])")   # « Touchez « Aide », en bas » → « Touchez Aide, en bas »


def _lang(lang: str) -> str:
    base = lang.replace("-", "_").split("_")[0].lower()
    if base not in LANGUAGES:
        raise ValueError(f"no spoken rules for language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    return base


def plain_spaces(text: str) -> str:
    """No-break spaces become spaces; a narrow space between digit groups joins the number."""
    text = _DIGIT_GROUP_SPACE.sub("", text)
    return text.translate({ord(c): " " for c in _SPACES})


# --- dates -----------------------------------------------------------------------------------
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")


def _date_words(year: str, month: str, day: str, lang: str, original: str) -> str:
    try:
        return format_date_long(date(int(year), int(month), int(day)), lang)
    except ValueError:   # « 31/02/2026 » is not a date: leave it as written
        return original


def dates_in_words(text: str, lang: str) -> str:
    """« 03/12/2026 » and « 2026-12-03 » → « jeudi 3 décembre 2026 » (en « Thursday 3 December 2026 »);
    the French day-first order is read in both languages, as the kiosk writes it."""
    lang = _lang(lang)
    text = _NUMERIC_DATE.sub(lambda m: _date_words(m[3], m[2], m[1], lang, m[0]), text)
    return _ISO_DATE.sub(lambda m: _date_words(m[1], m[2], m[3], lang, m[0]), text)


# --- phone numbers ---------------------------------------------------------------------------
_PHONE = re.compile(r"(?<![\w+])(?:(\+33) ?(?:\(0\) ?)?([1-9])|0([1-9]))((?:[ .\-]?\d{2}){4})(?![\w])")


def _pair(pair: str) -> str:
    """« 05 » is said « zéro cinq », « 41 » « quarante et un »."""
    return f"0 {pair[1]}" if pair.startswith("0") else pair


def phone_in_pairs(number: str) -> str:
    """« 02 41 39 52 10 » → « 0 2, 41, 39, 52, 10 »; « +33 2 41 39 52 10 » → « +33, 2, 41, 39, 52, 10 ».
    Any other string of digits is said in pairs from the left, a last odd digit alone."""
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+33"):
        rest = digits[3:]
        return ", ".join(["+33", rest[:1], *(_pair(rest[i:i + 2]) for i in range(1, len(rest), 2))])
    digits = digits.lstrip("+")
    return ", ".join(_pair(digits[i:i + 2]) if len(digits[i:i + 2]) == 2 else digits[i:]
                     for i in range(0, len(digits), 2))


def phones_in_pairs(text: str, lang: str) -> str:
    """French phone numbers found in ``text`` said two digits at a time."""
    _lang(lang)
    return _PHONE.sub(lambda m: phone_in_pairs(m[0]), text)


# --- references ------------------------------------------------------------------------------
# A booking or request reference (RDV-QXNG-SR, DEM-…) or a tracking code (ABCD-1234): upper-case
# groups joined by hyphens, with a digit somewhere or one of the references' known prefixes.
_REFERENCE = re.compile(r"(?<![\w-])(?:(?:RDV|DEM)(?:-[A-Z0-9]+)+|(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])"
                        r"[A-Z0-9]+(?:-[A-Z0-9]+)+)(?![\w-])")


#: The same, for finding references in a screen's text (:mod:`kiosk.speech.personal`).
REFERENCE_PATTERN = _REFERENCE


def spelled(reference: str) -> str:
    """Letter by letter, a pause between groups: « RDV-K7QM-4P » → « R D V, K 7 Q M, 4 P »."""
    groups = [g for g in re.split(r"[\s\-_./]+", reference.upper()) if g]
    return ", ".join(" ".join(g) for g in groups)


def references_spelled(text: str, lang: str) -> str:
    _lang(lang)
    return _REFERENCE.sub(lambda m: spelled(m[0]), text)


def queue_number_aloud(number: str) -> str:
    """A queue number as it is called: « A012 » → « A12 », said « A douze » / « ay twelve ».

    Why not letter by letter: the zeros only pad the printed number to a fixed width, and a
    waiting room calls « A douze », as the board writes « A 12 » under the number. Why glued:
    espeak-ng reads « A 12 » in English as the article (« uh twelve ») but « A12 » as the letter.
    A number of another shape is left as it is.
    """
    match = re.fullmatch(r"([A-Za-z]{1,3})-?0*([0-9]+)", number.strip())
    if not match:
        return number.strip()
    return f"{match[1].upper()}{int(match[2])}"


# --- e-mail addresses ------------------------------------------------------------------------
_EMAIL_WORDS = {
    "fr": {"@": "arobase", ".": "point", "-": "tiret", "_": "tiret bas"},
    "en": {"@": "at", ".": "dot", "-": "dash", "_": "underscore"},
}


def email_aloud(address: str, lang: str) -> str:
    """« jean.dupont@ville.fr » → « jean point dupont arobase ville point fr » (en « … at … dot … »)."""
    words = _EMAIL_WORDS[_lang(lang)]
    return " ".join(re.sub(r"([@._\-])", lambda m: f" {words[m[1]]} ", address.strip()).split())


# --- money -----------------------------------------------------------------------------------
_EURO_AFTER = re.compile(r"(?<![\d,.])(\d+)(?:[,.](\d{1,2}))? ?€")
_EURO_BEFORE = re.compile(r"€ ?(\d+)(?:[.,](\d{1,2}))?(?![\d])")
_MONEY_WORDS = {"fr": ("euro", "euros", "centime", "centimes"), "en": ("euro", "euros", "cent", "cents")}


def _amount(euros: str, cents: str | None, lang: str) -> str:
    one, many, cent, cents_word = _MONEY_WORDS[lang]
    whole = int(euros)
    fraction = int(cents.ljust(2, "0")) if cents else 0
    if whole == 0 and fraction:
        return f"{fraction} {cent if fraction == 1 else cents_word}"
    said = f"{whole} {one if whole == 1 else many}"
    return f"{said} {fraction}" if fraction else said


def money_aloud(text: str, lang: str) -> str:
    """« 12,50 € » → « 12 euros 50 »; « 1 € » → « 1 euro »; « 0,50 € » → « 50 centimes »; « €12.50 » too."""
    lang = _lang(lang)
    text = _EURO_AFTER.sub(lambda m: _amount(m[1], m[2], lang), text)
    return _EURO_BEFORE.sub(lambda m: _amount(m[1], m[2], lang), text)


# --- times and durations ---------------------------------------------------------------------
_FR_TIME = re.compile(r"(?<![\w,.])(\d{1,2}) ?h(?: ?(\d{2}))?(?! ?\d)(?!\w)")
_EN_CLOCK = re.compile(r"(?<![\w:])(\d{1,2}):(\d{2})(?: ?([ap])\.?m\.?)?(?![\w:])", re.IGNORECASE)
_EN_HOURS = re.compile(r"(?<![\w,.])(\d{1,2}) ?h(?: (\d{1,2}) ?min)?(?!\w)")
_FR_TIME_IN_EN = re.compile(r"(?<![\w,.])(\d{1,2}) ?h ?(\d{2})(?! ?min)(?!\w)")   # the town's French hours
_FR_HOUR_WORDS = {0: "zéro heure", 1: "une heure", 21: "vingt-et-une heures"}


def _fr_time(m: re.Match[str]) -> str:
    hour, minutes = int(m[1]), int(m[2]) if m[2] else 0
    if hour > 24 or minutes > 59:
        return m[0]
    said = _FR_HOUR_WORDS.get(hour, f"{hour} heures")
    return f"{said} {minutes}" if minutes else said


def _en_clock(m: re.Match[str]) -> str:
    hour, minutes = int(m[1]), int(m[2])
    if hour > 24 or minutes > 59:
        return m[0]
    suffix = f" {m[3].lower()} m" if m.lastindex and m.lastindex >= 3 and m[3] else ""
    if minutes == 0:
        return f"{hour}{suffix}" if suffix else f"{hour} o'clock"
    said = f"oh {minutes}" if minutes < 10 else str(minutes)
    return f"{hour} {said}{suffix}"


def _en_hours(m: re.Match[str]) -> str:
    hours = int(m[1])
    said = f"{hours} hour" + ("" if hours == 1 else "s")
    if m[2]:
        minutes = int(m[2])
        said += f" {minutes} minute" + ("" if minutes == 1 else "s")
    return said


def times_aloud(text: str, lang: str) -> str:
    """fr « 9 h 30 » → « 9 heures 30 », « 12 h » → « 12 heures », « 1 h 05 » → « une heure 5 »;
    en « 9:30 am » → « 9 30 a m », « 2:00 pm » → « 2 p m », « 9:05 » → « 9 oh 5 », « 1 h 30 min »
    → « 1 hour 30 minutes », « 2 h » → « 2 hours »; a French time left in English text (the town's
    own wording, « 9 h 30 ») → « 9 30 »."""
    lang = _lang(lang)
    if lang == "fr":
        return _FR_TIME.sub(_fr_time, text)
    text = _EN_CLOCK.sub(_en_clock, text)
    text = _FR_TIME_IN_EN.sub(_en_clock, text)
    return _EN_HOURS.sub(_en_hours, text)


# --- units and « n° » ------------------------------------------------------------------------
_UNIT = re.compile(r"(?<![\w])(\d+(?:[,.]\d+)?) ?(min|km|m)(?!\w)")
_UNIT_WORDS = {
    "fr": {"min": ("minute", "minutes"), "km": ("kilomètre", "kilomètres"), "m": ("mètre", "mètres")},
    "en": {"min": ("minute", "minutes"), "km": ("kilometre", "kilometres"), "m": ("metre", "metres")},
}
_NUMERO = re.compile(r"(?<!\w)(?:[nN][°º]|No\.(?= ?\d)) ?")


def units_aloud(text: str, lang: str) -> str:
    """« 15 min » → « 15 minutes », « 350 m » → « 350 mètres », « 1,2 km » → « 1,2 kilomètres »."""
    lang = _lang(lang)
    words = _UNIT_WORDS[lang]
    singular = ("0", "1") if lang == "fr" else ("1",)   # « 0 minute », but « 0 minutes »

    def said(m: re.Match[str]) -> str:
        one, many = words[m[2]]
        return f"{m[1]} {one if m[1] in singular else many}"

    return _UNIT.sub(said, text)


def numero_aloud(text: str, lang: str) -> str:
    """« n° 12 » → « numéro 12 » (en « number 12 »; « No. 12 » too)."""
    word = "numéro" if _lang(lang) == "fr" else "number"
    return _NUMERO.sub(f"{word} ", text)


# --- all of them -----------------------------------------------------------------------------
RULES: tuple[Callable[[str, str], str], ...] = (
    dates_in_words, phones_in_pairs, references_spelled, money_aloud, times_aloud, units_aloud, numero_aloud,
)


def verbalise(text: str, lang: str) -> str:
    """``text`` as a person would say it in ``lang`` ("fr" or "en"), ready for the engine."""
    lang = _lang(lang)
    text = _QUOTES.sub("", plain_spaces(text))
    for rule in RULES:
        text = rule(text, lang)
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.split()))
