"""The app's data side: local cache, central-API client, sync worker and services, started together.

In demo mode the reference server runs as a child process on a free loopback
port, and the terminal enrols with a one-time code exactly as a real one
does. In production (:meth:`DataLayer.production`) the cache and the
credentials are the configured files (``[sync] cache_path``, ``[api]
credentials_path``) and nothing is enrolled at run time: credentials come
from provisioning (``kiosk-provision enroll``). Without them the kiosk still
serves from its cache, shows « hors ligne », and the sync worker looks for
the file again every few minutes. All of it starts in a background thread,
so the first frame never waits for the network or for seeding the demo town
(DESIGN: the UI thread does no network or slow disk I/O).
"""

from __future__ import annotations

import logging
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import kiosk
from kiosk.clock import Clock, ManualClock
from kiosk.network_state import LinkState

if TYPE_CHECKING:    # imported when used: the first frame does not wait for HTTP, SQLite or the services
    from kiosk.api.client import ApiClient
    from kiosk.config import KioskConfig
    from kiosk.services import Services
    from kiosk.sync.worker import SyncWorker

log = logging.getLogger(__name__)


class DemoApiProcess:
    """The reference server in a child process, as the town's server is another machine: seeding
    and serving never compete with the UI thread, and its memory is not the terminal's."""

    START_TIMEOUT_S = 60.0
    STEP_TIMEOUT_S = 10.0

    def __init__(self, db_path: Path, now: datetime | None = None, *, stepped: bool = False) -> None:
        """``now``: the instant the server's clock starts at (the app's clock); ``stepped``: it
        stands still there and moves only by :meth:`set_now` (the app runs on a ManualClock)."""
        command = [sys.executable, "-m", "kiosk", "demo-api", "--port", "0", "--db", str(db_path), "--exit-with-stdin"]
        if now is not None:
            command += ["--now", now.isoformat()]
        if stepped:
            command.append("--clock-from-stdin")
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._step_lock = threading.Lock()
        # If the server hangs before printing its two lines, kill it: readline() then returns "".
        watchdog = threading.Timer(self.START_TIMEOUT_S, self.proc.kill)
        watchdog.start()
        try:
            first, second = self._line(), self._line()
            url = re.search(r"on (http://\S+)", first)
            code = re.search(r"code: (\S+)", second)
            if not (url and code):
                raise RuntimeError(f"unexpected output from the demo API: {first!r} {second!r}")
            self.url, self.enrolment_code = url[1] + "/", code[1]
        except BaseException:
            self.stop()
            raise
        finally:
            watchdog.cancel()

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the demo API did not start (exit status {self.proc.poll()})")
        return line

    def set_now(self, now: Callable[[], datetime]) -> None:
        """Move a stepped server's clock to ``now()`` (read under the lock, so the last move
        sent is the latest) and wait for its acknowledgement: the next request sees it."""
        with self._step_lock:
            if self.proc.poll() is not None or self.proc.stdin is None or self.proc.stdin.closed:
                return
            when = now()
            watchdog = threading.Timer(self.STEP_TIMEOUT_S, self.proc.kill)
            watchdog.start()
            try:
                self.proc.stdin.write(f"now {when.isoformat()}\n")
                self.proc.stdin.flush()
                answer = self._line()
            finally:
                watchdog.cancel()
            if not answer.startswith("now "):
                raise RuntimeError(f"the demo API refused the time {when.isoformat()}: {answer.strip()}")

    def new_enrolment_code(self) -> str:
        return self.enrolment_code

    def stop(self) -> None:
        with self._step_lock:
            self._stop()

    def _stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


