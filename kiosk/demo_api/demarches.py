"""Filing a démarche: ``POST /v1/demarches`` (action kind ``demarche``), and the filing both routes share.

A démarche is checked against the form version the person answered (kept in ``form_versions``,
see :mod:`.published_forms`), with the contract's reading of its answers
(:mod:`kiosk.api.form_answers`): refusals are 422 ``invalid_answers`` naming fields and keywords,
never the values. A report must say where: the street or place it names must be in the catalog.

Filing stores the answers and the contact in the démarche's row, the only place they are kept, and
creates its tracking row, which says what happens next and nothing about the person: « Suivre ma
demande » shows it from the tracking code, and the Open311 side (:mod:`.open311`) answers with
the same code.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.api import models
from kiosk.api.form_answers import AnswerError, answer_errors

from . import idempotency, plausible, published_forms
from . import seed_data as d
from .errors import ApiError, parse_body
from .request import JsonObject, Request
from .seed import PARIS

TRACKING_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"   # no I, no O: read aloud and typed on a keypad
# What happens to each kind of démarche, as « Suivre ma demande » shows it: a request is examined,
# then its document sent (or put at the counter); a report is examined, then acted on in the street.
RECEIVED = {"request": "Demande reçue", "report": "Signalement reçu"}
EXAMINED = "Instruction"
LAST_STEP = {"request": "Envoi", "report": "Intervention"}
AT_THE_TOWN_HALL = "Mise à disposition en mairie"


@dataclass(frozen=True)
class Place:
    """Where a report is, as the town's services and Open311 read it; never personal data."""

    latitude: float | None
    longitude: float | None
    address: str | None


def form_version(conn: sqlite3.Connection, form_id: str, version: int) -> JsonObject:
    """The form as published at ``version``; 422 ``form_unknown`` / ``form_version_unknown``."""
    if not published_forms.is_offered(conn, form_id):
        raise ApiError(422, "form_unknown", f"no form {form_id!r} is offered", {"form_id": form_id})
    form = published_forms.published(conn, form_id, version)
    if form is None:
        raise ApiError(422, "form_version_unknown", f"form {form_id!r} was never published at version {version}",
                       {"form_id": form_id, "form_version": version})
    return form


def _catalog_item(conn: sqlite3.Connection, kind: str, item_id: object) -> JsonObject | None:
    row = conn.execute("SELECT body FROM catalog WHERE kind=? AND id=? AND deleted=0", (kind, str(item_id))).fetchone()
    return None if row is None else dict(json.loads(row["body"]))


def locate(conn: sqlite3.Connection, where: Any, device_location: str | None) -> Place | None:
    """The place a ``location`` answer names (None: a street or place the catalog does not hold).
    « Here » is the terminal: its coordinates when it gave them, its location as enrolled."""
    if not isinstance(where, dict):
        return None
    kind = where.get("kind")
    if kind == "here":
        return Place(where.get("latitude"), where.get("longitude"), device_location)
    if kind == "street":
        street = _catalog_item(conn, "street", where.get("street_id"))
        if street is None:
            return None
        number = str(where.get("number") or "").strip()
        name = f"{number} {street['name']}" if number else street["name"]
        return Place(street["latitude"], street["longitude"], f"{name}, {street['postcode']} {d.TOWN}")
    if kind == "place":
        place = _catalog_item(conn, "place", where.get("place_id"))
        if place is None:
            return None
        address = place["address"]
        return Place(place["latitude"], place["longitude"],
                     f"{place['name']}, {address['street']}, {address['postcode']} {address['city']}")
    return None


def check_answers(conn: sqlite3.Connection, form: JsonObject, answers: JsonObject) -> list[AnswerError]:
    """The contract's errors of these answers, plus the server's own: a report says where, and
    where is a street or place of the catalog."""
    errors = set(answer_errors(form["schema"], answers))
    if form["kind"] == "report":
        if "where" not in answers:
            errors.add(AnswerError("where", "required"))
        elif not any(e.field == "where" for e in errors) and locate(conn, answers["where"], None) is None:
            errors.add(AnswerError("where", "unknown"))
    return sorted(errors)


