"""« Qui vient ? »: the rules for what a person types to book, as plain functions.

Kept apart from the screen so each rule is tested with good and bad values, and so the
message a person reads is chosen here, in plain words, by the field it belongs to.
Values are checked and normalised, never logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.api.models import LATIN_LETTER
from kiosk.i18n import N_, _

NAME_MAX = 50
EMAIL_MAX = 200
APOSTROPHES = "'’"
# The letters of a name are the contract's (openapi.yaml, Person): what the form lets a person type,
# the central API accepts. E-mail characters: none of Python's spaces, no control character, no BOM.
_NAME_LETTER = re.compile(LATIN_LETTER)
_EMAIL_CHAR = r"[^@\s\x00-\x1f\x7f-\x9f\ufeff]"
FIELDS = ("last_name", "first_name", "phone", "email")
KEYS = {name: f"booking_{name}" for name in FIELDS}   # where each value lives in visit.fields

PROBLEMS = {
    "last_name_empty": N_("Type your last name."),
    "first_name_empty": N_("Type your first name."),
    "name_too_long": N_("A name has at most 50 characters here."),
    "name_characters": N_("A name has only letters, spaces, hyphens and apostrophes."),
    "phone_shape": N_("This is not a French phone number. Type it like 06 12 34 56 78 or +33 6 12 34 56 78."),
    "email_shape": N_("This e-mail address is not complete. Type it like marie.dupont@exemple.fr."),
    "contact_needed": N_("The terminal is offline: give a phone number or an e-mail address so that we can "
                         "confirm your appointment."),
}


@dataclass(frozen=True)
class Checked:
    """The person as the booking sends it, or the problem of each field (a PROBLEMS key)."""

    person: dict[str, str]
    problems: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self, field: str) -> str:
        code = self.problems.get(field)
        return problem_text(code) if code else ""


def problem_text(code: str) -> str:
    """The plain sentence of a problem code, in the visit's language."""
    return _(PROBLEMS[code])


def _is_name_char(ch: str) -> bool:
    if ch in " -" or ch in APOSTROPHES:
        return True
    return bool(_NAME_LETTER.fullmatch(ch)) and unicodedata.category(ch) in ("Lu", "Ll", "Lt")


def clean_name(text: str) -> str:
    """Spaces squeezed, the typographic apostrophe kept as typed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# Particles written in lower case inside a name (« Charles de Gaulle », « Anne d’Ornano »); the
# first word of a name keeps its capital (« Le Goff », « De Gaulle » written alone).
PARTICLES = frozenset({"de", "du", "des", "le", "la", "les"})
ELIDED_PARTICLES = frozenset({"d", "l"})   # « d’ », « l’ » before the name they belong to


def _capitalised(part: str) -> str:
    """« thérèse » and « THÉRÈSE » → « Thérèse »; a deliberate mix (« McBride ») stays as typed."""
    if part.islower() or part.isupper():
        return part[:1].upper() + part[1:].lower()
    return part


def display_name(text: str) -> str:
    """A name written the French way for the screen and the ticket: each part capitalised,
    across hyphens and apostrophes (« marie-thérèse » → « Marie-Thérèse », « o'neil » → « O'Neil »),
    particles in lower case inside the name (« jean de la fontaine » → « Jean de la Fontaine »,
    « anne d'ornano » → « Anne d'Ornano »). Only for showing: what the person typed is what the
    booking sends (:func:`check`)."""
    words = clean_name(text).split(" ")
    out = []
    for i, word in enumerate(words):
        if 0 < i < len(words) - 1 and word.lower() in PARTICLES:
            out.append(word.lower())
            continue
        pieces = re.split(r"([-'’])", word)
        for j, piece in enumerate(pieces):
            elided = i > 0 and j + 1 < len(pieces) and pieces[j + 1] in APOSTROPHES
            if elided and piece.lower() in ELIDED_PARTICLES:
                pieces[j] = piece.lower()
            elif piece not in ("-", *APOSTROPHES):
                pieces[j] = _capitalised(piece)
        out.append("".join(pieces))
    return " ".join(out)


def person_name(person: Mapping[str, str]) -> str:
    """« Marie-Thérèse Dupré-Lefèvre »: first name then last name, as :func:`display_name` writes them."""
    return display_name(f"{person.get('first_name', '')} {person.get('last_name', '')}")


def name_problem(text: str, field: str) -> str | None:
    name = clean_name(text)
    if not name:
        return f"{field}_empty"
    if len(name) > NAME_MAX:
        return "name_too_long"
    if not all(_is_name_char(ch) for ch in name) or not any(ch.isalpha() for ch in name):
        return "name_characters"
    return None


def normalise_phone(text: str) -> str | None:
    """A French number as +33XXXXXXXXX (06…, +33 6…, 0033…, spaces, dots, hyphens), or None."""
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.startswith("+33"):
        rest = compact[3:]
    elif compact.startswith("0033"):
        rest = compact[4:]
    elif compact.startswith("0"):
        rest = compact[1:]
    else:
        return None
    if rest.startswith("0"):       # +33 0 6…: the trunk zero typed as well
        rest = rest[1:]
    if not re.fullmatch(r"[1-9][0-9]{8}", rest):
        return None
    return "+33" + rest


def display_phone(normalised: str) -> str:
    """« 06 12 34 56 78 » for a +33 number."""
    national = "0" + normalised[3:]
    return " ".join(national[i:i + 2] for i in range(0, 10, 2))


def normalise_email(text: str) -> str | None:
    email = text.strip()
    if len(email) > EMAIL_MAX or not re.fullmatch(rf"{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.(?:(?!\.){_EMAIL_CHAR}){{2,}}",
                                                   email):
        return None
    local, domain = email.rsplit("@", 1)
    if domain.startswith(".") or ".." in domain:
        return None
    return f"{local}@{domain.lower()}"


def check(values: dict[str, str], *, contact_required: bool) -> Checked:
    """All four fields at once; ``contact_required`` while offline (a request is confirmed later)."""
    person: dict[str, str] = {}
    problems: dict[str, str] = {}
    for field in ("last_name", "first_name"):
        problem = name_problem(values.get(field, ""), field)
        if problem:
            problems[field] = problem
        else:
            person[field] = clean_name(values[field])
    phone_text, email_text = values.get("phone", "").strip(), values.get("email", "").strip()
    if phone_text:
        phone = normalise_phone(phone_text)
        if phone is None:
            problems["phone"] = "phone_shape"
        else:
            person["phone"] = phone
    if email_text:
        email = normalise_email(email_text)
        if email is None:
            problems["email"] = "email_shape"
        else:
            person["email"] = email
    if contact_required and not phone_text and not email_text:
        problems["phone"] = "contact_needed"
    return Checked(person, problems)


def typed(fields: dict[str, str]) -> dict[str, str]:
    """The four values as typed, from the visit's fields."""
    return {name: fields.get(KEYS[name], "") for name in FIELDS}
