"""Terminal identity: one-time enrolment codes, bearer tokens, revocation, heartbeats.

Codes and tokens are stored only as SHA-256 digests: they are 128+ bits of randomness,
so a plain fast hash is enough (no password stretching needed), and a copy of the
database does not let anyone act as a terminal.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from datetime import datetime, timedelta

from kiosk.api import models

from . import db, namespaces
from .errors import ApiError, parse_body
from .request import JsonObject, Request

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_enrolment_code(conn: sqlite3.Connection, now: datetime, days: int = 7) -> str:
    """A new one-time code like ``SCV-7Q4M-2KXP`` (inside a write transaction)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    code = f"SCV-{raw[:4]}-{raw[4:]}"
    conn.execute("INSERT INTO enrolment_codes(code_hash, created_at, expires_at) VALUES (?, ?, ?)",
                 (digest(code), now.isoformat(), (now + timedelta(days=days)).isoformat()))
    return code


def enroll(req: Request) -> tuple[int, JsonObject]:
    req.json_object()  # 415 / invalid_json before field validation
    body = parse_body(models.EnrollRequest, req.body)
    with db.write(req.conn):
        row = req.conn.execute("SELECT * FROM enrolment_codes WHERE code_hash=?",
                               (digest(body.enrolment_code.upper()),)).fetchone()
        # details.reason lets the technician's tool say which: a used code calls for a new one,
        # an unknown one for a typo check
        reason = ("unknown" if row is None else "used" if row["used_at"]
                  else "expired" if datetime.fromisoformat(row["expires_at"]) <= req.now else None)
        if reason is not None:
            raise ApiError(401, "invalid_enrolment_code", "Code d'enrôlement inconnu, expiré ou déjà utilisé.",
                           {"reason": reason})
        device_id = "dev-" + secrets.token_hex(4)
        token = secrets.token_urlsafe(32)
        req.conn.execute("UPDATE enrolment_codes SET used_at=?, device_id=? WHERE code_hash=?",
                         (req.now.isoformat(), device_id, row["code_hash"]))
        req.conn.execute("INSERT INTO devices(id, token_hash, facts, enrolled_at) VALUES (?, ?, ?, ?)",
                         (device_id, digest(token), body.terminal.model_dump_json(), req.now.isoformat()))
        namespace = namespaces.ensure(req.conn, device_id, req.now)
    return 201, {"device_id": device_id, "token": token, "token_type": "Bearer", "reference_namespace": namespace}


def authenticate(conn: sqlite3.Connection, header: str | None) -> sqlite3.Row:
    """The device behind ``Authorization: Bearer``; 401 ``unauthorized`` or, for a device
    that was revoked, 401 ``device_revoked`` so the terminal stops retrying and says so."""
    challenge = {"WWW-Authenticate": 'Bearer realm="kiosk"'}
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Authorization: Bearer <token> is required", headers=challenge)
    row = conn.execute("SELECT * FROM devices WHERE token_hash=?", (digest(token.strip()),)).fetchone()
    if row is None:
        raise ApiError(401, "unauthorized", "unknown token", headers=challenge)
    if row["revoked_at"]:
        raise ApiError(401, "device_revoked", "Ce terminal a été révoqué ; un nouvel enrôlement est nécessaire.",
                       {"revoked_at": row["revoked_at"]},
                       headers={"WWW-Authenticate": 'Bearer realm="kiosk", error="invalid_token"'})
    device: sqlite3.Row = row
    return device


def heartbeat(req: Request) -> tuple[int, JsonObject]:
    if req.params["device_id"] != req.terminal["id"]:
        raise ApiError(403, "forbidden", "a terminal may only send its own heartbeat")
    req.json_object()
    body = parse_body(models.Heartbeat, req.body)
    with db.write(req.conn):
        req.conn.execute("INSERT INTO heartbeats VALUES (?, ?, ?)",
                         (req.terminal["id"], req.now.isoformat(), body.model_dump_json()))
        req.conn.execute("UPDATE devices SET last_heartbeat=? WHERE id=?", (req.now.isoformat(), req.terminal["id"]))
        # a device enrolled before namespaces gets its own here, without enrolling again
        namespace = namespaces.ensure(req.conn, req.terminal["id"], req.now)
    return 200, {"server_time": req.now.replace(microsecond=0).isoformat(),
                 "config_overrides": json.loads(req.terminal["config_overrides"]), "reference_namespace": namespace}
