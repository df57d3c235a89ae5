"""Sending a report to an Open311 GeoReport v2 endpoint instead of the contract's own call.

With ``[demarches] reports_to = "open311"``, a report's outbox row (still of kind ``demarche``)
carries an ``open311`` part in its payload, decided when it was filed: the service code (the
form's ``open311_service_codes`` for the chosen category), the position (``lat``/``long``) and
an ``address_string``, the endpoint if configured. The description and the contact stay in the
row's personal part, erased after acknowledgement like any other answer.

``POST {endpoint}/requests.json`` is form-encoded with the terminal's token as ``api_key`` and
the row's UUID as ``Idempotency-Key`` (the reference server honours it, so a resend after a
timeout never files a second report). The answer's ``service_request_id`` is the tracking code;
it is acknowledged as the contract's :class:`~kiosk.api.models.DemarcheFiled`, so the outbox, the
receipt and « Suivre ma demande » need not know which route it took.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kiosk.api import models
from kiosk.api.client import ApiClient
from kiosk.api.errors import FinalRefusal, InvalidResponse, NotFound, Unauthorized
from offline_cache.outbox import OutboxRow

__all__ = ["OPEN311_PATH", "open311_part", "send_report"]

OPEN311_PATH = "open311/v2"        # under the central API's base address, unless [demarches] open311_url
TRACKING = re.compile(models.TRACKING_CODE)


def open311_part(*, service_code: str, title: str, position: tuple[float, float] | None,
                 address: str | None, url: str | None, street_id: str | None = None) -> dict[str, Any]:
    """The payload's ``open311`` part (nothing personal: a place in the street and a category).
    ``street_id``: the town's own id of the street (GeoReport's optional ``address_id``)."""
    part: dict[str, Any] = {"service_code": service_code, "title": title}
    if street_id:
        part["address_id"] = street_id
    if position is not None:
        part["lat"], part["long"] = position
    if address:
        part["address_string"] = address
    if url:
        part["url"] = url
    return part


def _fields(client: ApiClient, row: OutboxRow) -> dict[str, str]:
    part: Mapping[str, Any] = row.payload["open311"]
    personal = row.personal or {}
    answers: Mapping[str, Any] = personal.get("answers") or {}
    contact: Mapping[str, Any] = personal.get("contact") or {}
    fields = {"api_key": client.credentials.token, "service_code": str(part["service_code"]),
              "description": str(answers.get("description") or "")}
    for key in ("lat", "long", "address_string", "address_id"):
        if part.get(key) is not None:
            fields[key] = str(part[key])
    for key in ("email", "phone"):
        if contact.get(key):
            fields[key] = str(contact[key])
    return fields


def send_report(client: ApiClient, row: OutboxRow) -> models.DemarcheFiled:
    """File ``row`` at the Open311 endpoint; raises the client's typed errors (a 403 — the key
    refused — is the terminal's problem, not the row's: :class:`Unauthorized`, the row is kept)."""
    part = row.payload["open311"]
    base = str(part.get("url") or client.base_url + OPEN311_PATH).rstrip("/")
    try:
        answer = client.post_form(f"{base}/requests.json", _fields(client, row), row.uuid)
    except NotFound as exc:   # an unknown service_code: the town's configuration, final for this row
        raise FinalRefusal(str(exc), status=exc.status, code="open311_refused") from None
    except Unauthorized:
        raise
    except FinalRefusal as exc:
        if exc.status == 403:
            raise Unauthorized(str(exc), status=403, code="open311_key_refused") from None
        raise FinalRefusal(str(exc), status=exc.status, code=exc.code or "open311_refused") from None
    first = answer[0] if isinstance(answer, list) and answer and isinstance(answer[0], Mapping) else {}
    code = str(first.get("service_request_id") or "")
    if not TRACKING.match(code):
        raise InvalidResponse("Open311 requests.json: the answer has no service_request_id of the ABCD-1234 form")
    return models.DemarcheFiled(id=code, tracking_code=code, form_id=str(row.payload.get("form_id") or ""),
                                status="received", title=str(part.get("title") or row.payload.get("form_id")))
