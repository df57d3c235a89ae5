"""``Idempotency-Key`` handling shared by every state-changing POST.

The lookup, the operation and the stored answer happen in one ``BEGIN IMMEDIATE``
transaction, so two copies of the same request arriving together (a retry racing the
original) cannot both execute: the second waits for the lock, then finds the answer.
A 4xx decided by the operation (slot gone, unknown booking...) is stored and replayed
too: the outbox must get the same verdict however many times it asks. Malformed
requests (400 before the operation), auth failures and 5xx are not stored.
"""

from __future__ import annotations

import json
import uuid
from typing import Callable

from . import db
from .errors import ApiError
from .request import Request

Result = tuple[int, dict]


def client_key(req: Request) -> str:
    raw = req.headers.get("Idempotency-Key")
    if not raw:
        raise ApiError(400, "missing_idempotency_key", "the Idempotency-Key header (a UUID) is required")
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise ApiError(400, "invalid_request", "Idempotency-Key must be a UUID") from None


def run(req: Request, operation: Callable[[], Result]) -> tuple[int, dict, dict]:
    """Execute ``operation`` once per (device, key); replay its answer afterwards."""
    key = client_key(req)
    fingerprint = req.body_hash()
    device = req.device["id"]
    with db.write(req.conn):
        row = req.conn.execute("SELECT * FROM idempotency WHERE device_id=? AND key=?", (device, key)).fetchone()
        if row is not None:
            if row["request_hash"] != fingerprint:
                raise ApiError(422, "idempotency_key_reused",
                               "this Idempotency-Key was already used with a different request")
            return row["status"], json.loads(row["body"]), {"Idempotent-Replayed": "true"}
        req.conn.execute("SAVEPOINT operation")
        try:
            status, body = operation()
        except ApiError as exc:
            if not 400 <= exc.status < 500:
                raise
            req.conn.execute("ROLLBACK TO operation")
            status, body = exc.status, exc.body()
        req.conn.execute("RELEASE operation")
        req.conn.execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
                         (device, key, fingerprint, status, json.dumps(body, ensure_ascii=False),
                          req.now.isoformat()))
    return status, body, {}
