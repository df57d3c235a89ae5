"""Schema migrations: every earlier version upgrades with its rows intact; newer files are refused."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from offline_cache.db import open_cache
from offline_cache.forms import search_streets, store_streets
from offline_cache.migrations import CURRENT_VERSION, STEPS, SchemaTooNew, migrate, schema_version
from offline_cache.outbox import Outbox
from offline_cache.places import search_places


def _seed_v0(conn: sqlite3.Connection) -> None:
    """An empty file (a terminal's first start): nothing to keep."""


def _seed_v1(conn: sqlite3.Connection) -> None:
    """What a v1 terminal holds: catalog, slots, keys, sync state, and an unsent booking."""
    conn.executescript("""
        INSERT INTO places (id, name, category, address, lat, lon, closures, wheelchair)
            VALUES ('pl-1', 'Médiathèque Louise-Michel', 'Bibliothèque', '3 rue Jean-Jaurès, 69100 Villeurbanne',
                    45.76, 4.88, '[{"date": "2026-12-25"}]', 'yes');
        INSERT INTO places (id, name, category, address) VALUES ('pl-2', 'Piscine des Tonkin', 'Sport', '');
        INSERT INTO services (id, name, domain, documents, agenda_ids, place_id)
            VALUES ('sv-1', 'Carte d''identité', 'État civil', '["Photo"]', '["ag-1"]', 'pl-1');
        INSERT INTO agendas (id, name) VALUES ('ag-1', 'Guichet 1');
        INSERT INTO slots VALUES ('sl-1', 'ag-1', '2026-12-01T08:30:00Z', '2026-12-01T08:45:00Z', 2);
        INSERT INTO keys VALUES ('k1', zeroblob(32), '2026-01-01T00:00:00Z', NULL);
        INSERT INTO revocations VALUES ('tok-9', 'token', '2026-11-01T00:00:00Z');
        INSERT INTO sync_state (resource, etag, cursor) VALUES ('catalog', '"abc"', 'c-42');
        INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at, attempts)
            VALUES ('11111111-1111-4111-8111-111111111111', 'booking', '{"slot": "sl-1"}',
                    '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z', 3);
        INSERT INTO outbox_personal VALUES ('11111111-1111-4111-8111-111111111111', '{"last_name": "Dupont"}');
    """)


def _seed_v2(conn: sqlite3.Connection) -> None:
    """A v2 terminal holds the same kinds of rows (v2 only added the places' search index)."""
    _seed_v1(conn)


def _seed_v3(conn: sqlite3.Connection) -> None:
    """v3 only added an index on the places' category."""
    _seed_v1(conn)


def _seed_v4(conn: sqlite3.Connection) -> None:
    """v4 added the tracked requests; an acknowledged row was purged, so the outbox's counter is
    ahead of its rows (v5 rebuilds the outbox and must not reuse that number)."""
    _seed_v1(conn)
    conn.executescript("""
        INSERT INTO tracked_requests VALUES ('ab12', '{"state": "open"}', '2026-12-01T08:00:00Z',
                                             '2026-12-01T08:05:00Z');
        INSERT INTO outbox (seq, uuid, kind, payload, created_at, next_attempt_at)
            VALUES (40, 'gone', 'checkin', '{}', '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z');
        DELETE FROM outbox WHERE uuid = 'gone';
    """)


def _seed_v5(conn: sqlite3.Connection) -> None:
    """v5 rebuilt the outbox without its list of kinds; the same rows stand for it (v6 only
    re-reads the places into the search index)."""
    _seed_v4(conn)


def _seed_v6(conn: sqlite3.Connection) -> None:
    """v6 holds the outbox in the catalog's file; v7 moves it to a file of its own."""
    _seed_v4(conn)


def _seed_v7(conn: sqlite3.Connection) -> None:
    """v7 keeps the outbox in a file of its own (the same rows, written through the attached
    schema); v8 adds the queue's tables beside the catalog and must leave both untouched."""
    _seed_v4(conn)


def _seed_v8(conn: sqlite3.Connection) -> None:
    """v8 holds the queue's tables; v9 adds the services' walk-in data and must keep the rest."""
    _seed_v4(conn)
    conn.execute("INSERT INTO queue_letters VALUES ('sv-1', 'A', '2026-12-04T08:00:00Z')")
    conn.commit()


_WALK_IN = '{"prefix": "C", "hours": "Mo-Fr 08:30-11:45", "daily_capacity": 40, "waiting_area": "Hall"}'


def _seed_v9(conn: sqlite3.Connection) -> None:
    """v9 carries the services' walk-in data and a catalog ETag from a sync since v9; v10 adds the
    town's translations (none yet) and must forget that ETag, or the next sync would be a delta."""
    _seed_v8(conn)
    conn.execute("UPDATE services SET walk_in = ? WHERE id = 'sv-1'", (_WALK_IN,))
    conn.execute("UPDATE sync_state SET etag = '\"c9\"', cursor = 'cur-9' WHERE resource = 'catalog'")
    conn.commit()


def _seed_v10(conn: sqlite3.Connection) -> None:
    """v10 carries the town's translations and a catalog ETag again; v11 adds the démarches' forms
    and streets (empty) and must forget that ETag, so that the next sync brings them."""
    _seed_v9(conn)
    conn.execute("""UPDATE services SET translations = '{"en": {"name": "Civil status"}}' WHERE id = 'sv-1'""")
    conn.execute("UPDATE sync_state SET etag = '\"c10\"', cursor = 'cur-10' WHERE resource = 'catalog'")
    conn.commit()


SEEDERS = {0: _seed_v0, 1: _seed_v1, 2: _seed_v2, 3: _seed_v3, 4: _seed_v4, 5: _seed_v5, 6: _seed_v6,
           7: _seed_v7, 8: _seed_v8, 9: _seed_v9, 10: _seed_v10}


def test_every_earlier_version_has_a_seeder():
    """Adding a migration step means adding representative rows of the version before it."""
    assert set(SEEDERS) == set(range(CURRENT_VERSION))


@pytest.mark.parametrize("version", range(CURRENT_VERSION))
def test_upgrade_from_every_earlier_version_keeps_rows(tmp_path, version):
    path = tmp_path / "old.sqlite3"
    old = open_cache(path, migrate=False)
    assert migrate(old, target=version) == version
    SEEDERS[version](old)
    old.close()

    conn = open_cache(path)
    try:
        assert schema_version(conn) == CURRENT_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if version >= 1:
            assert [p["id"] for p in search_places(conn, "medi")] == ["pl-1"]   # v2 indexed old rows
            assert search_places(conn, "medi")[0]["closures"] == [{"date": "2026-12-25"}]
            assert conn.execute("SELECT places_left FROM slots WHERE id = 'sl-1'").fetchone()[0] == 2
            # v9 and v10 forgot the catalog's ETag and cursor (the next sync brings it whole, walk-in
            # data and translations included)
            assert tuple(conn.execute("SELECT etag, cursor, last_success_at FROM sync_state "
                                      "WHERE resource = 'catalog'").fetchone()) == (None, None, None)
            assert conn.execute("SELECT count(*) FROM revocations").fetchone()[0] == 1
            pending = Outbox(conn).get("11111111-1111-4111-8111-111111111111")
            assert pending.attempts == 3 and pending.personal == {"last_name": "Dupont"}
        plan = " ".join(r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM places WHERE category = 'Sport'"))
        assert "places_by_category" in plan                                    # v3
        assert conn.execute("SELECT count(*) FROM tracked_requests").fetchone()[0] == (version >= 4)   # v4
        # v5: the kind column takes any kind the registry declares; personal data still cascades
        seq = conn.execute("INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at) "
                           "VALUES ('new', 'not_yet_a_kind', '{}', 'x', 'x') RETURNING seq").fetchone()[0]
        assert seq == (41 if version >= 4 else 2 if version >= 1 else 1)
        if version >= 1:
            conn.execute("DELETE FROM outbox WHERE uuid = '11111111-1111-4111-8111-111111111111'")
            assert conn.execute("SELECT count(*) FROM outbox_personal").fetchone()[0] == 0
        # v9: services carry their walk-in data (none yet: the next catalog sync brings it)
        if version >= 1:
            assert conn.execute("SELECT walk_in FROM services WHERE id = 'sv-1'").fetchone()[0] == (
                _WALK_IN if version >= 9 else None)
            # v10: and the town's translations, none until the next catalog sync brings them
            assert conn.execute("SELECT translations FROM services WHERE id = 'sv-1'").fetchone()[0] == (
                '{"en": {"name": "Civil status"}}' if version >= 10 else "{}")
        # v11: the démarches' forms and streets, empty until the next (whole) catalog sync
        assert conn.execute("SELECT count(*) FROM forms").fetchone()[0] == 0
        store_streets(conn, [{"id": "st-1", "name": "Rue de l'Église", "postcode": "49000"}])
        assert [s["id"] for s in search_streets(conn, "eglise")] == ["st-1"]
        assert conn.execute("SELECT count(*) FROM queue_letters").fetchone()[0] == (version >= 8)
        # v8: the queue's tables exist, empty, and take a block and a number
        assert conn.execute("SELECT count(*) FROM queue_tickets").fetchone()[0] == 0
        conn.execute("INSERT INTO number_blocks VALUES ('2026-12-04', 960, 999, 'x')")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO number_blocks VALUES ('2026-12-05', 999, 960, 'x')")
        # the upgraded file works like a new one
        conn.execute("INSERT INTO places (id, name) VALUES ('pl-3', 'Mairie annexe')")
        assert [p["id"] for p in search_places(conn, "mair")] == ["pl-3"]
    finally:
        conn.close()


def test_steps_are_numbered_from_one_without_gaps():
    assert [n for n, _ in STEPS] == list(range(1, CURRENT_VERSION + 1))


def test_newer_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "future.sqlite3"
    conn = open_cache(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 3}")
    conn.close()
    with pytest.raises(SchemaTooNew) as err:
        open_cache(path)
    message = str(err.value)
    assert f"version {CURRENT_VERSION + 3}" in message and f"up to {CURRENT_VERSION}" in message
    assert str(path) in message and "newer kiosk release" in message and "move the file aside" in message


def test_failed_step_leaves_the_previous_version(tmp_path, monkeypatch):
    """A step that breaks half-way (or a power cut) is rolled back whole; the next start retries it."""
    path = tmp_path / "c.sqlite3"
    conn = open_cache(path, migrate=False)
    migrate(conn, target=1)
    broken = list(STEPS)
    broken[1] = (2, STEPS[1][1][:2] + ["THIS IS NOT SQL"])
    monkeypatch.setattr("offline_cache.migrations.STEPS", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'places_fts%'").fetchone()[0] == 0
    monkeypatch.undo()
    assert migrate(conn) == CURRENT_VERSION
    conn.close()


def test_two_threads_opening_a_new_file_at_once(tmp_path):
    """The app and the sync worker create the cache together at a first start. A file being
    created looks empty or headless for an instant to a raw read: it must never be called
    damaged (it would be moved aside). The race is narrow: many new files, four threads each."""
    for round_ in range(60):
        path = tmp_path / f"c{round_}.sqlite3"
        errors, barrier = [], threading.Barrier(4)

        def start(path=path, errors=errors, barrier=barrier):
            barrier.wait()
            try:
                open_cache(path).close()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == [], f"round {round_}"
        conn = open_cache(path)
        assert schema_version(conn) == CURRENT_VERSION
        conn.close()
    assert not list(tmp_path.glob("*damaged*"))
