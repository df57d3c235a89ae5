"""Read endpoints: catalog, slots, request tracking, keys.

ETags name the *state* of the data (catalog version; agenda version and window), not the
exact bytes: a terminal holding that state gets 304 whether it asked for everything or
for a delta, which is what makes a no-change sync cost one round trip per resource.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta

from kiosk.api import SPEC_PATH

from . import db
from .errors import ApiError
from .request import JsonObject, Raw, Request
from .seed import PARIS

KINDS = {"service": "services", "place": "places", "page": "pages", "event": "events", "form": "forms",
         "street": "streets"}
CURSOR = re.compile(r"^([0-9a-f]{8})-([0-9]{1,18})$")
TRACKING_CODE = re.compile(r"^[A-Z]{4}-[0-9]{4}\Z")
# RFC 3339 full-date only, as the contract's `format: date` says (date.fromisoformat also takes 20261201, 2026-W49-1)
FULL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
MAX_WINDOW_DAYS = 92


def _since(req: Request, instance: str, current: int) -> int | None:
    """The version a delta starts from; None for a full answer. A cursor is
    ``<database instance>-<version>``: one from another database, or newer than our data
    (a restore), gets a full answer rather than a wrong delta."""
    raw = req.query.get("since")
    if raw is None:
        return None
    m = CURSOR.match(raw)
    if not m:
        raise ApiError(400, "invalid_request", "since: an opaque cursor from a previous answer is expected")
    version = int(m.group(2))
    return version if m.group(1) == instance and version <= current else None


def _not_modified(req: Request, etag: str) -> bool:
    given = [t.strip().removeprefix("W/") for t in (req.headers.get("If-None-Match") or "").split(",")]
    return etag in given or "*" in given


def catalog(req: Request) -> tuple[int, JsonObject | None, dict[str, str]]:
    with db.read(req.conn):  # one snapshot: version and rows read together
        instance, version = db.instance(req.conn), db.current(req.conn, "catalog_version")
        since = _since(req, instance, version)
        cursor = f"{instance}-{version}"
        etag = f'"catalog-{cursor}"'
        if _not_modified(req, etag):
            return 304, None, {"ETag": etag}
        rows = req.conn.execute("SELECT kind, id, deleted, body FROM catalog WHERE version > ? ORDER BY kind, id",
                                (since or 0,)).fetchall()
        letters = {r["id"]: r["letter"] for r in req.conn.execute("SELECT id, letter FROM agendas")}
    out: JsonObject = {"cursor": cursor, "full": since is None, **{name: [] for name in KINDS.values()},
                       "deleted": {name: [] for name in KINDS.values()}}
    for row in rows:
        if row["deleted"]:
            if since is not None:
                out["deleted"][KINDS[row["kind"]]].append(row["id"])
        else:
            body = json.loads(row["body"])
            if row["kind"] == "service":
                body = with_agenda_letters(body, letters)
            out[KINDS[row["kind"]]].append(body)
    return 200, out, {"ETag": etag}


def with_agenda_letters(service: JsonObject, letters: dict[str, str]) -> JsonObject:
    """The service with the letter of each of its agendas' check-in numbers, read from the agendas
    (where the queues take it from) rather than stored in the service: one truth, and a service
    put before letters were in the catalog gets them too."""
    agenda_ids = service.get("agenda_ids") or []
    return {**service, "agenda_letters": {a: letters[a] for a in agenda_ids if a in letters}}


def _day(req: Request, name: str, default: date) -> date:
    raw = req.query.get(name)
    if raw is None:
        return default
    try:
        if not FULL_DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "invalid_request", f"{name}: a date like 2026-12-01 is expected") from None


def slots(req: Request) -> tuple[int, JsonObject | None, dict[str, str]]:
    agenda_id = req.params["agenda_id"]
    today = req.now.astimezone(PARIS).date()
    first = _day(req, "from", today)
    last = _day(req, "to", first + timedelta(days=30))
    if last < first:
        raise ApiError(400, "invalid_request", "to: must not be before from")
    if (last - first).days > MAX_WINDOW_DAYS:
        raise ApiError(400, "invalid_request", f"the window is limited to {MAX_WINDOW_DAYS} days")
    lo = int(datetime.combine(first, time(0), PARIS).timestamp())
    hi = int(datetime.combine(last + timedelta(days=1), time(0), PARIS).timestamp())
    with db.read(req.conn):
        agenda = req.conn.execute("SELECT * FROM agendas WHERE id=?", (agenda_id,)).fetchone()
        if agenda is None:
            raise ApiError(404, "not_found", f"no agenda {agenda_id!r}")
        instance, version = db.instance(req.conn), db.current(req.conn, "slot_version")
        since = _since(req, instance, version)
        etag = f'"{instance}-{agenda_id}-{agenda["version"]}-{first:%Y%m%d}-{last:%Y%m%d}"'
        if _not_modified(req, etag):
            return 304, None, {"ETag": etag}
        rows = req.conn.execute(
            "SELECT * FROM slots WHERE agenda_id=? AND start_ts >= ? AND start_ts < ? AND version > ? "
            "ORDER BY start_ts", (agenda_id, lo, hi, since or 0)).fetchall()
    out: JsonObject = {"agenda_id": agenda_id, "cursor": f"{instance}-{version}", "full": since is None,
                       "slots": [], "deleted": []}
    for row in rows:
        if row["deleted"]:
            if since is not None:
                out["deleted"].append(row["id"])
        else:
            out["slots"].append({"id": row["id"], "start": row["start"], "end": row["end"],
                                 "places_left": row["capacity"] - row["booked"]})
    return 200, out, {"ETag": etag}


def tracked_request(req: Request) -> tuple[int, JsonObject]:
    code = req.params["tracking_code"]   # as the contract's pattern says: upper case (terminals send it so)
    if not TRACKING_CODE.match(code):
        raise ApiError(400, "invalid_request", "a tracking code looks like ABCD-1234")
    row = req.conn.execute("SELECT body FROM tracking WHERE code=?", (code,)).fetchone()
    if row is None:
        raise ApiError(404, "not_found", "Aucun dossier ne correspond à ce numéro.")
    return 200, json.loads(row["body"])


def keys(req: Request) -> tuple[int, JsonObject]:
    rows = req.conn.execute("SELECT * FROM signing_keys ORDER BY not_before").fetchall()
    # a cancelled booking's token stays listed until it would have expired anyway
    revoked_tokens = req.conn.execute(
        "SELECT b.id, b.updated_at FROM bookings b JOIN slots s ON s.id = b.slot_id "
        "WHERE b.state='cancelled' AND s.start_ts > ? ORDER BY b.updated_at",
        (int(req.now.timestamp()) - 2 * 86400,)).fetchall()
    return 200, {
        "keys": [{"kid": r["kid"], "alg": "EdDSA", "crv": "Ed25519", "public_key": r["public_key"],
                  "not_before": r["not_before"], "not_after": r["not_after"]}
                 for r in rows if not r["revoked_at"]],
        "revoked_keys": [{"kid": r["kid"], "revoked_at": r["revoked_at"]} for r in rows if r["revoked_at"]],
        "revoked_tokens": [{"jti": r["id"], "revoked_at": r["updated_at"]} for r in revoked_tokens],
    }


def openapi(req: Request) -> tuple[int, Raw]:
    """The contract, served by the server that implements it (no authentication: it is
    public and a technician reads it before enrolling anything)."""
    return 200, Raw(SPEC_PATH.read_bytes(), "application/yaml; charset=utf-8")
