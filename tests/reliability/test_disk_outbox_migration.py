"""Moving the outbox out of the catalog's file (schema v7) survives kill -9 at every statement.

A terminal updated with actions waiting must neither lose nor duplicate one of them, even
if the power goes in the middle of the move. A child process runs the migration and kills
itself (SIGKILL: no cleanup, no Python exit) just after its n-th SQL statement, for every
n; the next open finishes the move, and every row is then in the outbox file exactly once,
with its personal data, its attempts and its sequence number.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from offline_cache.db import open_cache, outbox_path
from offline_cache.migrations import CURRENT_VERSION, migrate, schema_version

REPO = Path(__file__).resolve().parents[2]
ROWS = 300

CHILD = textwrap.dedent("""
    import os, signal, sys
    from offline_cache.db import open_cache
    from offline_cache.migrations import migrate
    path, stop_after = sys.argv[1], int(sys.argv[2])
    conn = open_cache(path, migrate=False)
    seen = []
    def trace(sql):
        seen.append(sql)
        if len(seen) == stop_after:
            os.kill(os.getpid(), signal.SIGKILL)
    conn.set_trace_callback(trace)
    migrate(conn, path=path)
    conn.set_trace_callback(None)
    print(len(seen))
""")


def _legacy_cache(path: Path) -> dict[str, tuple]:
    """A v6 file (the outbox inside the catalog) with ROWS actions, as a terminal before v7 holds."""
    conn = open_cache(path, migrate=False)
    migrate(conn, target=6)
    conn.execute("BEGIN")
    for i in range(ROWS):
        state = "pending" if i % 3 else "failed"
        conn.execute("INSERT INTO main.outbox (uuid, kind, payload, created_at, next_attempt_at, state, attempts) "
                     "VALUES (?, 'booking', ?, '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z', ?, ?)",
                     (f"u-{i:04d}", json.dumps({"slot": i}), state, i % 7))
        if state == "pending":
            conn.execute("INSERT INTO main.outbox_personal VALUES (?, ?)",
                         (f"u-{i:04d}", json.dumps({"last_name": f"Nom{i}"})))
    conn.execute("COMMIT")
    rows = _rows(conn, "main")
    conn.close()
    for p in outbox_path(path).parent.glob(outbox_path(path).name + "*"):
        p.unlink()   # a terminal before v7 has no outbox file
    return rows


def _rows(conn, schema: str) -> dict[str, tuple]:
    return {r[0]: tuple(r[1:]) for r in conn.execute(
        f"SELECT o.uuid, o.seq, o.kind, o.payload, o.state, o.attempts, p.data FROM {schema}.outbox o "
        f"LEFT JOIN {schema}.outbox_personal p ON p.uuid = o.uuid")}


def _run_child(path: Path, stop_after: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHILD, str(path), str(stop_after)], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_a_kill_at_any_statement_of_the_move_loses_and_duplicates_nothing(tmp_path):
    original = tmp_path / "legacy" / "cache.sqlite3"
    original.parent.mkdir()
    expected = _legacy_cache(original)
    assert len(expected) == ROWS

    # how many statements the whole migration runs when nothing stops it
    whole = tmp_path / "whole" / "cache.sqlite3"
    shutil.copytree(original.parent, whole.parent)
    done = _run_child(whole, stop_after=10**9)
    assert done.returncode == 0, done.stderr
    statements = int(done.stdout.split()[-1])
    assert statements >= 8

    killed = 0
    for n in range(1, statements + 1):
        run = tmp_path / f"kill-{n}" / "cache.sqlite3"
        shutil.copytree(original.parent, run.parent)
        child = _run_child(run, stop_after=n)
        killed += child.returncode == -9
        conn = open_cache(run)   # the next start: finishes whatever the kill left
        try:
            assert schema_version(conn) == CURRENT_VERSION
            assert conn.execute("SELECT count(*) FROM main.sqlite_master WHERE name LIKE 'outbox%'").fetchone()[0] == 0
            moved = _rows(conn, "actions")
            assert moved == expected, f"killed after statement {n}"
            assert conn.execute("SELECT count(*) FROM actions.outbox").fetchone()[0] == ROWS   # none twice
            # the sequence goes on after the moved rows: a new action is never numbered like an old one
            seq = conn.execute("INSERT INTO outbox (uuid, kind, payload, created_at, next_attempt_at) "
                               "VALUES ('new', 'booking', '{}', 'x', 'x') RETURNING seq").fetchone()[0]
            assert seq == ROWS + 1
        finally:
            conn.close()
    assert killed == statements   # each child really died at its statement