def refuse(errors: list[AnswerError]) -> ApiError:
    """422 ``invalid_answers``: fields and keywords only (the values may be personal)."""
    return ApiError(422, "invalid_answers", "; ".join(f"{e.field}: {e.keyword}" for e in errors),
                    {"errors": [e.as_json() for e in errors]})


def _new_tracking_code(conn: sqlite3.Connection) -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_LETTERS) for _ in range(4)) + f"-{secrets.randbelow(10000):04d}"
        if conn.execute("SELECT 1 FROM tracking WHERE code=?", (code,)).fetchone() is None:
            return code


def tracking_body(code: str, form: JsonObject, answers: JsonObject, now: datetime) -> JsonObject:
    """The démarche as the public sees it from its code: the form's title and the steps, received
    today; nothing the person typed."""
    kind = "report" if form["kind"] == "report" else "request"
    last = AT_THE_TOWN_HALL if kind == "request" and answers.get("delivery") == "town_hall" else LAST_STEP[kind]
    local = now.astimezone(PARIS).replace(microsecond=0)
    return {"tracking_code": code, "request_type": form["title"]["fr"], "status": "in_progress",
            "current_step": EXAMINED,
            "steps": [{"label": RECEIVED[kind], "date": local.date().isoformat(), "done": True},
                      {"label": EXAMINED, "date": None, "done": False},
                      {"label": last, "date": None, "done": False}],
            "message": None, "updated_at": local.isoformat()}


def title_in(form: JsonObject, language: str) -> str:
    title: dict[str, str] = form["title"]
    return title.get(language) or title["fr"]


def file(conn: sqlite3.Connection, req: Request, form: JsonObject, answers: JsonObject,
         contact: JsonObject | None, language: str, filed_at: datetime, channel: str,
         place: Place | None = None) -> JsonObject:
    """Store a checked démarche and its tracking row (inside the caller's write transaction);
    returns the contract's DemarcheFiled. ``place`` overrides where a report is (Open311 gives it)."""
    device = req.terminal
    if place is None and form["kind"] == "report":
        place = locate(conn, answers.get("where"), json.loads(device["facts"]).get("location"))
    code = _new_tracking_code(conn)
    codes = form.get("open311_service_codes", {}) if form["kind"] == "report" else {}
    service_code = codes.get(answers.get("category"))
    demarche_id = str(uuid.uuid4())
    conn.execute("INSERT INTO demarches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (demarche_id, code, form["id"], form["version"], form["kind"], form["title"]["fr"], language,
                  json.dumps(answers, ensure_ascii=False), json.dumps(contact, ensure_ascii=False) if contact else None,
                  filed_at.isoformat(), req.now.isoformat(), device["id"], channel, service_code,
                  place.latitude if place else None, place.longitude if place else None,
                  place.address if place else None))
    conn.execute("INSERT INTO tracking VALUES (?, ?)",
                 (code, json.dumps(tracking_body(code, form, answers, req.now), ensure_ascii=False)))
    return {"id": demarche_id, "tracking_code": code, "form_id": form["id"], "status": "received",
            "title": title_in(form, language)}


def create(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    """``POST /v1/demarches`` (action kind ``demarche``)."""
    req.json_object()
    body = parse_body(models.DemarcheRequest, req.body)
    if body.terminal_id is not None:
        req.check_terminal(body.terminal_id)
    plausible.stamped("filed_at", body.filed_at, req.now, plausible.MAX_ACTION_AGE)

    def operation() -> tuple[int, JsonObject]:
        form = form_version(req.conn, body.form_id, body.form_version)
        errors = check_answers(req.conn, form, body.answers)
        if errors:
            raise refuse(errors)
        contact = body.contact.model_dump(exclude_none=True) if body.contact else None
        return 201, file(req.conn, req, form, body.answers, contact, body.language, body.filed_at, "kiosk")

    return idempotency.run(req, operation)
