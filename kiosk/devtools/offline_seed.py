"""A terminal's cache filled straight from the reference seed, without running the server.

For what has no network on purpose — the screenshot gallery and the benchmarks — yet
must show the demo town's real services, places and availability: the seed's own
catalog and slots go through the same ``offline_cache.from_api`` functions the sync
worker uses, so the cache looks exactly as after a first sync.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.demo_api import published_forms, seed, seed_data
from offline_cache.db import open_cache
from offline_cache.from_api import apply_catalog, apply_slot_list

if TYPE_CHECKING:
    from kiosk.clock import Clock
    from kiosk.services import Services


def fill_cache(cache_path: str | Path, now: datetime) -> Path:
    """Write the demo town's catalog (with its démarches and streets) and 30 days of slots (all free)
    into ``cache_path``."""
    today = now.astimezone(seed.PARIS).date()
    catalog = {"full": True, "cursor": "seed", "services": seed_data.SERVICES,
               "places": seed.places(random.Random(seed.SEED), today), "pages": [], "events": [],
               "forms": published_forms.seed_forms(), "streets": seed.streets(),
               "deleted": {"services": [], "places": [], "pages": [], "events": [], "forms": [], "streets": []}}
    conn = open_cache(cache_path)
    try:
        apply_catalog(conn, catalog, now)
        end = datetime.combine(today + timedelta(days=seed.SLOT_DAYS + 1), datetime.min.time(), seed.PARIS)
        for agenda in seed_data.AGENDAS:
            slots = [{"id": sid, "start": start, "end": stop, "places_left": capacity}
                     for sid, _agenda, start, stop, _ts, capacity in seed.slot_rows(agenda, today)]
            apply_slot_list(conn, {"agenda_id": agenda[0], "cursor": "seed", "full": True, "slots": slots,
                                   "deleted": []}, now, start_from=now, start_to=end)
    finally:
        conn.close()
    return Path(cache_path)


SEEDED_NAMESPACE = "K7M"


class SeededData:
    """A data layer with no central API behind it: the cache filled from the seed, no sync
    worker, no client — what the screenshot gallery and the benchmarks run on. ``online``
    says how the screens should judge the network (actions are never sent: with no client,
    one would wait in the outbox)."""

    def __init__(self, now: datetime, *, online: bool = True) -> None:
        import tempfile

        self.run_dir = Path(tempfile.mkdtemp(prefix="kiosk-seeded-"))
        self.cache_path = fill_cache(self.run_dir / "cache.sqlite3", now)
        self.tracking_secret_path = self.run_dir / "tracking.key"
        self.online = online
        self.client = self.worker = self.api = self.error = None
        self.device_states: Callable[[], dict[str, str]] | None = None
        self.services: Services | None = None
        self.clock: Clock | None = None      # the app's clock, set by the app as on a real data layer

    def make_services(self) -> Services:
        from kiosk.services import Services

        # an enrolled terminal's reference namespace (kiosk.api.references), as the demo server gives one
        self.services = Services(self.cache_path, client_source=lambda: None, clock=self.clock,
                                 offline=lambda: not self.online, namespace=lambda: SEEDED_NAMESPACE)
        return self.services

    def lookup_client(self, timeout_s: float) -> None:
        return None

    @property
    def central_api_url(self) -> None:
        """No central API behind the seeded cache."""
        return None

    def start(self) -> None:
        """Nothing to start: no network."""

    def sync_now(self) -> bool:
        return False

    def stop(self) -> None:
        import shutil

        if self.services is not None:
            self.services.close()
        shutil.rmtree(self.run_dir, ignore_errors=True)
