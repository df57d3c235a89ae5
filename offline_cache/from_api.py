"""Kiosk Sync API v1 answers → cache rows, and applying them in one transaction.

The contract's shapes (``kiosk/api/models.py``, as plain JSON dicts: ``model_dump(mode="json")``)
are not the cache's columns: an address is an object there and one line here (what the
screens show and the search indexes), latitude is ``lat``, a key's ``kid`` is ``key_id``
and its base64url text is the raw 32 bytes here. Keeping that mapping in one place means
the sync worker only fetches and hands the answer over.

Agendas have no list of their own in the contract: they are the ``agenda_ids`` of services,
so the cache's agendas (which own the slots) are derived from the services. A service's
``agenda_letters`` (the letter of each agenda's check-in numbers) go to ``queue_letters``, where
a counter terminal finds them to number a check-in offline (kiosk/queue/memory.py).
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from offline_cache.catalog import (
    apply_changes,
    delete_slots,
    record_success,
    replace_catalog,
    replace_slots,
    upsert_slots,
    utc_text,
)
from offline_cache.db import write_transaction
from offline_cache.forms import FormCheck, store_forms, store_streets


def address_line(address: Mapping[str, Any] | str | None) -> str:
    """``{street, postcode, city}`` as "3 rue Jean-Jaurès, 69100 Villeurbanne"."""
    if not address:
        return ""
    if isinstance(address, str):
        return address
    town = " ".join(p for p in (address.get("postcode"), address.get("city")) if p)
    return ", ".join(p for p in (address.get("street"), town) if p)


def place_row(place: Mapping[str, Any]) -> dict[str, Any]:
    row = dict(place)
    row["address"] = address_line(place.get("address"))
    row["lat"] = place.get("latitude", place.get("lat"))
    row["lon"] = place.get("longitude", place.get("lon"))
    return row


def page_row(page: Mapping[str, Any]) -> dict[str, Any]:
    return {**page, "updated": page.get("updated_at", page.get("updated"))}


def _agendas(services: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for service in services:
        for agenda_id in service.get("agenda_ids") or ():
            seen.setdefault(agenda_id, {"id": agenda_id, "name": "", "place_id": service.get("place_id")})
    return list(seen.values())


def form_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """A form definition as published: the contract's model names its ``schema`` ``json_schema``
    in Python (pydantic reserves ``schema``); the cache keeps the published JSON."""
    body = dict(form)
    if "json_schema" in body and "schema" not in body:
        body["schema"] = body.pop("json_schema")
    return body


def apply_catalog(conn: sqlite3.Connection, catalog: Mapping[str, Any], at: datetime, *,
                  etag: str | None = None, check_form: FormCheck | None = None) -> dict[str, int]:
    """A ``GET /v1/catalog`` answer (full or ``?since=``), with its cursor and ETag, atomically.

    Returns the number of rows written per part. A full answer also drops agendas no service
    uses any more (with their slots); a delta only adds or updates agendas. Forms are judged by
    ``check_form`` (see :func:`offline_cache.forms.store_forms`): one the terminal cannot show is
    stored as unavailable, never a reason to refuse the rest of the catalog.
    """
    parts = {
        "services": [dict(s) for s in catalog.get("services", ())],
        "places": [place_row(p) for p in catalog.get("places", ())],
        "pages": [page_row(p) for p in catalog.get("pages", ())],
        "events": [dict(e) for e in catalog.get("events", ())],
    }
    deleted = catalog.get("deleted") or {}
    counts: dict[str, int] = {}
    with write_transaction(conn):
        if catalog.get("full"):
            for name, rows in parts.items():
                counts[name] = replace_catalog(conn, name, rows)
            counts["agendas"] = replace_catalog(conn, "agendas", _agendas(_service_refs(conn)))
        else:
            for name, rows in parts.items():
                counts[name] = apply_changes(conn, name, rows, deleted.get(name, ()))[0]
            counts["agendas"] = apply_changes(conn, "agendas", _new_agendas(conn, parts["services"]))[0]
        _store_letters(conn, parts["services"], at)
        # forms and streets: a server from before démarches sends neither (and its full catalog
        # then leaves none: the town withdrew them all, or never published any)
        full = bool(catalog.get("full"))
        forms = store_forms(conn, [form_body(f) for f in catalog.get("forms") or ()], at,
                            deleted=deleted.get("forms") or (), full=full, check=check_form)
        streets = store_streets(conn, catalog.get("streets") or (), deleted=deleted.get("streets") or (), full=full)
        counts.update({"forms": forms} if "forms" in catalog else {})
        counts.update({"streets": streets} if "streets" in catalog else {})
        record_success(conn, "catalog", at, etag=etag, cursor=catalog.get("cursor"))
    return counts


def _store_letters(conn: sqlite3.Connection, services: Sequence[Mapping[str, Any]], at: datetime) -> int:
    """Each agenda's letter as the catalog says it (a letter learned otherwise is overwritten: the
    catalog is the town's word). A value that is not one capital letter is a bad answer: raised,
    so that the whole catalog is rolled back, as for any answer the cache cannot take."""
    letters: dict[str, str] = {}
    for service in services:
        for agenda_id, letter in (service.get("agenda_letters") or {}).items():
            if not (isinstance(letter, str) and len(letter) == 1 and "A" <= letter <= "Z"):
                raise ValueError("an agenda letter is one capital letter")
            letters[str(agenda_id)] = letter
    stamp = utc_text(at)
    for agenda_id, letter in letters.items():
        conn.execute("INSERT INTO queue_letters (agenda_id, letter, learned_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(agenda_id) DO UPDATE SET letter = excluded.letter, learned_at = excluded.learned_at "
                     "WHERE letter IS NOT excluded.letter", (agenda_id, letter, stamp))
    return len(letters)


def _service_refs(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [{"agenda_ids": json.loads(r[0]), "place_id": r[1]}
            for r in conn.execute("SELECT agenda_ids, place_id FROM services")]


def _new_agendas(conn: sqlite3.Connection, services: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    known = {r[0] for r in conn.execute("SELECT id FROM agendas")}
    return [a for a in _agendas(services) if a["id"] not in known]


def apply_slot_list(conn: sqlite3.Connection, slot_list: Mapping[str, Any], at: datetime, *,
                    start_from: datetime | str, start_to: datetime | str, etag: str | None = None) -> int:
    """A ``GET /v1/agendas/{id}/slots`` answer for the window [start_from, start_to), atomically.

    Sync state is kept per agenda, under ``slots:<agenda id>``. An agenda the catalog does not
    know yet is added (the slots answer may come first after a catalog change).
    """
    agenda_id = slot_list["agenda_id"]
    rows = [{**s, "agenda_id": agenda_id} for s in slot_list.get("slots", ())]
    with write_transaction(conn):
        conn.execute("INSERT OR IGNORE INTO agendas (id) VALUES (?)", (agenda_id,))
        if slot_list.get("full"):
            count = replace_slots(conn, agenda_id, rows, start_from=start_from, start_to=start_to)
        else:
            count = upsert_slots(conn, rows)
            delete_slots(conn, slot_list.get("deleted", ()))
        record_success(conn, f"slots:{agenda_id}", at, etag=etag, cursor=slot_list.get("cursor"))
    return count


def _raw_key(text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def apply_key_set(conn: sqlite3.Connection, key_set: Mapping[str, Any], at: datetime, *,
                  etag: str | None = None) -> int:
    """A ``GET /v1/keys`` answer: the keys and both revocation lists replace what the cache had."""
    keys = [{"key_id": k["kid"], "public_key": _raw_key(k["public_key"]), "valid_from": k.get("not_before"),
             "valid_to": k.get("not_after")} for k in key_set.get("keys", ())]
    revoked = ([{"subject": r["kid"], "kind": "key", "revoked_at": r.get("revoked_at")}
                for r in key_set.get("revoked_keys", ())]
               + [{"subject": r["jti"], "kind": "token", "revoked_at": r.get("revoked_at")}
                  for r in key_set.get("revoked_tokens", ())])
    with write_transaction(conn):
        count = replace_catalog(conn, "keys", keys)
        replace_catalog(conn, "revocations", revoked)
        record_success(conn, "keys", at, etag=etag)
    return count
