"""What a handler gets: the parsed HTTP request, its database connection and the time."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl

from .errors import ApiError
from .signals import CallSignal

MAX_BODY = 64 * 1024
FORM_ENCODED = "application/x-www-form-urlencoded"

JsonObject = dict[str, Any]


class Headers(Protocol):
    """The request's headers, as ``http.server`` parses them (case-insensitive names)."""

    def get(self, name: str, /) -> str | None: ...


class Raw(NamedTuple):
    """A non-JSON answer body (the OpenAPI document itself)."""

    data: bytes
    content_type: str


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: Headers
    body: bytes
    conn: sqlite3.Connection
    now: datetime
    device: sqlite3.Row | None = None
    params: dict[str, str] = field(default_factory=dict)
    signal: CallSignal | None = None     # the server's wake-up for held long polls
    clock_fn: Callable[[], datetime] | None = None   # the server's clock, for a request that waits

    def clock(self) -> datetime:
        """The server's time now (``now`` is when the request arrived)."""
        return self.clock_fn() if self.clock_fn is not None else self.now

    def content_type(self) -> str:
        """The body's media type, lower case, without its parameters."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def form_fields(self) -> dict[str, str]:
        """A form-encoded body's fields (Open311), the last value of a repeated name; ValueError when
        the body is not UTF-8 or not form-encoded."""
        if self.content_type() != FORM_ENCODED:
            raise ValueError("send the request as application/x-www-form-urlencoded")
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(self.body)))

    def json_object(self) -> JsonObject:
        """The body as a JSON object, or a 400 saying why not."""
        ctype = self.content_type()
        if ctype != "application/json":
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        try:
            value = json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "invalid_json", "the body is not valid JSON") from None
        if not isinstance(value, dict):
            raise ApiError(400, "invalid_json", "the body must be a JSON object")
        return value

    @property
    def terminal(self) -> sqlite3.Row:
        """The authenticated device, on the routes that require authentication (all but enrolment)."""
        assert self.device is not None, "an authenticated route has its device"
        return self.device

    def check_terminal(self, terminal_id: str) -> None:
        """``terminal_id`` in a body must be the authenticated device: usage figures and
        the audit trail must not be attributable to another terminal."""
        if self.device is None or terminal_id != self.device["id"]:
            raise ApiError(403, "forbidden", "terminal_id must be this device's id (from enrolment)")

    def body_hash(self) -> str:
        """Fingerprint of the request for idempotency: path + canonical JSON, so the same
        data sent with other whitespace or key order counts as the same request."""
        # an agent's recall, absent or served has no body: its path says it all
        if not self.body:
            canonical = ""
        elif self.content_type() == FORM_ENCODED:   # Open311: the same fields in any order
            canonical = json.dumps(sorted(self.form_fields().items()), separators=(",", ":"))
        else:
            canonical = json.dumps(self.json_object(), sort_keys=True, separators=(",", ":"))

        return hashlib.sha256(f"{self.method} {self.path}\n{canonical}".encode()).hexdigest()
