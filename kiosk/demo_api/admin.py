"""Back-office operations the API does not expose (the GRU's side): issuing enrolment
codes, revoking a terminal, editing the catalog and agendas. Used by the CLI, by the
kiosk's demo mode to enrol itself, and by tests to make deltas happen."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from kiosk.api import models
from kiosk.api.checkin_token import KEY_ANNOUNCE_LEAD

from . import db, devices, published_forms, signing
from .httpd import utc_now
from .seed import PARIS

CATALOG_MODELS: dict[str, type[BaseModel]] = {"service": models.Service, "place": models.Place,
                                               "page": models.Page, "event": models.Event, "street": models.Street}
# back-office transitions (FHIR Appointment): the API itself books, cancels and checks in
BOOKING_TRANSITIONS = {("booked", "noshow"), ("arrived", "fulfilled"), ("arrived", "noshow")}

Clock = Callable[[], datetime]
T = TypeVar("T")


def create_enrolment_code(db_path: str | Path, clock: Clock = utc_now) -> str:
    conn = db.connect(db_path)
    try:
        with db.write(conn):
            return devices.create_enrolment_code(conn, clock())
    finally:
        conn.close()


def _write(db_path: str | Path, fn: Callable[[sqlite3.Connection], T]) -> T:
    conn = db.connect(db_path)
    try:
        with db.write(conn):
            return fn(conn)
    finally:
        conn.close()


def revoke_device(db_path: str | Path, device_id: str, clock: Clock = utc_now) -> bool:
    return _write(db_path, lambda c: c.execute("UPDATE devices SET revoked_at=? WHERE id=? AND revoked_at IS NULL",
                                               (clock().isoformat(), device_id)).rowcount == 1)


def set_config_overrides(db_path: str | Path, device_id: str, overrides: dict[str, Any]) -> bool:
    return _write(db_path, lambda c: c.execute("UPDATE devices SET config_overrides=? WHERE id=?",
                                               (json.dumps(overrides), device_id)).rowcount == 1)


def set_booking_request_state(db_path: str | Path, request_id: str, state: str) -> bool:
    """The town's back office decided on an offline request (confirmed, proposed, refused)."""
    if state not in ("pending", "confirmed", "proposed", "refused"):
        raise ValueError(f"unknown booking request state {state!r}")
    return _write(db_path, lambda c: c.execute("UPDATE booking_requests SET state=? WHERE id=? OR reference=?",
                                               (state, request_id, request_id)).rowcount == 1)


def put_catalog_item(db_path: str | Path, kind: str, body: dict[str, Any]) -> int:
    """Add or replace a service, place, page or event; returns its new version. The body
    is checked against the contract first: the server must never publish what terminals
    would reject (unknown fields included)."""
    if kind not in CATALOG_MODELS:
        raise ValueError(f"unknown catalog kind {kind!r}")
    model = CATALOG_MODELS[kind]
    unknown = set(body) - set(model.model_fields)
    if unknown:
        raise ValueError(f"{kind}: unknown fields {sorted(unknown)}")
    model.model_validate(body)
    return _write(db_path, lambda c: db.put_catalog(c, kind, body))


def delete_catalog_item(db_path: str | Path, kind: str, entity_id: str) -> bool:
    return _write(db_path, lambda c: db.delete_catalog(c, kind, entity_id))


def publish_form(db_path: str | Path, form: dict[str, Any], clock: Clock = utc_now) -> int:
    """Publish a form definition as the next version of its id (whatever ``version`` it says); returns
    that version. The catalog carries it from the next sync; every older version stays valid for the
    démarches people started on it. ``published_forms.FormRejected`` says why a form is refused."""
    return _write(db_path, lambda c: published_forms.publish(c, form, clock()))


def withdraw_form(db_path: str | Path, form_id: str) -> bool:
    """Take a form out of the catalog (``deleted.forms`` in deltas); filing it is then ``form_unknown``."""
    return _write(db_path, lambda c: published_forms.withdraw(c, form_id))


