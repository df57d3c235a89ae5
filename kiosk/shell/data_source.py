"""What the app needs of its data side, whichever one it runs on.

A terminal runs on :class:`kiosk.data_layer.DataLayer` (cache, central-API client, sync worker);
the screenshot gallery and the benchmarks run on a cache filled from the reference seed with no
network (``kiosk.devtools.offline_seed.SeededData``). The app talks to either through this.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.clock import Clock
    from kiosk.services import Services
    from kiosk.tracking.service import TrackingClient


class DataSource(Protocol):
    #: The device states for the heartbeat (set by the app when the data side has none).
    device_states: Callable[[], dict[str, str]] | None
    #: The app's clock, set by the app: the services, the worker and the client read it.
    clock: Clock | None
    #: The feature services, once made.
    services: Services | None

    @property
    def cache_path(self) -> Path: ...

    @property
    def tracking_secret_path(self) -> Path:
        """The offline request-tracking memory's key: beside the cache, never in it."""

    def make_services(self) -> Services:
        """The screens' services (on the UI thread; no I/O: connections open on first use)."""

    def lookup_client(self, timeout_s: float) -> TrackingClient | None:
        """A client for one lookup a person waits for (None: none at the moment)."""

    @property
    def central_api_url(self) -> str | None:
        """Where the central API really is (None: there is none, or it is not started yet).
        The demo's reference server listens on a free port, not on the configured one."""

    def start(self) -> None: ...

    def sync_now(self) -> bool: ...

    def stop(self) -> None: ...
