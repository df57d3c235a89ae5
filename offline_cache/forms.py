"""The town's form definitions and street list, as the catalog brings them.

``forms`` keeps one row per form id: the current version only (a visit in progress holds its
own parsed copy, see :mod:`kiosk.demarches.engine`). A definition the terminal cannot show is
stored too, with ``available = 0`` and the reason, so that it is never offered and the log
says why only once (when that version first arrives), not at every sync. Which definitions
are showable is the caller's judgement (``check``): this package knows SQL, not forms.

``streets`` is searched with LIKE over a folded copy of the name: the list is a few hundred
rows, bounded by the catalog, and the search runs in well under a millisecond.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from offline_cache.catalog import utc_text
from offline_cache.db import write_transaction

log = logging.getLogger("offline_cache.forms")

#: A form definition → None when the terminal can show it, else the reason (one line).
FormCheck = Callable[[Mapping[str, Any]], str | None]
MAX_STREET_RESULTS = 20
MAX_QUERY_WORDS = 6


@dataclass(frozen=True)
class StoredForm:
    id: str
    version: int
    body: dict[str, Any]
    profiles: tuple[str, ...]
    available: bool
    reason: str | None


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed, apostrophes and dashes as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(plain.replace("'", " ").replace("’", " ").replace("-", " ").split())


def _form_row(form: Mapping[str, Any], check: FormCheck | None) -> tuple[str, int, str, str, int, str | None]:
    form_id = str(form.get("id") or "")
    version = form.get("version")
    version = version if isinstance(version, int) and not isinstance(version, bool) else 0
    reason = check(form) if check is not None else None
    profiles = form.get("profiles")
    profiles = [p for p in profiles if isinstance(p, str)] if isinstance(profiles, list) else []
    return (form_id, version, json.dumps(form, ensure_ascii=False, sort_keys=True), json.dumps(profiles),
            0 if reason else 1, reason)


def store_forms(conn: sqlite3.Connection, forms: Iterable[Mapping[str, Any]], at: datetime, *,
                deleted: Iterable[str] = (), full: bool = False, check: FormCheck | None = None) -> int:
    """Upsert ``forms`` (each replaces the stored version of its id), delete ``deleted`` ids, and
    on a ``full`` answer every id not listed. A definition ``check`` refuses is stored as
    unavailable and logged in one line naming the form and the reason — once per version.
    A definition without an id cannot even be stored: it is logged and skipped."""
    stamp = utc_text(at)
    rows = []
    for form in forms:
        row = _form_row(form, check) if isinstance(form, Mapping) else ("", 0, "", "", 0, "not an object")
        if not row[0]:
            log.warning("a form definition without an id was skipped (%s)", row[5] or "no id")
            continue
        rows.append(row)
    with write_transaction(conn):
        known = {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT id, version, available, reason FROM forms")}
        for form_id, version, body, profiles, available, reason in rows:
            if not available and known.get(form_id) != (version, available, reason):
                log.warning("form %s version %d is unavailable on this terminal: %s", form_id, version, reason)
            conn.execute(
                "INSERT INTO forms (id, version, body, profiles, available, reason, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, "
                "body = excluded.body, profiles = excluded.profiles, available = excluded.available, "
                "reason = excluded.reason, updated = excluded.updated WHERE body IS NOT excluded.body "
                "OR available IS NOT excluded.available OR reason IS NOT excluded.reason",
                (form_id, version, body, profiles, available, reason, stamp))
        gone = set(deleted)
        if full:
            listed = {r[0] for r in rows}
            gone |= {i for i in known if i not in listed}
        conn.executemany("DELETE FROM forms WHERE id = ?", ((i,) for i in gone))
    return len(rows)


def store_streets(conn: sqlite3.Connection, streets: Iterable[Mapping[str, Any]], *,
                  deleted: Iterable[str] = (), full: bool = False) -> int:
    """Upsert ``streets`` ({id, name, postcode, latitude, longitude}), delete ``deleted`` ids, and
    on a ``full`` answer every id not listed."""
    rows = [(str(s["id"]), str(s.get("name") or ""), str(s.get("postcode") or ""), s.get("latitude"),
             s.get("longitude"), fold(str(s.get("name") or ""))) for s in streets if s.get("id")]
    with write_transaction(conn):
        conn.executemany(
            "INSERT INTO streets (id, name, postcode, latitude, longitude, folded) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, postcode = excluded.postcode, "
            "latitude = excluded.latitude, longitude = excluded.longitude, folded = excluded.folded "
            "WHERE name IS NOT excluded.name OR postcode IS NOT excluded.postcode "
            "OR latitude IS NOT excluded.latitude OR longitude IS NOT excluded.longitude", rows)
        gone = set(deleted)
        if full:
            listed = {r[0] for r in rows}
            gone |= {r[0] for r in conn.execute("SELECT id FROM streets") if r[0] not in listed}
        conn.executemany("DELETE FROM streets WHERE id = ?", ((i,) for i in gone))
    return len(rows)


def stored_forms(conn: sqlite3.Connection, *, profile: str | None = None) -> list[StoredForm]:
    """Every stored form (available or not), by id; with ``profile``, only those it offers."""
    out = []
    for r in conn.execute("SELECT id, version, body, profiles, available, reason FROM forms ORDER BY id"):
        profiles = tuple(json.loads(r[3]))
        if profile is not None and profile not in profiles:
            continue
        out.append(StoredForm(r[0], r[1], json.loads(r[2]), profiles, bool(r[4]), r[5]))
    return out


def stored_form(conn: sqlite3.Connection, form_id: str) -> StoredForm | None:
    r = conn.execute("SELECT id, version, body, profiles, available, reason FROM forms WHERE id = ?",
                     (form_id,)).fetchone()
    return None if r is None else StoredForm(r[0], r[1], json.loads(r[2]), tuple(json.loads(r[3])), bool(r[4]), r[5])


def search_streets(conn: sqlite3.Connection, query: str, limit: int = 8) -> list[dict[str, Any]]:
    """Streets whose name holds every typed word (accents and case ignored), names starting with
    the first word first; at most ``limit`` (≤ :data:`MAX_STREET_RESULTS`)."""
    words = fold(query[:100]).split()[:MAX_QUERY_WORDS]
    limit = max(1, min(limit, MAX_STREET_RESULTS))
    where = " AND ".join("folded LIKE ? ESCAPE '\\'" for _ in words) or "1"
    args: list[Any] = [f"%{_escape(w)}%" for w in words]
    word_start = f"% {_escape(words[0])}%" if words else "%"   # a word of the name starts so: first
    rows = conn.execute(
        f"SELECT id, name, postcode, latitude, longitude FROM streets WHERE {where} "
        "ORDER BY (' ' || folded LIKE ? ESCAPE '\\') DESC, folded, id LIMIT ?",
        [*args, word_start, limit]).fetchall()
    return [{"id": r[0], "name": r[1], "postcode": r[2], "latitude": r[3], "longitude": r[4]} for r in rows]


def street(conn: sqlite3.Connection, street_id: str) -> dict[str, Any] | None:
    r = conn.execute("SELECT id, name, postcode, latitude, longitude FROM streets WHERE id = ?",
                     (street_id,)).fetchone()
    return None if r is None else {"id": r[0], "name": r[1], "postcode": r[2], "latitude": r[3], "longitude": r[4]}


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
