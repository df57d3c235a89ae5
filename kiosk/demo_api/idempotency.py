"""``Idempotency-Key`` handling shared by every state-changing POST.

The lookup, the operation and the stored answer happen in one ``BEGIN IMMEDIATE``
transaction, so two copies of the same request arriving together (a retry racing the
original) cannot both execute: the second waits for the lock, then finds the answer.
A 4xx decided by the operation (slot gone, unknown booking...) is stored and replayed
too: the outbox must get the same verdict however many times it asks. Malformed
requests (400 before the operation), auth failures and 5xx are not stored.

Stored answers are kept :data:`KEY_TTL` (30 days, as documented in ``openapi.yaml``), then
forgotten: a key seen again after that is a new request. A terminal retries every 15
minutes at most while online, so 24 h would do for a working network; but the same span also
bounds how old an action may be when it arrives (``plausible.MAX_ACTION_AGE``): a terminal cut
off for two weeks in August must still deliver the requests it promised the citizens it stored,
so the memory is sized for a long outage, not for a weekend. It bounds the table (a few hundred
bytes per action a terminal sends); expired answers are deleted in the same transaction as each
new one (indexed by age).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, timedelta

from . import db
from .errors import ApiError
from .request import JsonObject, Request

Result = tuple[int, JsonObject]
UUID_TEXT = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z")
KEY_TTL = timedelta(days=30)


def client_key(req: Request) -> str:
    raw = req.headers.get("Idempotency-Key")
    if not raw:
        raise ApiError(400, "missing_idempotency_key", "the Idempotency-Key header (a UUID) is required")
    # the hyphenated form only (`format: uuid`): uuid.UUID also reads braces, "urn:uuid:" and bare hex
    if not UUID_TEXT.match(raw):
        raise ApiError(400, "invalid_request", "Idempotency-Key must be a UUID")
    return str(uuid.UUID(raw))


def run(req: Request, operation: Callable[[], Result]) -> tuple[int, JsonObject, dict[str, str]]:
    """Execute ``operation`` once per (device, key); replay its answer afterwards."""
    key = client_key(req)
    fingerprint = req.body_hash()
    device = req.terminal["id"]
    now = req.now.astimezone(UTC)
    with db.write(req.conn):
        # every stored time is UTC isoformat, so text order is time order
        req.conn.execute("DELETE FROM idempotency WHERE created_at < ?", ((now - KEY_TTL).isoformat(),))
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
            if not 400 <= exc.status < 500 or not exc.remember:
                raise
            req.conn.execute("ROLLBACK TO operation")
            status, body = exc.status, exc.body()
        req.conn.execute("RELEASE operation")
        req.conn.execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
                         (device, key, fingerprint, status, json.dumps(body, ensure_ascii=False),
                          now.isoformat()))
    return status, body, {}
