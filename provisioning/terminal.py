"""What status and check read about the terminal: the kiosk's published state, its cache, its release.

Read-only by design: a technician's look must never change what it looks at. The cache is opened
with SQLite's ``mode=ro`` (no migration, no write), and the state file is the one the running kiosk
publishes (kiosk.devices.published), so status, check, the admin screen and the heartbeat agree.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioning.common import Paths

if TYPE_CHECKING:
    from kiosk.config import KioskConfig


@dataclass
class CacheFacts:
    exists: bool
    problems: list[str] = field(default_factory=list)     # integrity_check lines, or why it cannot be opened
    outbox_depth: int | None = None
    last_sync: str | None = None


def cache_facts(path: Path, *, integrity: bool = False) -> CacheFacts:
    """The cache as two files (offline_cache.db: the catalog, and the outbox beside it); a cache
    from before the split still has its outbox table in the catalog file, and is read there."""
    from offline_cache.db import outbox_path

    outbox_file = outbox_path(path)
    if not path.is_file() and not outbox_file.is_file():
        return CacheFacts(False)
    facts = CacheFacts(True)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) if path.is_file() \
            else sqlite3.connect(":memory:", uri=True)
        if outbox_file.is_file():
            conn.execute("ATTACH DATABASE ? AS actions", (f"file:{outbox_file}?mode=ro",))
    except sqlite3.Error as exc:
        facts.problems.append(f"cannot be opened ({exc})")
        return facts
    try:
        if integrity:
            for schema, name in (("main", path.name), ("actions", outbox_file.name)):
                if schema == "actions" and not outbox_file.is_file() or schema == "main" and not path.is_file():
                    continue
                lines = [str(row[0]) for row in conn.execute(f"PRAGMA {schema}.integrity_check(20)")]
                if lines != ["ok"]:
                    facts.problems += [f"{name}: {line}" for line in lines]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' UNION ALL "
            "SELECT 'actions.' || name FROM actions.sqlite_schema WHERE type = 'table'"
            if outbox_file.is_file() else "SELECT name FROM sqlite_schema WHERE type = 'table'")}
        outbox = "actions.outbox" if "actions.outbox" in tables else "main.outbox" if "outbox" in tables else None
        if outbox is not None:
            facts.outbox_depth = int(conn.execute(
                f"SELECT count(*) FROM {outbox} WHERE state = 'pending'").fetchone()[0])
        if "sync_state" in tables:
            facts.last_sync = conn.execute("SELECT max(last_success_at) FROM sync_state").fetchone()[0]
    except sqlite3.Error as exc:
        facts.problems.append(f"cannot be read ({exc})")
    finally:
        conn.close()
    return facts


def published_state(paths: Paths, config: KioskConfig) -> dict[str, Any] | None:
    """The running kiosk's state file; None when it is not running (no file, or its process is gone)."""
    from kiosk.devices.published import read_state

    state = read_state(paths.inside(config.sync.state_file))
    if state is None:
        return None
    if paths.real_root:
        try:
            os.kill(int(state.get("pid", 0)), 0)
        except (ProcessLookupError, ValueError):
            return None        # left by a kiosk that was killed: not a running one
        except PermissionError:
            pass               # alive, owned by the kiosk user
    return state


def current_release(paths: Paths) -> str | None:
    """The version the ``current`` link points at (``releases/<version>``), or None before install."""
    try:
        return Path(os.readlink(paths.current)).name
    except OSError:
        return None
