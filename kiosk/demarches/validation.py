"""Which fields a form shows for the answers so far, and what is wrong with those answers.

Both read the form's JSON Schema with the ``jsonschema`` package (Draft 2020-12), as the
contract says, so the terminal and the central API judge the same answers the same way:

* a field is *shown* when it is a top-level property, or a property of the ``then`` of an
  ``allOf`` item whose ``if`` the answers satisfy (hidden fields' answers are dropped before
  judging, so a condition never depends on something the person cannot see);
* each validation error lands under its field, with the form's own sentence for that
  keyword (``ui.errors``) if the town wrote one, else the terminal's plain one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]  # no stubs installed
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from kiosk.demarches import words
from kiosk.demarches.form import FieldDef, FormDefinition, Widget

__all__ = ["field_problem", "form_errors", "normalise", "required_fields", "shown_fields"]

PHONE = re.compile(r"^(?:\+33|0033|0)[1-9][0-9]{8}$")
POSTCODE = re.compile(r"^[0-9]{5}$")
_SEPARATORS = re.compile(r"[\s.\-]")
_FORMATS = FormatChecker()
_validators: dict[int, Draft202012Validator] = {}


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """One compiled validator per schema object (a form's schema is read-only once parsed)."""
    v = _validators.get(id(schema))
    if v is None or v.schema is not schema:
        if len(_validators) > 64:   # bounded: a few forms, a few versions
            _validators.clear()
        v = _validators[id(schema)] = Draft202012Validator(schema, format_checker=_FORMATS)
    return v


def shown_fields(form: FormDefinition, answers: Mapping[str, Any]) -> set[str]:
    """The names of the fields shown for ``answers`` (a fixpoint: a condition may read a field
    that is itself conditional)."""
    top = set(form.schema.get("properties") or {})
    shown = set(top)
    for _round in range(8):
        kept = {k: v for k, v in answers.items() if k in shown}
        now = set(top)
        for item in form.schema.get("allOf") or ():
            if not isinstance(item, Mapping) or not isinstance(item.get("then"), Mapping):
                continue
            condition = item.get("if")
            if condition is None or _validator(condition).is_valid(kept):
                now |= set(item["then"].get("properties") or {})
        if now == shown:
            break
        shown = now
    return shown


def required_fields(form: FormDefinition, answers: Mapping[str, Any]) -> set[str]:
    """The fields the form requires for ``answers``: the top level's ``required`` and that of
    each ``then`` whose ``if`` the shown answers satisfy (what a field shows as « obligatoire »)."""
    shown = shown_fields(form, answers)
    kept = {k: v for k, v in answers.items() if k in shown}
    required = set(form.schema.get("required") or ())
    for item in form.schema.get("allOf") or ():
        if not isinstance(item, Mapping) or not isinstance(item.get("then"), Mapping):
            continue
        condition = item.get("if")
        if condition is None or _validator(condition).is_valid(kept):
            required |= set(item["then"].get("required") or ())
    return required & shown


def normalise(field: FieldDef, value: Any) -> Any:
    """The answer as it is kept and sent: phone numbers without separators, trimmed strings."""
    if isinstance(value, str):
        value = value.strip()
        if field.widget is Widget.PHONE:
            value = _SEPARATORS.sub("", value)
    return value


def field_problem(field: FieldDef, value: Any, language: str) -> str | None:
    """What the widget itself requires beyond the schema (French phone numbers, postcodes)."""
    if not isinstance(value, str) or not value:
        return None
    if field.widget is Widget.PHONE and not PHONE.match(value):
        return words.say(language, words.PHONE)
    if field.widget is Widget.POSTCODE and not POSTCODE.match(value):
        return words.say(language, words.POSTCODE)
    return None


def _fields_of(error: ValidationError) -> list[str]:
    if error.validator == "required" and not error.absolute_path:
        return [n for n in error.validator_value if isinstance(error.instance, Mapping) and n not in error.instance]
    if error.absolute_path:
        return [str(error.absolute_path[0])]
    return []


def _generic(error: ValidationError, field: FieldDef | None, language: str) -> str:
    keyword = error.validator
    inside = len(error.absolute_path) > 1 or (keyword == "required" and len(error.absolute_path) == 1)
    if field is not None and field.widget is Widget.ADDRESS and inside:
        return words.say(language, words.ADDRESS)   # a part of the address: say which parts it needs
    if keyword == "required":
        return words.say(language, words.REQUIRED)
    if keyword in ("enum", "const"):
        return words.say(language, words.ENUM)
    if keyword == "maxLength":
        return words.say(language, words.MAX_LENGTH, n=error.validator_value)
    if keyword == "minLength":
        return words.say(language, words.MIN_LENGTH, n=error.validator_value)
    if keyword == "pattern":
        if field is not None and field.widget is Widget.PHONE:
            return words.say(language, words.PHONE)
        if field is not None and field.widget is Widget.POSTCODE:
            return words.say(language, words.POSTCODE)
        return words.say(language, words.PATTERN)
    if keyword == "format":
        return words.say(language, {"date": words.FORMAT_DATE, "email": words.FORMAT_EMAIL}.get(
            str(error.validator_value), words.FORMAT_OTHER))
    return words.say(language, words.INVALID)


def form_errors(form: FormDefinition, answers: Mapping[str, Any], language: str) -> dict[str, tuple[str, str]]:
    """field → (keyword, sentence in ``language``), the first problem of each field; only shown
    fields' answers are judged. The form's ``ui.errors[field][keyword]`` wins over the generic one."""
    shown = shown_fields(form, answers)
    kept = {k: v for k, v in answers.items() if k in shown}
    found: dict[str, tuple[str, str]] = {}
    for name in sorted(kept):
        field = form.fields.get(name)
        problem = field_problem(field, kept[name], language) if field is not None else None
        if problem:
            found[name] = ("pattern", problem)
    errors = sorted(_validator(form.schema).iter_errors(kept), key=lambda e: (len(e.absolute_path), e.validator))
    for error in errors:
        keyword = str(error.validator)
        for name in _fields_of(error):
            if name in found:
                continue
            own = form.errors.get(name, {}).get(keyword)
            found[name] = (keyword, own.text(language) if own is not None
                           else _generic(error, form.fields.get(name), language))
    return found
