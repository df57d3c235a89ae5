"""Open311 GeoReport v2 for reports: services list, post a request, get a request (``open311.yaml``).

A town's report may go to an Open311 endpoint rather than the contract's ``POST /v1/demarches``; the
reference server answers one so that the kiosk's Open311 sender is tested against something real.
It files through the same path as the contract (:func:`.demarches.file`): the same form version
check, the same démarche row, the same tracking row, so the ``service_request_id`` it answers is
the tracking code « Suivre ma demande » reads.

Open311 differs from the contract on purpose, and this module keeps its ways: form-encoded posts,
``api_key`` (here the terminal's token) in the body, errors as ``[{"code", "description"}]``. The
``Idempotency-Key`` header, an extension, is honoured through the same store as the contract's
actions; every verdict (a filed report or a refusal) is stored, wrapped, and replayed as it was.
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime
from typing import Any

from . import db, demarches, idempotency, published_forms
from .devices import authenticate
from .errors import ApiError
from .request import FORM_ENCODED, JsonObject, Raw, Request
from .seed import PARIS

BASE = "/open311/v2"
JSON = "application/json; charset=utf-8"
Answer = tuple[int, Raw] | tuple[int, Raw, dict[str, str]]


class Open311Error(Exception):
    """An Open311 error answer: the HTTP status and one description (French, for the technician)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description

    def body(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": self.description}]


def _raw(value: object) -> Raw:
    return Raw(json.dumps(value, ensure_ascii=False).encode("utf-8"), JSON)


def _label(form: JsonObject, category: str) -> str:
    option = form["ui"]["fields"].get("category", {}).get("options", {}).get(category)
    return str(option["fr"]) if option else category


def _services(conn: sqlite3.Connection) -> list[tuple[str, JsonObject, str]]:
    """(service_code, report form, category) for every category of every report form offered."""
    return [(code, form, category) for form in published_forms.current_reports(conn)
            for category, code in form.get("open311_service_codes", {}).items()]


def services(req: Request) -> Answer:
    """``GET services.json``: one service per category of the report forms offered."""
    with db.read(req.conn):
        found = _services(req.conn)
    return 200, _raw([{"service_code": code, "service_name": _label(form, category),
                       "description": _label(form, category), "metadata": False, "type": "realtime",
                       "keywords": category, "group": form["title"]["fr"]} for code, form, category in found])


def _coordinate(fields: dict[str, str], name: str, bound: float) -> float | None:
    raw = fields.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} : un nombre est attendu") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise Open311Error(400, f"{name} : hors des bornes (±{bound:g})")
    return value


def _authenticate(req: Request, fields: dict[str, str]) -> None:
    """``api_key`` is the terminal's token (or ``Authorization: Bearer``): 403 otherwise, as Open311 says."""
    key = fields.get("api_key", "").strip()
    header = f"Bearer {key}" if key else req.headers.get("Authorization")
    try:
        req.device = authenticate(req.conn, header)
    except ApiError as exc:
        raise Open311Error(403, "api_key invalide ou terminal révoqué" if key or header else "api_key manquant") \
            from exc


def _file(req: Request, fields: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    """File one report from its Open311 fields (inside a write transaction)."""
    service_code = fields.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, "service_code manquant")
    found = [(form, category) for code, form, category in _services(req.conn) if code == service_code]
    if not found:
        raise Open311Error(404, f"service_code inconnu : {service_code!r}")
    form, category = found[0]
    latitude, longitude = _coordinate(fields, "lat", 90), _coordinate(fields, "long", 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "lat et long vont ensemble")
    address = fields.get("address_string", "").strip()[:300] or None
    street_id = fields.get("address_id", "").strip()
    if latitude is None and not address and not street_id:
        raise Open311Error(400, "emplacement manquant : lat et long, address_string ou address_id")
    where: JsonObject = {"kind": "street", "street_id": street_id} if street_id else {"kind": "here"}
    if latitude is not None and not street_id:
        where.update(latitude=latitude, longitude=longitude)
    answers = {"category": category, "where": where, "description": fields.get("description", "")}
    errors = demarches.check_answers(req.conn, form, answers)
    if errors:
        raise Open311Error(400, "; ".join(f"{'address_id' if e.field == 'where' else e.field} : {e.keyword}"
                                          for e in errors))
    located = demarches.locate(req.conn, where, None)
    place = demarches.Place(latitude if latitude is not None else located.latitude if located else None,
                            longitude if longitude is not None else located.longitude if located else None,
                            address or (located.address if located else None))
    contact = {name: fields[name].strip() for name in ("email", "phone") if fields.get(name, "").strip()} or None
    filed = demarches.file(req.conn, req, form, answers, contact, "fr", req.now, "open311", place)
    code = filed["tracking_code"]
    return 201, [{"service_request_id": code, "account_id": None,
                  "service_notice": f"Signalement transmis aux services techniques. Suivez-le avec le numéro {code}."}]


def post_request(req: Request) -> Answer:
    """``POST requests.json`` (form-encoded): the request id is the tracking code."""
    try:
        if req.content_type() != FORM_ENCODED:
            raise Open311Error(400, "envoyez la demande en application/x-www-form-urlencoded")
        try:
            fields = req.form_fields()
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, "corps illisible : application/x-www-form-urlencoded en UTF-8 attendu") from None
        _authenticate(req, fields)

        def operation() -> tuple[int, JsonObject]:
            try:
                status, body = _file(req, fields)
            except Open311Error as exc:
                status, body = exc.status, exc.body()
            return status, {"open311": body}   # the idempotency store keeps objects

        if req.headers.get("Idempotency-Key") is None:
            with db.write(req.conn):
                status, stored = operation()
            return status, _raw(stored["open311"])
        try:
            status, stored, headers = idempotency.run(req, operation)
        except ApiError as exc:   # a bad key, or a key reused with another request
            raise Open311Error(exc.status, exc.message) from None
        return status, _raw(stored["open311"]), headers
    except Open311Error as exc:
        return exc.status, _raw(exc.body())


def get_request(req: Request) -> Answer:
    """``GET requests/{id}.json``: a report as Open311 shows it, without the person's contact."""
    code = req.params["service_request_id"]
    with db.read(req.conn):
        row = req.conn.execute("SELECT * FROM demarches WHERE tracking_code=? AND kind='report'", (code,)).fetchone()
        tracked = req.conn.execute("SELECT body FROM tracking WHERE code=?", (code,)).fetchone()
        form = published_forms.published(req.conn, row["form_id"], row["form_version"]) if row else None
    if row is None or tracked is None or form is None:
        return 404, _raw(Open311Error(404, f"aucun signalement {code}").body())
    status = json.loads(tracked["body"])
    answers = json.loads(row["answers"])
    return 200, _raw([{
        "service_request_id": code,
        "status": "closed" if status["status"] in ("completed", "rejected") else "open",
        "status_notes": status["current_step"],
        "service_name": _label(form, answers.get("category", "")),
        "service_code": row["service_code"],
        "description": answers.get("description", ""),
        "requested_datetime": _local(row["filed_at"]),
        "updated_datetime": status["updated_at"],
        "address": row["address"], "lat": row["latitude"], "long": row["longitude"]}])


def _local(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(PARIS).replace(microsecond=0).isoformat()


def not_found(req: Request) -> Answer:
    """A path under the Open311 base that names nothing (a request id no route reads): Open311's 404."""
    return 404, _raw(Open311Error(404, "aucune ressource à cette adresse").body())
