"""The forms the town publishes: checked before publication, every version kept.

A form goes out in the catalog (kind ``form``, its current version) and into ``form_versions``
(every version ever published). A terminal holds the version a person started until they finish,
so the server must still validate a démarche filed on version 2 after version 3 went out: it
looks the version up here, never only the catalog. A withdrawn form leaves the catalog (deltas
report it in ``deleted.forms``); filing it is then refused as ``form_unknown``.

The server never publishes what the contract or a terminal's engine would refuse: a form is
checked against the contract's FormDefinition (closed), its schema against JSON Schema 2020-12,
and its ``ui`` for what the contract says of it (known widgets, every page field a property of
the schema, each field on one page, a choice's options its enum).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs installed
from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]

from kiosk.api import contract, models

from . import db

FORMS_DIR = Path(__file__).with_name("forms")
JsonObject = dict[str, Any]


class FormRejected(ValueError):
    """A form definition the server refuses to publish; the message says why."""


def seed_forms() -> list[JsonObject]:
    """The seed's form definitions (``forms/*.json``), in the order of their file names."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(FORMS_DIR.glob("*.json"))]


def _schema_fields(schema: JsonObject) -> set[str]:
    """Every property a form may ask: the top level's, and those a ``then`` adds."""
    fields = set(schema.get("properties", {}))
    for item in schema.get("allOf", []):
        fields.update(item.get("then", {}).get("properties", {}))
    return fields


def check(form: JsonObject) -> None:
    """Raise :class:`FormRejected` unless ``form`` may be published as it is."""
    problems = sorted(contract.validator("FormDefinition", closed=True).iter_errors(form), key=str)
    if problems:
        where = "/".join(str(p) for p in problems[0].absolute_path) or "form"
        raise FormRejected(f"{where}: {problems[0].message}")
    try:
        Draft202012Validator.check_schema(form["schema"])
    except SchemaError as exc:
        raise FormRejected(f"schema: {exc.message}") from None
    parsed = models.FormDefinition.model_validate(form)
    if parsed.kind not in models.FORM_KINDS:
        raise FormRejected(f"kind: {parsed.kind!r} is not one of {', '.join(models.FORM_KINDS)}")
    fields, ui = _schema_fields(form["schema"]), form["ui"]
    paged = [name for page in ui["pages"] for name in page["fields"]]
    for name in paged:
        if name not in fields:
            raise FormRejected(f"ui.pages: {name!r} is not a property of the schema")
        if name not in ui["fields"]:
            raise FormRejected(f"ui.fields: {name!r} has no widget")
    if len(paged) != len(set(paged)):
        raise FormRejected("ui.pages: a field is on two pages")
    for name, spec in ui["fields"].items():
        if spec["widget"] not in models.FORM_WIDGETS:
            raise FormRejected(f"ui.fields.{name}: unknown widget {spec['widget']!r}")
        if spec["widget"] == "choice":
            enum = form["schema"].get("properties", {}).get(name, {}).get("enum")
            if enum is None or set(spec.get("options", {})) != set(enum):
                raise FormRejected(f"ui.fields.{name}: a choice needs one option per value of its enum")


def publish(conn: sqlite3.Connection, form: JsonObject, now: datetime, *, keep_version: bool = False) -> int:
    """Publish ``form`` (inside a write transaction) as the next version of its id, or as the version it
    names (``keep_version``: the seed's); returns the version. The catalog's copy is replaced, the
    older versions stay known."""
    check(form)
    latest = conn.execute("SELECT max(version) FROM form_versions WHERE form_id=?", (form["id"],)).fetchone()[0] or 0
    version = int(form["version"]) if keep_version else latest + 1
    if version <= latest:
        raise FormRejected(f"version: {form['id']} is already published up to version {latest}")
    body = {**form, "version": version}
    conn.execute("INSERT INTO form_versions VALUES (?, ?, ?, ?)",
                 (form["id"], version, json.dumps(body, ensure_ascii=False), now.isoformat()))
    db.put_catalog(conn, "form", body)
    return version


def withdraw(conn: sqlite3.Connection, form_id: str) -> bool:
    """Take a form out of the catalog (inside a write transaction); its versions stay for the record."""
    return db.delete_catalog(conn, "form", form_id)


def published(conn: sqlite3.Connection, form_id: str, version: int) -> JsonObject | None:
    """Version ``version`` of a form as it was published (None: never published)."""
    row = conn.execute("SELECT body FROM form_versions WHERE form_id=? AND version=?", (form_id, version)).fetchone()
    return None if row is None else dict(json.loads(row["body"]))


def is_offered(conn: sqlite3.Connection, form_id: str) -> bool:
    """The form is in the catalog now (published and not withdrawn)."""
    return conn.execute("SELECT 1 FROM catalog WHERE kind='form' AND id=? AND deleted=0",
                        (form_id,)).fetchone() is not None


def current_reports(conn: sqlite3.Connection) -> list[JsonObject]:
    """The report forms offered now, at their current version (the Open311 services come from them)."""
    rows = conn.execute("SELECT body FROM catalog WHERE kind='form' AND deleted=0 ORDER BY id").fetchall()
    return [form for form in (json.loads(r["body"]) for r in rows) if form.get("kind") == "report"]
