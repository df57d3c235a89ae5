"""Versioned schema: ``PRAGMA user_version`` says which steps a file has had.

A terminal updated after months offline may open a cache several versions old, so every
step is kept forever and applied in order, each in its own transaction: a power cut during
an upgrade leaves the file at the previous version, and the next start resumes from there.
A file *newer* than this code (the software was rolled back) is refused rather than
guessed at: an old kiosk writing into a schema it does not know could lose outbox rows.

Adding a step: append ``(n, statements)`` to :data:`STEPS` — never edit a released step —
and add rows for version ``n - 1`` to the migration test's seeders.

Each step is a list of single statements (not a script: ``executescript`` would commit
in the middle of the step's transaction).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from offline_cache.errors import CacheError

Step = list[str] | Callable[[sqlite3.Connection], None]

# v1: everything the kiosk needs offline. Times are ISO 8601 UTC text ("2026-12-01T08:30:00Z")
# so that they sort as text; JSON columns hold lists or objects from the central API.
# Services refer to agendas and places without foreign keys: the catalog arrives as a whole
# and a dangling reference must not block a sync (the UI shows what it finds). Slots belong
# to their agenda: deleting an agenda deletes its slots.
V1 = [
    """CREATE TABLE places (
        pk INTEGER PRIMARY KEY,                 -- stable rowid for the FTS index (v2)
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        lat REAL, lon REAL,
        phone TEXT,
        opening_hours TEXT,                     -- OSM opening_hours syntax
        closures TEXT NOT NULL DEFAULT '[]',    -- JSON: exceptional closures
        wheelchair TEXT CHECK (wheelchair IN ('yes', 'limited', 'no', 'unknown')),
        updated TEXT
    )""",
    """CREATE TABLE services (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        domain TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        documents TEXT NOT NULL DEFAULT '[]',   -- JSON: documents to bring
        duration_minutes INTEGER,
        agenda_ids TEXT NOT NULL DEFAULT '[]',  -- JSON: several counters, availability is the union
        place_id TEXT
    )""",
    """CREATE TABLE agendas (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        place_id TEXT
    )""",
    """CREATE TABLE slots (
        id TEXT PRIMARY KEY,
        agenda_id TEXT NOT NULL REFERENCES agendas(id) ON DELETE CASCADE,
        start TEXT NOT NULL,
        "end" TEXT NOT NULL,
        places_left INTEGER NOT NULL CHECK (places_left >= 0)
    )""",
    "CREATE INDEX slots_by_agenda_start ON slots(agenda_id, start)",
    """CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        format TEXT NOT NULL DEFAULT 'text',    -- markup of body; unknown ones are shown as text
        body TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0,
        updated TEXT
    )""",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        start TEXT, "end" TEXT,
        place_id TEXT,
        category TEXT NOT NULL DEFAULT '',
        updated TEXT
    )""",
    """CREATE TABLE keys (
        key_id TEXT PRIMARY KEY,
        public_key BLOB NOT NULL CHECK (length(public_key) = 32),   -- raw Ed25519
        valid_from TEXT,
        valid_to TEXT
    )""",
    """CREATE TABLE revocations (
        subject TEXT PRIMARY KEY,               -- a key id or a check-in token id
        kind TEXT NOT NULL CHECK (kind IN ('key', 'token')),
        revoked_at TEXT
    )""",
    """CREATE TABLE sync_state (
        resource TEXT PRIMARY KEY,              -- "catalog", "keys", "slots:<agenda id>", ...
        etag TEXT,
        cursor TEXT,
        last_success_at TEXT,
        last_failure_at TEXT,
        failure_reason TEXT
    )""",
    # The only table with personal data is outbox_personal, erased at acknowledgement.
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, never reused
        uuid TEXT NOT NULL UNIQUE,              -- the Idempotency-Key
        kind TEXT NOT NULL CHECK (kind IN ('booking', 'booking_request', 'cancellation', 'checkin')),
        payload TEXT NOT NULL,                  -- JSON without personal data
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acknowledged', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        done_at TEXT,
        server_status INTEGER,
        server_message TEXT,
        server_summary TEXT                     -- JSON: what the admin screen shows
    )""",
    "CREATE INDEX outbox_due ON outbox(state, next_attempt_at)",
    """CREATE TABLE outbox_personal (
        uuid TEXT PRIMARY KEY REFERENCES outbox(uuid) ON DELETE CASCADE,
        data TEXT NOT NULL                      -- JSON: name, phone, e-mail ...
    )""",
]

# v2: search places as you type. An external-content FTS5 index over places (no second copy
# of the text), accent- and case-insensitive, with prefix indexes so that "medi" finds
# "Médiathèque" quickly; triggers keep it in step with every write to places, and 'rebuild'
# indexes the rows a v1 file already has.
V2 = [
    """CREATE VIRTUAL TABLE places_fts USING fts5(
        name, category, address,
        content='places', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2',
        prefix='1 2 3'
    )""",
    """CREATE TRIGGER places_fts_insert AFTER INSERT ON places BEGIN
        INSERT INTO places_fts(rowid, name, category, address)
        VALUES (new.pk, new.name, new.category, new.address);
    END""",
    """CREATE TRIGGER places_fts_delete AFTER DELETE ON places BEGIN
        INSERT INTO places_fts(places_fts, rowid, name, category, address)
        VALUES ('delete', old.pk, old.name, old.category, old.address);
    END""",
    """CREATE TRIGGER places_fts_update AFTER UPDATE OF name, category, address ON places
    WHEN old.name IS NOT new.name OR old.category IS NOT new.category OR old.address IS NOT new.address BEGIN
        INSERT INTO places_fts(places_fts, rowid, name, category, address)
        VALUES ('delete', old.pk, old.name, old.category, old.address);
        INSERT INTO places_fts(rowid, name, category, address)
        VALUES (new.pk, new.name, new.category, new.address);
    END""",
    "INSERT INTO places_fts(places_fts) VALUES ('rebuild')",
]

# v3: the city screens open a category (« Santé », « Sport ») at a tap, reading its places
# and computing their opening states; without an index that read scans every place
# (≈ 4 ms of a 20 ms budget for 10 000 places).
V3 = [
    "CREATE INDEX places_by_category ON places(category)",
]

# v4: request tracking offline. Only a keyed hash of each number (HMAC-SHA256 with a secret of
# this terminal, kept outside the cache) and the public status the central API gave for it: the
# file never holds a list of valid numbers, and a stolen copy cannot be searched without the key.
V4 = [
    """CREATE TABLE tracked_requests (
        code_mac TEXT PRIMARY KEY,              -- hex HMAC-SHA256(terminal secret, "ABCD-1234")
        status TEXT NOT NULL,                   -- JSON: the public status, without the number
        info_at TEXT NOT NULL,                  -- when the central API last updated it (UTC)
        stored_at TEXT NOT NULL                 -- when this terminal stored it (UTC), for expiry
    )""",
    "CREATE INDEX tracked_requests_by_age ON tracked_requests(stored_at)",
]

# v5: the outbox's ``kind`` column loses its hard-coded list, so that a new kind of action is
# declared in one place (kiosk.api.action_kinds, which Outbox.enqueue checks) rather than in a
# migration too. SQLite cannot drop a CHECK, so both outbox tables are rebuilt in the step's
# transaction: copied, the old ones dropped, the new ones renamed (which also renames the
# personal table's reference). The AUTOINCREMENT counter is carried over: a seq is never reused.
V5 = [
    """CREATE TABLE outbox_v5 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, never reused
        uuid TEXT NOT NULL UNIQUE,              -- the Idempotency-Key
        kind TEXT NOT NULL,                     -- one of kiosk.api.action_kinds.KIND_NAMES
        payload TEXT NOT NULL,                  -- JSON without personal data
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acknowledged', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        done_at TEXT,
        server_status INTEGER,
        server_message TEXT,
        server_summary TEXT                     -- JSON: what the admin screen shows
    )""",
    """INSERT INTO outbox_v5 (seq, uuid, kind, payload, created_at, state, attempts, next_attempt_at, last_error,
                           done_at, server_status, server_message, server_summary)
    SELECT seq, uuid, kind, payload, created_at, state, attempts, next_attempt_at, last_error,
           done_at, server_status, server_message, server_summary FROM outbox ORDER BY seq""",
    "DELETE FROM sqlite_sequence WHERE name = 'outbox_v5'",
    "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v5', seq FROM sqlite_sequence WHERE name = 'outbox'",
    """CREATE TABLE outbox_personal_v5 (
        uuid TEXT PRIMARY KEY REFERENCES outbox_v5(uuid) ON DELETE CASCADE,
        data TEXT NOT NULL                      -- JSON: name, phone, e-mail ...
    )""",
    "INSERT INTO outbox_personal_v5 (uuid, data) SELECT uuid, data FROM outbox_personal",
    "DROP TABLE outbox_personal",
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v5 RENAME TO outbox",
    "ALTER TABLE outbox_personal_v5 RENAME TO outbox_personal",
    "CREATE INDEX outbox_due ON outbox(state, next_attempt_at)",
]


def _spelt_out(column: str) -> str:
    """SQL for ``column`` with the ligatures « œ » and « æ » spelt out, as ``kiosk.text.fold`` does."""
    return (f"replace(replace(replace(replace({column}, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')")


_FOLDED = ", ".join(f"{_spelt_out(c)} AS {c}" for c in ("name", "category", "address"))

# v6: one folding for every search. FTS5 folds case and accents but keeps « œ » and « æ » whole,
# while the searches of the services and pages (and what a citizen types) spell them out:
# « oeuvre » found « Œuvre » in the services but not among the places. The index now reads
# the places through a view that spells the ligatures out, so it holds « oeuvre »; the triggers
# index the same text, and 'rebuild' re-reads the view.
V6 = [
    "DROP TRIGGER places_fts_insert",
    "DROP TRIGGER places_fts_delete",
    "DROP TRIGGER places_fts_update",
    "DROP TABLE places_fts",
    f"CREATE VIEW places_search (pk, name, category, address) AS SELECT pk, {_FOLDED} FROM places",
    """CREATE VIRTUAL TABLE places_fts USING fts5(
        name, category, address,
        content='places_search', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2',
        prefix='1 2 3'
    )""",
    f"""CREATE TRIGGER places_fts_insert AFTER INSERT ON places BEGIN
        INSERT INTO places_fts(rowid, name, category, address)
        VALUES (new.pk, {_spelt_out("new.name")}, {_spelt_out("new.category")}, {_spelt_out("new.address")});
    END""",
    f"""CREATE TRIGGER places_fts_delete AFTER DELETE ON places BEGIN
        INSERT INTO places_fts(places_fts, rowid, name, category, address)
        VALUES ('delete', old.pk, {_spelt_out("old.name")}, {_spelt_out("old.category")}, {_spelt_out("old.address")});
    END""",
    f"""CREATE TRIGGER places_fts_update AFTER UPDATE OF name, category, address ON places
    WHEN old.name IS NOT new.name OR old.category IS NOT new.category OR old.address IS NOT new.address BEGIN
        INSERT INTO places_fts(places_fts, rowid, name, category, address)
        VALUES ('delete', old.pk, {_spelt_out("old.name")}, {_spelt_out("old.category")}, {_spelt_out("old.address")});
        INSERT INTO places_fts(rowid, name, category, address)
        VALUES (new.pk, {_spelt_out("new.name")}, {_spelt_out("new.category")}, {_spelt_out("new.address")});
    END""",
    "INSERT INTO places_fts(places_fts) VALUES ('rebuild')",
]


def _move_outbox_out(conn: sqlite3.Connection) -> None:
    """v7: the outbox leaves the catalog's file for its own (attached as ``actions``).

    The catalog can always be downloaded again, a citizen's waiting action cannot: apart,
    a damaged catalog is replaced without touching the outbox. SQLite's commits across two
    WAL files are atomic per file only, so the move is two transactions, in this order:

    1. copy every row into the outbox file (``INSERT OR IGNORE``: the UUID, and the
       personal row's key, are unique — a copy repeated after a crash adds nothing);
       commit — only the outbox file changed;
    2. check that every row is there, then drop the old tables and set version 7;
       commit — only the catalog file changed.

    A kill -9 before 1's commit leaves the outbox file as it was; between the two, both
    hold the rows and the next start repeats 1 (no duplicate) and does 2; after 2, done.
    No application write can come between: every connection is opened through this
    migration, and the catalog's write lock is held by each step.
    """
    s = "actions"
    if s not in [r[1] for r in conn.execute("PRAGMA database_list")]:
        raise CacheError("the outbox file must be attached to move the outbox out of the catalog")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(conn) == 6:
            conn.execute(f"INSERT OR IGNORE INTO {s}.outbox SELECT * FROM main.outbox ORDER BY seq")
            conn.execute(f"INSERT OR IGNORE INTO {s}.outbox_personal SELECT * FROM main.outbox_personal")
            conn.execute(f"""INSERT INTO {s}.sqlite_sequence (name, seq)
                SELECT 'outbox', seq FROM main.sqlite_sequence WHERE name = 'outbox'
                AND NOT EXISTS (SELECT 1 FROM {s}.sqlite_sequence WHERE name = 'outbox')""")
            conn.execute(f"""UPDATE {s}.sqlite_sequence SET seq = max(seq,
                coalesce((SELECT seq FROM main.sqlite_sequence WHERE name = 'outbox'), 0)) WHERE name = 'outbox'""")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(conn) == 6:
            missing = conn.execute(f"""SELECT
                (SELECT count(*) FROM main.outbox WHERE uuid NOT IN (SELECT uuid FROM {s}.outbox)) +
                (SELECT count(*) FROM main.outbox_personal WHERE uuid NOT IN (SELECT uuid FROM {s}.outbox_personal))
            """).fetchone()[0]
            if missing:
                raise CacheError(f"{missing} outbox rows were not copied into the outbox file; nothing was removed")
            conn.execute("DROP INDEX main.outbox_due")
            conn.execute("DELETE FROM main.outbox_personal")   # secure_delete zeroes the freed cells
            conn.execute("DROP TABLE main.outbox_personal")
            conn.execute("DROP TABLE main.outbox")
            conn.execute("DELETE FROM main.sqlite_sequence WHERE name = 'outbox'")
            conn.execute("PRAGMA main.user_version = 7")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")   # old page images of personal data (best effort)


# v8: queue numbers on a counter terminal (issue 12). The central API reserves for each terminal,
# per day, a block of numbers it never hands out itself (``GET /v1/number-blocks``); offline, the
# terminal numbers its check-ins and walk-ins from that block, per letter, so that terminals
# offline together never print the same number. ``queue_numbers.next`` is the next free number
# of the block for a (day, letter): taking one is a single UPDATE … RETURNING, so a number is
# never handed out twice, even by two threads or across a kill. ``queue_tickets`` remembers the
# numbers this terminal gave today (a booking scanned twice gets the same number and a reprint,
# also after a restart); it holds no name: the booking's token id or reference, the number, the
# service and what the ticket said. Rows of past days are purged. ``queue_letters``: the letter
# of each agenda's check-in numbers (from the catalog's agenda_letters, else the queue board), for
# numbering offline.
V8 = [
    """CREATE TABLE number_blocks (
        day TEXT PRIMARY KEY,                   -- the town's day, YYYY-MM-DD
        first INTEGER NOT NULL CHECK (first BETWEEN 1 AND 999),
        last INTEGER NOT NULL CHECK (last BETWEEN first AND 999),
        fetched_at TEXT NOT NULL
    )""",
    """CREATE TABLE queue_numbers (
        day TEXT NOT NULL,
        letter TEXT NOT NULL CHECK (length(letter) = 1 AND letter BETWEEN 'A' AND 'Z'),
        next INTEGER NOT NULL,                  -- the next free number of the day's block
        PRIMARY KEY (day, letter)
    )""",
    """CREATE TABLE queue_tickets (
        key TEXT PRIMARY KEY,                   -- "checkin:<token id>", "checkin-ref:<REFERENCE>", …
        kind TEXT NOT NULL,                     -- "checkin" or "walk_in"
        day TEXT NOT NULL,
        outbox_uuid TEXT NOT NULL,              -- the action's Idempotency-Key
        number TEXT,                            -- the printed queue number (NULL: none yet)
        ticket TEXT NOT NULL DEFAULT '{}',      -- JSON: what the ticket said (no name)
        stored_at TEXT NOT NULL
    )""",
    """CREATE TABLE queue_letters (
        agenda_id TEXT PRIMARY KEY,             -- the letter of the agenda's check-in numbers,
        letter TEXT NOT NULL CHECK (length(letter) = 1 AND letter BETWEEN 'A' AND 'Z'),
        learned_at TEXT NOT NULL                -- learned from the queue board and online check-ins
    )""",
    "CREATE INDEX queue_tickets_by_day ON queue_tickets(day)",
    "CREATE INDEX queue_tickets_by_uuid ON queue_tickets(outbox_uuid)",
]


# v9: the catalog's walk-in data on services (issue 12): JSON ``{prefix, hours, daily_capacity,
# waiting_area}`` or NULL for a service seen by appointment only. The catalog's ETag and cursor
# are forgotten so that the next sync downloads it whole: a delta would bring the walk-in data
# only of the services changed since, and the others would stay NULL (by appointment only).
V_WALK_IN = [
    "ALTER TABLE services ADD COLUMN walk_in TEXT",
    "UPDATE sync_state SET etag = NULL, cursor = NULL WHERE resource = 'catalog'",
]


# v10: the town's translations of a service's name and description (issue 14, defect 12): JSON
# ``{"en": {"name": …, "description": …}}``, ``{}`` when the town gives none. The catalog's ETag and
# cursor are forgotten for the same reason as in v9: a delta would bring them only for the services
# changed since, and the others would stay in French although the town translated them.
V_TRANSLATIONS = [
    "ALTER TABLE services ADD COLUMN translations TEXT NOT NULL DEFAULT '{}'",
    "UPDATE sync_state SET etag = NULL, cursor = NULL WHERE resource = 'catalog'",
]


# v11: démarches (issue 16). ``forms``: the current version of each form definition the town
# publishes (one row per id: a visit in progress holds its own parsed copy, so older versions are
# not kept), with the terminal profiles that offer it and, for a definition this terminal cannot
# show, ``available = 0`` and the reason (it is then never offered). ``streets``: the town's street
# list for the « where » of a report, searched with LIKE on ``folded`` (the name without accents,
# lower case): a few hundred rows at most, bounded by the catalog. The catalog's ETag and cursor are
# forgotten so that the next sync downloads it whole, forms and streets included.
V_FORMS = [
    """CREATE TABLE forms (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,                     -- JSON: the definition as published
        profiles TEXT NOT NULL DEFAULT '[]',    -- JSON: terminal profiles that offer it
        available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
        reason TEXT,                            -- why not available (one line, no personal data)
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE streets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        postcode TEXT NOT NULL DEFAULT '',
        latitude REAL,
        longitude REAL,
        folded TEXT NOT NULL DEFAULT ''         -- name without accents, lower case: what search reads
    )""",
    "UPDATE sync_state SET etag = NULL, cursor = NULL WHERE resource = 'catalog'",
]


# (STEPS stays on one line: tests/provisioning/release_support.py patches it to make a migrating release)
_STEPS_1_TO_7: list[tuple[int, Step]] = [(1, V1), (2, V2), (3, V3), (4, V4), (5, V5), (6, V6), (7, _move_outbox_out)]
STEPS: list[tuple[int, Step]] = [*_STEPS_1_TO_7, (8, V8), (9, V_WALK_IN), (10, V_TRANSLATIONS), (11, V_FORMS)]
CURRENT_VERSION = STEPS[-1][0]

# The outbox file's own versions (its ``user_version``). v1 is the catalog's v5/v6 outbox.
OUTBOX_V1 = [V5[0].replace("outbox_v5", "outbox"),
             V5[4].replace("outbox_personal_v5", "outbox_personal").replace("outbox_v5", "outbox"),
             V5[-1]]
OUTBOX_STEPS: list[tuple[int, Step]] = [(1, OUTBOX_V1)]


class SchemaTooNew(CacheError):
    """The cache was written by a newer kiosk version than the one running."""


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, *, target: int | None = None, path: str | Path = "",
            steps: list[tuple[int, Step]] | None = None) -> int:
    """Bring the file to ``target`` (tests stop earlier to build old files); returns the version.

    ``steps``: the catalog's (:data:`STEPS`, by default) or the outbox file's
    (:data:`OUTBOX_STEPS`). The version is read again inside each step's write transaction,
    so two threads opening the same file at once never apply a step twice. A step that is a
    function manages its own transactions (it must be safe to repeat after a crash).
    """
    steps = STEPS if steps is None else steps
    newest = steps[-1][0]
    target = newest if target is None else target
    where = f"The offline cache {path}" if path else "The offline cache"
    found = schema_version(conn)
    if found > newest:
        raise SchemaTooNew(
            f"{where} has schema version {found}, but this kiosk software knows versions up to "
            f"{newest} only: it was written by a newer kiosk release. Install that release "
            "again (or a later one). If the kiosk must run this release, stop it and move the file "
            "aside — keep it for support, its outbox may hold unsent citizens' actions — and a new "
            "cache will be filled at the next synchronisation.")
    for number, statements in steps:
        if number > target:
            break
        if number <= found:
            continue
        if callable(statements):
            if found != number - 1:
                raise CacheError(f"{where} is at schema version {found}; step {number} needs {number - 1}")
            statements(conn)
            found = schema_version(conn)
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = schema_version(conn)
            if number > found:
                if found != number - 1:
                    raise CacheError(f"{where} is at schema version {found}; step {number} needs {number - 1}")
                for sql in statements:
                    conn.execute(sql)
                conn.execute(f"PRAGMA user_version = {number}")
                found = number
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found
