"""The one object the city screens talk to: every read they need, at the clock's time.

It owns the UI thread's connection to the offline cache (one connection per thread, see
``offline_cache.db``), the terminal's position and the ``[city]`` settings, so a screen
only says what it wants (« this category », « open now », « search "medi" »).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.city import agenda, hours, listing, pages
from kiosk.city.geo import Origin
from kiosk.city.pages import Block
from kiosk.city.search import CitySearch, SearchResults
from kiosk.clock import PARIS, Clock

if TYPE_CHECKING:
    from kiosk.config.models import CityConfig, KioskConfig

log = logging.getLogger(__name__)


class CacheOwner(Protocol):
    """The data layer, as far as the guide is concerned: where its cache is."""

    @property
    def cache_path(self) -> Path: ...


class GuideHost(Protocol):
    """What :func:`guide_for` needs of the app."""

    city_guide: CityGuide | None

    @property
    def city_cache(self) -> Path | None: ...

    @property
    def data(self) -> CacheOwner | None: ...

    @property
    def config(self) -> KioskConfig: ...

    @property
    def clock(self) -> Clock: ...


def _warm_up(cache_path: Path, today: date) -> None:
    from offline_cache.db import open_cache

    try:
        conn = open_cache(cache_path)
        try:
            texts = [r[0] for r in conn.execute("SELECT DISTINCT opening_hours FROM places")]
        finally:
            conn.close()
        log.info("opening hours ready: %d distinct strings parsed", hours.warm_up(texts, today))
    except Exception:  # only an optimisation: the lists parse what they need
        log.exception("could not parse the opening hours ahead of time")


class CityGuide:
    def __init__(self, conn: sqlite3.Connection, *, origin: Origin | None, clock: Clock,
                 settings: CityConfig) -> None:
        self.conn = conn
        self.origin = origin
        self.clock = clock
        self.settings = settings            # kiosk.config.loading.CityConfig
        self.closing_soon = timedelta(minutes=settings.closing_soon_min)
        self._search = CitySearch(conn)

    @classmethod
    def open(cls, cache_path: str | Path, config: KioskConfig, clock: Clock, *,
             warm_up: bool = False) -> CityGuide:
        """Open the cache for the calling thread (raises offline_cache CacheError when unusable).

        ``warm_up`` parses every distinct opening-hours string in a background thread, with its
        own connection, so that the first category a visitor opens is as quick as the next ones.
        """
        from offline_cache.db import open_cache

        guide = cls(open_cache(cache_path), origin=Origin.from_config(config.location), clock=clock,
                    settings=config.city)
        if warm_up:
            today = clock.now().astimezone(PARIS).date()
            threading.Thread(target=_warm_up, args=(Path(cache_path), today), name="city-hours-warm-up",
                             daemon=True).start()
        return guide

    def close(self) -> None:
        self.conn.close()

    def now(self) -> datetime:
        return self.clock.now()

    # -- places -------------------------------------------------------------------------
    def categories(self) -> list[listing.Category]:
        return listing.categories(self.conn)

    def places_in(self, category: str) -> list[listing.PlaceRow]:
        return listing.places_in(self.conn, category, self.now(), origin=self.origin,
                                 closing_soon=self.closing_soon)

    def open_now(self, limit: int = 40) -> list[listing.PlaceRow]:
        return listing.open_now(self.conn, self.now(), origin=self.origin, limit=limit,
                                closing_soon=self.closing_soon)

    def near_here(self, limit: int = 40) -> list[listing.PlaceRow]:
        return listing.near_here(self.conn, self.now(), origin=self.origin, radius_m=self.settings.near_radius_m,
                                 limit=limit, closing_soon=self.closing_soon)

    def place(self, place_id: str) -> listing.PlaceDetail | None:
        return listing.place_detail(self.conn, place_id, self.now(), origin=self.origin,
                                    closing_soon=self.closing_soon)

    def rows_for(self, found: Sequence[dict[str, Any]]) -> list[listing.PlaceRow]:
        """Search hits (cache rows) as list rows with distance and state, in the hits' order."""
        return listing.rows_from_places(found, self.now(), origin=self.origin, closing_soon=self.closing_soon)

    def service(self, service_id: str) -> dict[str, Any] | None:
        """A service of the catalog (documents decoded), or None when it left the catalog."""
        from offline_cache.places import services

        return next((s for s in services(self.conn) if s["id"] == service_id), None)

    # -- search, agenda, pages, freshness ---------------------------------------------------
    def search(self, query: str, limit: int = 20) -> SearchResults:
        return self._search.search(query, limit=limit)

    def events(self) -> list[agenda.Event]:
        return agenda.upcoming(self.conn, self.now(), days=self.settings.events_days)

    def event(self, event_id: str) -> agenda.Event | None:
        return agenda.event_by_id(self.conn, event_id)

    def pages(self) -> list[dict[str, Any]]:
        return pages.list_pages(self.conn)

    def page(self, page_id: str) -> tuple[dict[str, Any], list[Block]] | None:
        return pages.get_page(self.conn, page_id)

    def freshness(self) -> str | None:
        return agenda.freshness_words(self.conn, self.now(), timedelta(hours=self.settings.stale_after_h))


def guide_for(app: GuideHost) -> CityGuide | None:
    """The app's guide, opened on the UI thread at first use; None while there is no cache yet.

    The cache is the data layer's (``app.data.cache_path``), or ``app.city_cache`` when set
    (screenshots, tests). A cache that cannot be opened is logged and treated as absent: the
    screens then say the information is not available, and the rest of the kiosk works on.
    """
    guide = app.city_guide
    if guide is not None:
        return guide
    path = app.city_cache
    if path is None and app.data is not None:
        path = app.data.cache_path
    if path is None or not Path(path).exists():
        return None
    from offline_cache.errors import CacheError

    try:
        guide = CityGuide.open(path, app.config, app.clock, warm_up=True)
    except CacheError as exc:
        log.error("city information unavailable: %s", exc)
        return None
    app.city_guide = guide
    return guide
