"""The services' names for the display's « waiting » lines, read from the terminal's cache.

Read on the feed's thread (never the UI's). A display that has not synced its catalog yet
shows the service's letter alone.
"""

from __future__ import annotations

from pathlib import Path


def service_names(cache_path: Path) -> dict[str, str]:
    from offline_cache.db import open_cache

    if not cache_path.exists():
        return {}
    conn = open_cache(cache_path)
    try:
        return {str(r[0]): str(r[1]) for r in conn.execute("SELECT id, name FROM services LIMIT 200")}
    finally:
        conn.close()
