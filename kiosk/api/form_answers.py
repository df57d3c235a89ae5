"""The contract's reading of a form's answers: which fields are shown, and which answer an error is about.

Both ends need the same two rules, so they are written once, here, beside the contract
(``openapi.yaml``, « Démarches »): the terminal's form engine decides what to ask and what to say
under a field with them, and the reference server validates a filed démarche with them.

* A field is *shown* when it is a property of the schema's top level, or of the ``then`` of an
  ``allOf`` item whose ``if`` matches the answers so far.
* An error is about one top-level field (the answer that must change) and one JSON Schema keyword
  (``enum``, ``required``, ``minLength``…): the terminal words it with ``ui.errors[field][keyword]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]  # no stubs installed

#: the field of an error that is about no answer in particular (the answers are not an object)
WHOLE_FORM = "answers"


@dataclass(frozen=True, order=True)
class AnswerError:
    """One refused answer: the top-level field, and the keyword of the rule it breaks."""

    field: str
    keyword: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "keyword": self.keyword}


def validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 validator that checks formats too (``date`` is a real day)."""
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _conditionals(schema: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    for item in schema.get("allOf", ()):
        if isinstance(item, Mapping) and isinstance(item.get("if"), Mapping) and isinstance(item.get("then"), Mapping):
            yield item["if"], item["then"]


def shown_fields(schema: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """The fields shown for these answers, top-level ones first, each once, in the schema's order."""
    shown = list(schema.get("properties", {}))
    for condition, then in _conditionals(schema):
        if validator(condition).is_valid(dict(answers)):
            shown.extend(name for name in then.get("properties", {}) if name not in shown)
    return shown


def answer_errors(schema: Mapping[str, Any], answers: Any) -> list[AnswerError]:
    """Every refused answer, sorted and each (field, keyword) once; empty: the answers are valid."""
    if not isinstance(answers, Mapping):
        return [AnswerError(WHOLE_FORM, "type")]
    found: set[AnswerError] = set()
    for error in validator(schema).iter_errors(dict(answers)):
        if error.path:
            found.add(AnswerError(str(error.path[0]), str(error.validator)))
        elif error.validator == "required":
            found.update(AnswerError(name, "required") for name in error.validator_value if name not in answers)
        elif error.validator in ("additionalProperties", "unevaluatedProperties"):
            shown = shown_fields(schema, answers)
            found.update(AnswerError(name, str(error.validator)) for name in answers if name not in shown)
        else:
            found.add(AnswerError(WHOLE_FORM, str(error.validator)))
    return sorted(found)
