"""A form definition as the town publishes it, parsed and checked once, then read-only.

The central API sends each démarche as JSON Schema 2020-12 (what answers are valid, with
``allOf``/``if``/``then`` for the parts that depend on earlier answers) plus a small UI layer
(pages, widgets, labels, help, the town's own error sentences). Everything is checked here,
when the definition is parsed: a definition this terminal cannot show *entirely* raises
:class:`FormUnavailable` with a reason, and the form is not offered at all — never half-shown.
A parsed :class:`FormDefinition` is frozen: the visit that started on it keeps it even if a
newer version is synced meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs installed
from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]

__all__ = ["Before", "FieldDef", "FormDefinition", "FormUnavailable", "Localized", "PageDef", "Widget",
           "form_problem", "parse_form"]

FORM_ID = re.compile(r"^[a-z0-9-]{1,64}$")


class Widget(StrEnum):
    """The closed list of widgets a form may ask for (the contract's); anything else makes the
    form unavailable."""

    CHOICE = "choice"        # enum of strings, large tiles
    TEXT = "text"            # string, on-screen keyboard (``multiline`` optional)
    DATE = "date"            # string, format "date", a calendar
    YES_NO = "yes_no"        # boolean
    PHONE = "phone"          # string, French phone number
    EMAIL = "email"          # string, e-mail address
    POSTCODE = "postcode"    # string, five digits
    LOCATION = "location"    # {"kind": "here"} | {"kind": "street", ...} | {"kind": "place", ...}
    ADDRESS = "address"      # {"street", "postcode", "city"}: postal delivery


@dataclass(frozen=True)
class Localized:
    """A human text in French (always) and English (optional): ``text(lang)`` falls back to French."""

    fr: str
    en: str | None = None

    def text(self, language: str) -> str:
        """The text in ``language`` ("fr" or "en"); French when there is no English."""
        return self.en if language == "en" and self.en else self.fr

    @property
    def has_english(self) -> bool:
        return bool(self.en)


@dataclass(frozen=True)
class FieldDef:
    """One field of the UI layer: how it is shown (its schema part lives in ``FormDefinition.schema``)."""

    name: str
    widget: Widget
    label: Localized
    help: Localized | None = None
    options: tuple[tuple[str, Localized], ...] = ()   # choice: (value, label), in the order published
    multiline: bool = False
    personal: bool = False                           # erased from the outbox after acknowledgement


@dataclass(frozen=True)
class PageDef:
    """One page of the UI layer, in the published order; its fields may be hidden by conditions."""

    id: str
    title: Localized
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Before:
    """What the person reads before starting: who may ask, the cost, what to bring, the delay."""

    who: Localized | None = None
    cost: Localized | None = None
    bring: tuple[Localized, ...] = ()
    delay: Localized | None = None


@dataclass(frozen=True)
class FormDefinition:
    """One version of one démarche, checked: every widget known, the schema valid 2020-12."""

    id: str
    version: int
    kind: str                                   # "request" or "report"
    profiles: tuple[str, ...]
    title: Localized
    summary: Localized | None
    icon: str | None
    before: Before
    schema: Mapping[str, Any]
    pages: tuple[PageDef, ...]
    fields: Mapping[str, FieldDef]
    errors: Mapping[str, Mapping[str, Localized]] = field(default_factory=dict)   # field -> keyword -> text
    receipt_next: Localized | None = None
    open311_service_codes: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_english(self) -> bool:
        """Whether the town wrote this form in English (else an English visit reads French)."""
        return self.title.has_english


class FormUnavailable(Exception):
    """A definition this terminal cannot show entirely. ``str()`` is one line naming the form and
    the reason (no answers, nothing personal: it goes to the log)."""

    def __init__(self, form_id: str, reason: str) -> None:
        super().__init__(f"form {form_id!r} unavailable: {reason}")
        self.form_id = form_id
        self.reason = reason


def _localized(value: Any, where: str, form_id: str) -> Localized:
    if isinstance(value, str) and value.strip():
        return Localized(value)
    if not isinstance(value, Mapping) or not isinstance(value.get("fr"), str) or not value["fr"].strip():
        raise FormUnavailable(form_id, f"{where} has no French text")
    en = value.get("en")
    return Localized(value["fr"], en if isinstance(en, str) and en.strip() else None)


def _optional(value: Any, where: str, form_id: str) -> Localized | None:
    return None if value is None else _localized(value, where, form_id)


def _field(name: str, spec: Any, form_id: str) -> FieldDef:
    if not isinstance(spec, Mapping):
        raise FormUnavailable(form_id, f"field {name!r} is not an object")
    try:
        widget = Widget(str(spec.get("widget")))
    except ValueError:
        raise FormUnavailable(form_id, f"field {name!r} has the unsupported widget {spec.get('widget')!r}") from None
    options: tuple[tuple[str, Localized], ...] = ()
    if widget is Widget.CHOICE:
        raw = spec.get("options")
        if not isinstance(raw, Mapping) or not raw:
            raise FormUnavailable(form_id, f"choice field {name!r} has no options")
        options = tuple((str(v), _localized(t, f"option {v!r} of {name!r}", form_id)) for v, t in raw.items())
    return FieldDef(name, widget, _localized(spec.get("label"), f"label of {name!r}", form_id),
                    _optional(spec.get("help"), f"help of {name!r}", form_id), options,
                    bool(spec.get("multiline")), bool(spec.get("personal")))


def _references(node: Any) -> list[str]:
    """Every ``$ref`` / ``$dynamicRef`` of a schema, however deep."""
    if isinstance(node, Mapping):
        found = [str(node[k]) for k in ("$ref", "$dynamicRef") if k in node]
        return found + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def _reference_problem(schema: Mapping[str, Any]) -> str | None:
    """A reference the engine could not follow on a terminal with no network for it: one outside
    the schema itself, or a pointer to nothing (else a page would fail while a person fills it in)."""
    for ref in _references(schema):
        if not ref.startswith("#"):
            return f"its schema refers to {ref[:80]!r}, outside itself"
        node: Any = schema
        for part in [p.replace("~1", "/").replace("~0", "~") for p in ref[1:].split("/") if p]:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            return f"its schema refers to {ref[:80]!r}, which it does not hold"
    return None


def _schema_fields(schema: Mapping[str, Any]) -> set[str]:
    """Every property a field may answer: the top level's and each ``allOf`` item's ``then``."""
    names = set(schema.get("properties") or {})
    for item in schema.get("allOf") or ():
        if isinstance(item, Mapping):
            then = item.get("then")
            if isinstance(then, Mapping):
                names |= set(then.get("properties") or {})
    return names


def parse_form(body: Mapping[str, Any]) -> FormDefinition:
    """Check and parse one published definition; :class:`FormUnavailable` says why not."""
    try:
        return _parse(body)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:   # a shape no check foresaw
        form_id = str(body.get("id") or "?") if isinstance(body, Mapping) else "?"
        raise FormUnavailable(form_id, f"its definition cannot be read ({type(exc).__name__})") from None


def _parse(body: Mapping[str, Any]) -> FormDefinition:
    form_id = str(body.get("id") or "?") if isinstance(body, Mapping) else "?"
    if not isinstance(body, Mapping):
        raise FormUnavailable(form_id, "the definition is not an object")
    if not FORM_ID.match(form_id):
        raise FormUnavailable(form_id, "its id is not made of a-z, 0-9 and -")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormUnavailable(form_id, "its version is not a positive integer")
    kind = body.get("kind")
    if kind not in ("request", "report"):
        raise FormUnavailable(form_id, f"its kind {kind!r} is neither 'request' nor 'report'")
    schema = body.get("schema")
    if not isinstance(schema, Mapping) or schema.get("type") != "object":
        raise FormUnavailable(form_id, "its schema is not a JSON Schema of type object")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise FormUnavailable(form_id, f"its schema is invalid ({exc.message})") from None
    unreachable = _reference_problem(schema)
    if unreachable:
        raise FormUnavailable(form_id, unreachable)
    ui = body.get("ui")
    if not isinstance(ui, Mapping):
        raise FormUnavailable(form_id, "it has no ui part")
    raw_fields = ui.get("fields")
    if not isinstance(raw_fields, Mapping):
        raise FormUnavailable(form_id, "its ui has no fields")
    fields = {str(name): _field(str(name), spec, form_id) for name, spec in raw_fields.items()}
    known = _schema_fields(schema)
    pages: list[PageDef] = []
    placed: set[str] = set()
    for i, page in enumerate(ui.get("pages") or ()):
        if not isinstance(page, Mapping) or not isinstance(page.get("fields"), list):
            raise FormUnavailable(form_id, f"page {i + 1} has no list of fields")
        page_id = str(page.get("id") or f"page-{i + 1}")
        names = tuple(str(n) for n in page["fields"])
        for name in names:
            if name not in fields:
                raise FormUnavailable(form_id, f"page {page_id!r} shows {name!r}, which has no ui field")
            if name not in known:
                raise FormUnavailable(form_id, f"field {name!r} is not in the schema")
        placed.update(names)
        pages.append(PageDef(page_id, _localized(page.get("title"), f"title of page {page_id!r}", form_id), names))
    if not pages:
        raise FormUnavailable(form_id, "it has no pages")
    unplaced = sorted(known - placed)
    if unplaced:
        raise FormUnavailable(form_id, f"the schema's field {unplaced[0]!r} is on no page")
    errors: dict[str, dict[str, Localized]] = {}
    for name, by_keyword in (ui.get("errors") or {}).items():
        if isinstance(by_keyword, Mapping):
            errors[str(name)] = {str(k): _localized(t, f"error {k!r} of {name!r}", form_id)
                                 for k, t in by_keyword.items()}
    raw_before = body.get("before") or {}
    before = Before(_optional(raw_before.get("who"), "before.who", form_id),
                    _optional(raw_before.get("cost"), "before.cost", form_id),
                    tuple(_localized(t, "before.bring", form_id) for t in raw_before.get("bring") or ()),
                    _optional(raw_before.get("delay"), "before.delay", form_id))
    receipt = body.get("receipt") or {}
    profiles = body.get("profiles") or []
    if not isinstance(profiles, list) or not all(isinstance(p, str) for p in profiles):
        raise FormUnavailable(form_id, "its profiles are not a list of names")
    codes = body.get("open311_service_codes") or {}
    return FormDefinition(
        id=form_id, version=version, kind=str(kind), profiles=tuple(profiles),
        title=_localized(body.get("title"), "title", form_id),
        summary=_optional(body.get("summary"), "summary", form_id),
        icon=str(body["icon"]) if body.get("icon") else None, before=before, schema=schema,
        pages=tuple(pages), fields=fields, errors=errors,
        receipt_next=_optional(receipt.get("next") if isinstance(receipt, Mapping) else None, "receipt.next",
                               form_id),
        open311_service_codes={str(k): str(v) for k, v in codes.items()} if isinstance(codes, Mapping) else {})


def form_problem(body: Mapping[str, Any]) -> str | None:
    """None when this terminal can show ``body`` entirely, else the reason (for the sync, which
    stores the form as unavailable and logs the reason once)."""
    try:
        parse_form(body)
    except FormUnavailable as exc:
        return exc.reason
    return None
