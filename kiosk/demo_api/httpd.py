"""HTTP plumbing: parse, authenticate, dispatch, render JSON or the error shape.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive: one thread per connection, which is all
a town's few dozen terminals need, and it ships with Python so demo mode installs nothing.
Each request gets its own SQLite connection (see ``db``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from . import db, open311, routes
from .devices import authenticate
from .errors import ApiError
from .request import MAX_BODY, JsonObject, Raw, Request
from .signals import CallSignal

log = logging.getLogger("kiosk.demo_api")

# The error codes of the answers ``http.server`` makes before a request reaches a handler.
STDLIB_ERRORS = {400: "invalid_request", 414: "uri_too_long", 431: "headers_too_large",
                 501: "not_implemented", 505: "http_version_not_supported"}


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], db_path: str, clock: Callable[[], datetime]) -> None:
        self.db_path, self.clock = db_path, clock
        self.calls_signal = CallSignal()
        super().__init__(address, ApiHandler)

    def shutdown(self) -> None:
        """Held long polls answer at once: stopping never waits for their ``wait``."""
        self.calls_signal.close()
        super().shutdown()

    def server_close(self) -> None:
        self.calls_signal.close()
        super().server_close()

    @property
    def port(self) -> int:
        """The bound port (useful after asking for port 0)."""
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = cast(str, self.server_address[0])  # typed str | bytes; bound from a str host
        return f"http://{host}:{self.port}"


class ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # one buffered write per answer (flushed by the base class): headers and body in a
    # single segment, so keep-alive clients do not wait 40 ms on Nagle + delayed ACK
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    timeout = 60  # idle keep-alive connections (and stalled clients) release their thread
    server: ApiServer
    _conn: sqlite3.Connection | None = None   # this HTTP connection's database connection
    server_version = "KioskDemoAPI/1"

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every method reaches the route table (``http.server`` looks up ``do_<METHOD>``):
        one the contract does not declare on a known path gets 405 with ``Allow``, on an
        unknown path 404, both in the contract's error shape, instead of the standard
        library's 501 HTML page (TRACE, OPTIONS, HEAD, QUERY, anything)."""
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What ``http.server`` answers by itself (a malformed request line, a URI or
        headers too long, an unsupported HTTP version) in the contract's error shape too."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"   # a refused request line: answer with a status line and headers
        status = HTTPStatus(code)
        error = STDLIB_ERRORS.get(code, "_".join(status.phrase.lower().split()).replace("-", "_"))
        self._send(code, {"error": error, "message": message or status.phrase, "details": {}}, {"Connection": "close"})

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header follows the server's clock, so terminals' clock-skew
        detection can be tested by moving it."""
        return format_datetime(self.server.clock().astimezone(UTC), usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:  # stdlib signature
        log.debug("%s %s", self.address_string(), format % args)  # paths carry no personal data

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise ApiError(411, "length_required", "send Content-Length (chunked bodies are not accepted)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ApiError(400, "invalid_request", "bad Content-Length") from None
        if length > MAX_BODY or length < 0:
            self.close_connection = True
            raise ApiError(413, "payload_too_large", f"bodies are limited to {MAX_BODY} bytes")
        return self.rfile.read(length)

    def _handle(self, method: str) -> None:
        status: int = 500
        body: JsonObject | Raw | None = None
        headers: dict[str, str] = {}
        conn = None
        try:
            raw = self._read_body()
            url = urlsplit(self.path)
            found = routes.match(method, url.path)
            handler: routes.Handler
            params: dict[str, str]
            if found == [] and url.path.startswith(f"{open311.BASE}/"):
                # nothing there: an Open311 client reads Open311's own 404 (a request id outside the pattern)
                handler, needs_auth, params = open311.not_found, False, {}
            elif found == []:
                raise ApiError(404, "not_found", f"no such resource: {url.path}")
            elif isinstance(found, list):
                raise ApiError(405, "method_not_allowed", f"{method} is not allowed on {url.path}",
                               {"allowed": found}, headers={"Allow": ", ".join(found)})
            else:
                handler, needs_auth, params = found
            conn = self._connection()
            query = dict(parse_qsl(url.query, keep_blank_values=True))
            req = Request(method, url.path, query, self.headers, raw, conn, self.server.clock(), params=params,
                          signal=self.server.calls_signal, clock_fn=self.server.clock)
            if needs_auth:
                req.device = authenticate(conn, self.headers.get("Authorization"))
            result = handler(req)
            status, body = result[0], result[1]
            headers = result[2] if len(result) > 2 else {}
        except ApiError as exc:
            status, body, headers = exc.status, exc.body(), exc.headers
        except Exception:  # noqa: BLE001 - the failsafe: a bug answers 500 in the contract's shape
            log.error("demo-api internal error\n%s", traceback.format_exc())
            status, body = 500, {"error": "internal_error", "message": "unexpected server error", "details": {}}
        finally:
            if conn is not None and conn.in_transaction:   # never carry a half transaction to the next request
                conn.rollback()
        self._send(status, body, headers)

    def _connection(self) -> sqlite3.Connection:
        """One SQLite connection per HTTP connection (kept alive: a terminal flushing its
        outbox sends hundreds of requests on it), opened and used by this handler's thread only;
        opening one per request cost about 0.4 ms each."""
        if self._conn is None:
            self._conn = db.connect(self.server.db_path)
        return self._conn

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _send(self, status: int, body: JsonObject | Raw | None, headers: dict[str, str]) -> None:
        if isinstance(body, Raw):
            payload, ctype = body.data, body.content_type
        else:
            payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
            ctype = "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Cache-Control", "no-cache" if "ETag" in headers else "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", ctype)
        if status != 304:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and getattr(self, "command", None) != "HEAD":   # a HEAD answer has headers only (RFC 9110 9.3.2)
            self.wfile.write(payload)


def utc_now() -> datetime:
    return datetime.now(UTC)
