"""Start the reference server in a background thread (tests, the kiosk's demo mode)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import admin, db, seed
from .httpd import ApiServer, utc_now


def open_database(db_path: str | Path, clock: Callable[[], datetime] = utc_now) -> None:
    """Create and seed the database on first use; reuse it as it is afterwards."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    conn = db.connect(db_path)
    try:
        if db.create_schema(conn):
            seed.seed(conn, clock())
        else:
            seed.extend_slots(conn, clock())
            seed.add_walk_ins(conn)
        seed.add_demarches(conn, clock())
    finally:
        conn.close()


def serve(host: str, port: int, db_path: str | Path,
          clock: Callable[[], datetime] = utc_now) -> tuple[ApiServer, threading.Thread]:
    """Serve on ``host:port`` (port 0: a free port; read it from ``server.server_port``)
    from a daemon thread. Stop with ``server.shutdown(); server.server_close()``.
    ``clock`` returns an aware datetime: tests move time instead of waiting for it."""
    open_database(db_path, clock)
    server = ApiServer((host, port), str(db_path), clock)
    # a short poll interval only affects how fast shutdown() returns (tests stop servers often)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="demo-api", daemon=True)
    thread.start()
    return server, thread


@dataclass
class EmbeddedApi:
    """The reference server as the kiosk's demo mode runs it: loopback only, free port."""

    server: ApiServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.server.url

    def new_enrolment_code(self) -> str:
        """A one-time code the kiosk enrols with, exactly as a real terminal would."""
        return admin.create_enrolment_code(self.server.db_path, self.server.clock)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_embedded(db_path: str | Path, clock: Callable[[], datetime] = utc_now) -> EmbeddedApi:
    return EmbeddedApi(*serve("127.0.0.1", 0, db_path, clock))
