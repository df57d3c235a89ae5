"""A cache holding the demo town's catalog, for `kiosk screenshots` (no server, no network).

The reference server is seeded at the given instant and its catalog entries — the very JSON
bodies it serves on ``GET /v1/catalog`` — are applied to a new cache with the sync code
(``offline_cache.from_api.apply_catalog``), so the screens show what a terminal synchronised
with the demo server shows. ``kiosk run --demo`` does not use this: it syncs for real.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

_KINDS = {"service": "services", "place": "places", "page": "pages", "event": "events", "form": "forms",
          "street": "streets"}


def demo_catalog(now: datetime) -> dict[str, Any]:
    """The demo town's full catalog, in the contract's shape, as seeded at ``now``."""
    from kiosk.demo_api import db
    from kiosk.demo_api.server import open_database

    catalog: dict[str, Any] = {"cursor": "demo", "full": True, **{name: [] for name in _KINDS.values()},
                     "deleted": {name: [] for name in _KINDS.values()}}
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-town-") as tmp:
        path = Path(tmp) / "demo-api.sqlite3"
        open_database(path, lambda: now)
        conn = db.connect(path)
        try:
            for kind, body in conn.execute("SELECT kind, body FROM catalog WHERE deleted = 0 ORDER BY kind, id"):
                catalog[_KINDS[kind]].append(json.loads(body))
        finally:
            conn.close()
    return catalog


def build_demo_cache(path: str | Path, now: datetime) -> Path:
    """Write the demo town's cache at ``path``, as synchronised at ``now``."""
    from offline_cache.db import open_cache
    from offline_cache.from_api import apply_catalog

    conn = open_cache(path)
    try:
        apply_catalog(conn, demo_catalog(now), now)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return Path(path)