class DataLayer:
    def __init__(self, config: KioskConfig, run_dir: Path, *, embedded: bool, remove_run_dir: bool = False,
                 device_states: Callable[[], dict[str, str]] | None = None) -> None:
        self.config = config
        self.run_dir = run_dir
        self.embedded = embedded
        self.remove_run_dir = remove_run_dir
        self.device_states = device_states     # for the heartbeat (Devices.heartbeat_states)
        self.services: Services | None = None   # made by make_services() on the UI thread
        self.clock: Clock | None = None   # the app's clock (set by the app): the services, the worker and the client
        self.api: DemoApiProcess | None = None   # in demo mode
        self.client: ApiClient | None = None
        self.worker: SyncWorker | None = None
        # the header's « En ligne / Hors ligne »: every request of every client reports to it
        self.link = LinkState(on_back=lambda: self.worker.notify_new_action() if self.worker is not None else None)
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @classmethod
    def demo(cls, config: KioskConfig) -> DataLayer:
        """A fresh demo town for this run, in a private temporary folder removed at exit."""
        run_dir = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
        return cls(config, run_dir, embedded=True, remove_run_dir=True)

    @classmethod
    def production(cls, config: KioskConfig) -> DataLayer:
        """The configured cache and credentials; the central API at ``[api] base_url``."""
        return cls(config, Path(config.sync.cache_path).parent, embedded=False)

    @property
    def cache_path(self) -> Path:
        return self.run_dir / "cache.sqlite3" if self.embedded else Path(self.config.sync.cache_path)

    @property
    def central_api_url(self) -> str | None:
        """The configured ``[api] base_url``, or in the demo its own server's real address (a
        free port, known once that server has started; None until then)."""
        if self.embedded:
            return self.api.url if self.api is not None else None
        return str(self.config.api.base_url)

    @property
    def credentials_path(self) -> Path:
        return self.run_dir / "credentials.json" if self.embedded else Path(self.config.api.credentials_path)

    def make_services(self) -> Services:
        """The screens' services (no I/O here: connections open on first use)."""
        from kiosk.services import Services

        services = self.services = Services(
            self.cache_path, client_source=lambda: self.client, clock=self.clock,
            wake_sync=lambda: self.worker.notify_new_action() if self.worker is not None else None,
            known_offline=lambda: self.link.online is False,
            timeout_s=self.config.api.action_timeout_s, config=self.config)
        return services

    @property
    def tracking_secret_path(self) -> Path:
        """The HMAC key of the offline request-tracking memory: beside the cache, never in it."""
        return self.run_dir / "tracking.key"

    def lookup_client(self, timeout_s: float) -> ApiClient | None:
        """A client of its own for a lookup a person waits for: one attempt, short timeouts;
        None while the data layer has no client (starting, or failed to start)."""
        client = self.client
        if client is None:
            return None
        return client.clone(connect_timeout_s=min(client.timeout[0], timeout_s), read_timeout_s=timeout_s,
                            max_attempts=1)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._start, name="data-layer-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            from kiosk.api.client import ApiClient
            from kiosk.api.models import kind_of_profile
            from kiosk.sync.worker import SyncWorker

            api_cfg = self.config.api
            api: DemoApiProcess | None = None
            if self.embedded:
                api = self.api = self._start_demo_api()
                base_url = api.url
            else:
                base_url = api_cfg.base_url
            client = self.client = ApiClient(base_url, credentials_path=self.credentials_path,
                                    ca_bundle=api_cfg.ca_bundle, connect_timeout_s=api_cfg.connect_timeout_s,
                                    read_timeout_s=api_cfg.read_timeout_s,
                                    now=self.clock.now if self.clock is not None else None,
                                    link_observer=self.link.observe)
            if api is not None:
                client.enroll(api.new_enrolment_code(), {
                    "hostname": (socket.gethostname() or "kiosk")[:100],
                    "kind": kind_of_profile(self.config.terminal.profile),
                    "app_version": kiosk.__version__,
                    "location": self.config.location.address[:200],
                })
            elif not self._production_files_ok():
                return
            if self._stopping.is_set():
                return
            storage = self._check_storage()
            worker = self.worker = SyncWorker(self.cache_path, client, clock=self.clock,
                                              device_states=self.device_states, link=self.link,
                                              queue_numbers=self.config.terminal.profile == "counter",
                                              **self.config.sync.model_dump(exclude={"cache_path", "state_file"}))
            worker.start()
            log.info("data layer started (%s); storage: %s",
                     f"demo API process at {base_url}" if self.embedded else base_url, storage)
            from kiosk.services import warm_up

            warm_up(tickets=self.config.terminal.profile == "counter")   # not on the UI thread at the first tap
        except Exception as exc:  # the kiosk keeps serving from its cache without it
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("the data layer could not start; the terminal works from its cache")

    def _start_demo_api(self) -> DemoApiProcess:
        """The reference server on the app's time: it starts at the app clock's ``now()``; with
        a ManualClock (tests, screenshots) it stands still and follows every move of that clock,
        synchronously, so the server never disagrees with the terminal about the time."""
        db_path = self.run_dir / "demo-api.sqlite3"
        clock = self.clock
        if clock is None or type(clock) is Clock:   # the wall clock: the server reads its own, as ever
            return DemoApiProcess(db_path)
        if not isinstance(clock, ManualClock):
            return DemoApiProcess(db_path, clock.now())
        clock.add_listener(self._follow_clock)      # before reading now(): no move is missed
        api = DemoApiProcess(db_path, clock.now(), stepped=True)
        self.api = api
        api.set_now(clock.now)                      # any move made while the server was starting
        return api

    def _follow_clock(self, _when: datetime) -> None:
        api, clock = self.api, self.clock
        if api is not None and clock is not None:
            api.set_now(clock.now)

    def _check_storage(self) -> str:
        """Read the whole cache once before the worker starts (a start-up self-test): a damaged
        catalog or outbox is moved aside and replaced now, before anyone taps; a full disk is
        said once. Returns the state words for the start-up line."""
        from offline_cache import health
        from offline_cache.db import open_cache
        from offline_cache.errors import CacheError

        try:
            open_cache(self.cache_path, check=True, recover=True).close()
        except CacheError as exc:
            health.noticed(exc, self.cache_path)
        state = health.storage_state(self.cache_path)
        return str(state["state"]) + (f" ({state['detail']})" if state["detail"] else "")

    def _production_files_ok(self) -> bool:
        """One clear line per missing piece. Without the cache folder there is nothing to sync
        into (False: no worker). Without credentials the worker starts anyway: it looks for the
        file again every few minutes, and the header says « hors ligne » meanwhile."""
        from kiosk.api.client import read_credentials
        from kiosk.api.errors import CredentialsError

        if not self.cache_path.parent.is_dir():
            from offline_cache import health
            from offline_cache.db import open_cache
            from offline_cache.errors import FolderMissing

            self.error = f"no cache folder {self.cache_path.parent}"
            try:
                open_cache(self.cache_path).close()   # the cache's own words, said once for every feature
            except FolderMissing as exc:
                health.noticed(exc, self.cache_path)
            self.link.observe(False)
            return False
        try:
            read_credentials(self.credentials_path)
        except CredentialsError as exc:
            self.error = str(exc)
            log.error("working offline from the cache: %s", exc)
            self.link.observe(False)
        return True

    def sync_now(self) -> bool:
        if self.worker is None:
            return False
        self.worker.sync_now()
        return True

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=20)
        if self.services is not None:
            self.services.close()
        if self.worker is not None:
            self.worker.stop()
        if self.client is not None:
            self.client.close()
        if isinstance(self.clock, ManualClock):
            self.clock.remove_listener(self._follow_clock)
        if self.api is not None:
            self.api.stop()
        if self.remove_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