def advance_demarche(db_path: str | Path, tracking_code: str, clock: Clock = utc_now) -> str:
    """The town's services finished the current step of a démarche (« Instruction », then the last
    one); returns the tracking status: ``completed`` once every step is done (Open311: ``closed``)."""
    def go(conn: sqlite3.Connection) -> str:
        if conn.execute("SELECT 1 FROM demarches WHERE tracking_code=?", (tracking_code,)).fetchone() is None:
            raise KeyError(tracking_code)
        body = json.loads(conn.execute("SELECT body FROM tracking WHERE code=?", (tracking_code,)).fetchone()[0])
        pending = [step for step in body["steps"] if not step["done"]]
        if not pending:
            raise ValueError(f"{tracking_code} is already completed")
        local = clock().astimezone(PARIS).replace(microsecond=0)
        pending[0].update(done=True, date=local.date().isoformat())
        body["current_step"] = pending[1]["label"] if len(pending) > 1 else pending[0]["label"]
        body["status"] = "in_progress" if len(pending) > 1 else "completed"
        body["updated_at"] = local.isoformat()
        conn.execute("UPDATE tracking SET body=? WHERE code=?", (json.dumps(body, ensure_ascii=False), tracking_code))
        return str(body["status"])
    return _write(db_path, go)


def delete_slot(db_path: str | Path, slot_id: str) -> bool:
    """Withdraw a slot (agent absent): it is tombstoned so slot deltas report it."""
    def go(conn: sqlite3.Connection) -> bool:
        row = conn.execute("SELECT agenda_id FROM slots WHERE id=? AND deleted=0", (slot_id,)).fetchone()
        if row is None:
            return False
        version = db.bump(conn, "slot_version")
        conn.execute("UPDATE slots SET deleted=1, version=? WHERE id=?", (version, slot_id))
        conn.execute("UPDATE agendas SET version=? WHERE id=?", (version, row["agenda_id"]))
        return True
    return _write(db_path, go)


def set_booking_state(db_path: str | Path, booking_id: str, state: str, clock: Clock = utc_now) -> None:
    """Record what happened at the counter: ``noshow`` or ``fulfilled``."""
    def go(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT state FROM bookings WHERE id=?", (booking_id,)).fetchone()
        if row is None:
            raise KeyError(booking_id)
        if (row["state"], state) not in BOOKING_TRANSITIONS:
            raise ValueError(f"cannot go from {row['state']} to {state}")
        conn.execute("UPDATE bookings SET state=?, updated_at=? WHERE id=?", (state, clock().isoformat(), booking_id))
    _write(db_path, go)


def resolve_booking_request(db_path: str | Path, request_id: str, state: str) -> None:
    """The town called the citizen back: ``confirmed``, ``proposed`` (another time) or ``refused``."""
    if state not in ("confirmed", "proposed", "refused"):
        raise ValueError(state)
    def go(conn: sqlite3.Connection) -> None:
        if conn.execute("UPDATE booking_requests SET state=? WHERE id=? AND state='pending'",
                        (state, request_id)).rowcount != 1:
            raise ValueError(f"{request_id} is not pending")
    _write(db_path, go)


def rotate_signing_key(db_path: str | Path, kid: str, days: int = 365, clock: Clock = utc_now) -> None:
    """Announce a new key; it signs from :data:`~kiosk.api.checkin_token.KEY_ANNOUNCE_LEAD` on, as
    the contract promises, so that every terminal holds it before any ticket carries it (a
    terminal refuses a key id its current list lacks). Older keys stay published until they
    expire, so tokens already printed keep verifying on terminals."""
    _write(db_path, lambda c: signing.add_key(c, kid, clock() + KEY_ANNOUNCE_LEAD, days))


def revoke_signing_key(db_path: str | Path, kid: str, clock: Clock = utc_now) -> bool:
    """A leaked key: withdrawn from ``keys`` and listed in ``revoked_keys``."""
    return _write(db_path, lambda c: c.execute(
        "UPDATE signing_keys SET revoked_at=? WHERE kid=? AND revoked_at IS NULL",
        (clock().isoformat(), kid)).rowcount == 1)


AGENT_TOKENS_KEPT = 10


def create_agent_token(db_path: str | Path, name: str = "agent", clock: Clock = utc_now) -> str:
    """A bearer token for the agents' routes (the back office's counters), stored hashed; the
    ten newest stay valid (a demo server prints a new one at each start)."""
    token = "agt-" + secrets.token_urlsafe(24)

    def go(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO agent_tokens VALUES (?, ?, ?)", (devices.digest(token), name, clock().isoformat()))
        conn.execute("DELETE FROM agent_tokens WHERE token_hash NOT IN "
                     "(SELECT token_hash FROM agent_tokens ORDER BY created_at DESC, rowid DESC LIMIT ?)",
                     (AGENT_TOKENS_KEPT,))
    _write(db_path, go)
    return token
