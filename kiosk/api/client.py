"""The terminal's client of Kiosk Sync API v1: one ``requests.Session``, typed errors.

Why each rule:

* **Timeouts on every call** (connect, read): a hung server must turn into
  :class:`~kiosk.api.errors.Timeout` the sync worker can schedule around, never a thread
  stuck forever.
* **Retries only when repeating is harmless**: GETs, and POSTs carrying an
  ``Idempotency-Key`` (the server replays its first answer). An enrolment or a heartbeat
  is never repeated here. Backoff is exponential with full jitter so terminals that lost
  the network together do not come back in step; ``Retry-After`` (seconds or HTTP-date)
  is honoured, and one longer than ``max_retry_wait_s`` is handed to the caller as
  :class:`~kiosk.api.errors.RetryLater` rather than blocking the worker.
* **TLS verification is always on**: ``verify`` is the configured CA bundle or ``True``;
  nothing in this module can turn it off.
* **Every answer is validated** with :mod:`kiosk.api.models`. A payload that does not fit
  is logged (paths and error kinds only: never values, which may be personal) and raises
  :class:`~kiosk.api.errors.InvalidResponse`; the caller keeps its previous cache.
* **The server's ``Date``** of the last answer is kept (:attr:`ApiClient.clock_skew_s`),
  because a terminal whose clock drifts shows wrong slots and rejects valid check-ins.
* **Nothing but the exception tree leaves it**: a body cut short, wrongly chunked (negative
  or huge chunk sizes), wrongly compressed, larger than ``max_body_bytes`` (counted after
  decompression: a small gzip bomb is refused too), not HTTP at all, or JSON of the right
  shape holding a time that cannot be expressed in UTC (``0001-01-01T00:00:00+14:00``) is
  :class:`~kiosk.api.errors.InvalidResponse`, never a ``ValueError``, ``OverflowError`` or
  urllib3 ``ProtocolError`` that would end a sync round.

The credentials file (written at enrolment, ``{"device_id", "token"}``) must be readable
by the kiosk user only: a token readable by others lets anyone book as this terminal.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import random
import re
import stat
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError

from kiosk.api import models
from kiosk.api.action_kinds import BOOKING, BOOKING_REQUEST, CANCELLATION, CHECKIN, QUEUE_TICKET, ActionKind
from kiosk.api.errors import (
    ApiError,
    Conflict,
    CredentialsError,
    DeviceRevoked,
    FinalRefusal,
    InvalidResponse,
    NotFound,
    RetryLater,
    ServerError,
    Timeout,
    TlsFailure,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger("kiosk.api")
M = TypeVar("M", bound=BaseModel)
USER_AGENT = "kiosk-terminal/1 (+Kiosk Sync API v1)"
# a long poll's answer may take ``wait`` seconds by design: its read timeout is that plus this margin
LONG_POLL_MARGIN_S = 5.0
MAX_BODY_BYTES = 64 * 1024 * 1024   # a whole town's catalog is a few MB; more is not an answer of the contract
# What a malformed answer raises below requests (urllib3 decoding chunks and gzip, http.client
# parsing the status line): each is the server's fault, none may escape as itself.
# Only a time in year 1 or 9999 can fall outside UTC; digits in JSON are literal or \u003X escapes.
# Seen in the raw bytes, it is worth walking the parsed answer (which costs a second for 100 000 slots).
_EDGE_YEAR = re.compile(rb"(?:0001|9999)-|\\u003")
_MALFORMED = (ValueError, OverflowError, EOFError, zlib.error, http.client.HTTPException,
              urllib3.exceptions.HTTPError)


@dataclass(frozen=True)
class Credentials:
    device_id: str
    token: str


def read_credentials(path: str | Path) -> Credentials:
    """The enrolment's credentials; refuses a file group or others may read or write."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise CredentialsError(f"No credentials file at {path}: enrol this terminal first "
                               "(kiosk-provision enroll).") from None
    if st.st_mode & 0o077:
        raise CredentialsError(
            f"The credentials file {path} is accessible to other users (mode {stat.filemode(st.st_mode)}); "
            f"its token would let them act as this terminal. Run: chmod 600 {path} (owner: the kiosk user).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Credentials(device_id=str(data["device_id"]), token=str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CredentialsError(f"The credentials file {path} cannot be read ({type(exc).__name__}); "
                               "enrol this terminal again.") from None


def write_credentials(path: str | Path, device_id: str, token: str) -> None:
    """Create the file with mode 0600 from the start (no window where others may read it), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"device_id": device_id, "token": token}, f)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)  # O_CREAT's mode does not apply to a leftover tmp file
    os.replace(tmp, path)


@dataclass(frozen=True)
class Fetched(Generic[M]):
    """A conditional GET's outcome: ``data`` is None when the server said 304."""

    data: M | None
    etag: str | None

    @property
    def not_modified(self) -> bool:
        return self.data is None


def parse_retry_after(value: str | None, server_date: datetime | None, now: datetime) -> float | None:
    """``Retry-After`` in seconds (≥ 0), from delta-seconds or an HTTP-date (measured from
    the server's own ``Date`` when it sent one, so our clock's skew does not matter)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(0.0, (when - (server_date or now)).total_seconds())
    except OverflowError:   # a date at the edge of the calendar: no usable delay
        return None


class ApiClient:
    """One terminal's connection to the central API; not thread-safe (one per thread)."""

    def __init__(self, base_url: str, *, credentials_path: str | Path | None = None,
                 ca_bundle: str | Path | None = None, connect_timeout_s: float = 3.0,
                 read_timeout_s: float = 10.0, max_attempts: int = 3, backoff_base_s: float = 0.5,
                 backoff_cap_s: float = 5.0, max_retry_wait_s: float = 30.0,
                 now: Callable[[], datetime] | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, max_body_bytes: int = MAX_BODY_BYTES,
                 link_observer: Callable[[bool], None] | None = None) -> None:
        self._settings = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.credentials_path = Path(credentials_path) if credentials_path else None
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.max_attempts, self.backoff_base_s, self.backoff_cap_s = max(1, max_attempts), backoff_base_s, backoff_cap_s
        self.max_retry_wait_s = max_retry_wait_s
        self.max_body_bytes = max_body_bytes
        # told after each request whether the server could be reached (kiosk.network_state); clones share it
        self.link_observer = link_observer
        self._now = now or (lambda: datetime.now(UTC))
        self._sleep, self._rng = sleep, rng or random.Random()
        self._credentials: Credentials | None = None
        self.session = requests.Session()
        # never False. Passed again on each request: requests lets REQUESTS_CA_BUNDLE /
        # CURL_CA_BUNDLE from the environment override a Session's ``verify``, not a request's.
        self.session.verify = self._verify = str(ca_bundle) if ca_bundle else True
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.last_server_date: datetime | None = None
        self.clock_skew_s: float | None = None   # server minus terminal, at the last answer

    @classmethod
    def from_config(cls, api_config: Any, **kwargs: Any) -> ApiClient:
        """From the ``[api]`` section (:class:`kiosk.config.models.ApiConfig`)."""
        return cls(api_config.base_url, credentials_path=api_config.credentials_path,
                   ca_bundle=api_config.ca_bundle, connect_timeout_s=api_config.connect_timeout_s,
                   read_timeout_s=api_config.read_timeout_s, **kwargs)

    # -- credentials -----------------------------------------------------------------------
    @property
    def credentials(self) -> Credentials:
        if self._credentials is None:
            if self.credentials_path is None:
                raise CredentialsError("This client has no credentials file: enrol first.")
            self._credentials = read_credentials(self.credentials_path)
        return self._credentials

    def clone(self, **overrides: Any) -> ApiClient:
        """Same settings (but ``overrides``) and credentials, its own connection pool: one per
        sending thread (a client is not thread-safe)."""
        twin = ApiClient(**{**self._settings, **overrides})
        twin._credentials = self._credentials
        if "base_url" not in overrides:
            twin.base_url = self.base_url
        return twin

    def forget_credentials(self) -> None:
        """Read the file again at the next call (after a 401: the terminal may have been re-enrolled)."""
        if self.credentials_path is not None:
            self._credentials = None

    @property
    def device_id(self) -> str:
        return self.credentials.device_id

    def close(self) -> None:
        self.session.close()

    # -- endpoints -------------------------------------------------------------------------
    def enroll(self, enrolment_code: str, terminal: dict[str, Any] | models.TerminalFacts) -> models.EnrollResponse:
        """Spend a one-time code; the token is written to the credentials file (0600).
        Never retried: a lost answer means asking the technician for a new code."""
        body = {"enrolment_code": enrolment_code, "terminal": _plain(terminal)}
        result = self._call("POST", "v1/devices/enroll", models.EnrollResponse, json_body=body, auth=False, retry=False)
        if self.credentials_path is not None:
            write_credentials(self.credentials_path, result.device_id, result.token)
        self._credentials = Credentials(result.device_id, result.token)
        return result

    def catalog(self, *, etag: str | None = None, since: str | None = None) -> Fetched[models.Catalog]:
        return self._conditional("v1/catalog", models.Catalog, etag, {"since": since} if since else None)

    def slots(self, agenda_id: str, first_day: date, last_day: date, *, etag: str | None = None,
              since: str | None = None) -> Fetched[models.SlotList]:
        params = {"from": first_day.isoformat(), "to": last_day.isoformat()}
        if since:
            params["since"] = since
        return self._conditional(f"v1/agendas/{_seg(agenda_id)}/slots", models.SlotList, etag, params)

    def keys(self) -> models.KeySet:
        return self._call("GET", "v1/keys", models.KeySet)

    def tracked_request(self, tracking_code: str) -> models.TrackedRequest:
        return self._call("GET", f"v1/requests/{_seg(tracking_code.strip().upper())}", models.TrackedRequest)

    def send_action(self, kind: ActionKind, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.Incoming:
        """One citizen's action of ``kind``, sent with its outbox UUID as Idempotency-Key."""
        plain = _plain(body)
        return self._call(kind.method, kind.request_path(plain), kind.response, json_body=plain, key=idempotency_key)

    def create_booking(self, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.Booking:
        return self._call("POST", BOOKING.request_path({}), models.Booking, json_body=_plain(body), key=idempotency_key)

    def cancel_booking(self, booking: str, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.Booking:
        """``booking``: its id or its reference."""
        return self._call("POST", CANCELLATION.request_path({"booking_id": booking}), models.Booking,
                          json_body=_plain(body), key=idempotency_key)

    def check_cancel(self, booking: str, body: dict[str, Any] | BaseModel) -> models.Booking:
        """Which booking cancelling ``booking`` (its reference) with this proof would cancel;
        a read: NotFound or Conflict exactly as the cancellation itself would answer."""
        return self._call("POST", f"v1/bookings/{_seg(booking)}/cancel-check", models.Booking,
                          json_body=_plain(body))

    def create_booking_request(self, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.BookingRequest:
        return self._call("POST", BOOKING_REQUEST.request_path({}), models.BookingRequest, json_body=_plain(body),
                          key=idempotency_key)

    def booking_request(self, request_id: str) -> models.BookingRequest:
        """An offline booking request's state, by its id or its reference."""
        return self._call("GET", f"v1/booking-requests/{_seg(request_id.strip())}", models.BookingRequest)

    def checkin(self, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.Checkin:
        return self._call("POST", CHECKIN.request_path({}), models.Checkin, json_body=_plain(body), key=idempotency_key)

    def number_block(self, day: date) -> models.NumberBlock:
        """This terminal's block of offline queue numbers for ``day`` (today or tomorrow, town time);
        the same block on every call. Conflict ``no_block_left`` when none is left."""
        return self._call("GET", "v1/number-blocks", models.NumberBlock, params={"day": day.isoformat()})

    def create_queue_ticket(self, body: dict[str, Any] | BaseModel, idempotency_key: str) -> models.QueueTicket:
        """A walk-in number; the outbox row's UUID as key, so a second press is the same number."""
        return self._call("POST", QUEUE_TICKET.request_path({}), models.QueueTicket, json_body=_plain(body),
                          key=idempotency_key)

    def queues(self) -> models.QueueBoard:
        """The queues now (the walk-in screen reads it live, with a short ``read_timeout_s``)."""
        return self._call("GET", "v1/queues", models.QueueBoard)

    def calls(self, after: int, wait_s: float) -> models.CallBoard:
        """One long poll of the calls: the server holds it up to ``wait_s`` (0..25, whole seconds)
        unless a call newer than ``after`` exists; the read timeout covers the wait."""
        wait = max(0, min(25, int(wait_s)))
        return self._call("GET", "v1/calls", models.CallBoard, params={"after": max(0, after), "wait": wait},
                          read_timeout_s=self.timeout[1] + wait + LONG_POLL_MARGIN_S if wait else None)

    def heartbeat(self, body: dict[str, Any] | BaseModel) -> models.HeartbeatAck:
        """Not retried: the next heartbeat carries fresher figures anyway."""
        return self._call("POST", f"v1/devices/{_seg(self.device_id)}/heartbeat", models.HeartbeatAck,
                          json_body=_plain(body), retry=False)

    def post_form(self, url: str, fields: dict[str, str], idempotency_key: str) -> Any:
        """POST ``fields`` form-encoded to ``url`` (an absolute address, e.g. an Open311 endpoint
        beside the contract), with this terminal's token and ``Idempotency-Key`` (so retried like an
        action); the answer's JSON, or the typed error of its status. Its body is the caller's to check."""
        response = self._send("POST", url, form_body=fields, headers={"Idempotency-Key": idempotency_key})
        try:
            return json.loads(response.content)
        except ValueError:
            raise InvalidResponse(f"POST {url}: the answer is not JSON", status=response.status_code) from None

    # -- plumbing --------------------------------------------------------------------------
    def _conditional(self, path: str, model: type[M], etag: str | None, params: dict[str, Any] | None) -> Fetched[M]:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", path, params=params, headers=headers)
        new_etag = response.headers.get("ETag")
        if response.status_code == 304:
            return Fetched(None, new_etag or etag)
        return Fetched(self._parse(response, model, path), new_etag)

    def _call(self, method: str, path: str, model: type[M], *, json_body: dict[str, Any] | None = None,
              key: str | None = None, auth: bool = True, retry: bool | None = None,
              params: dict[str, Any] | None = None, read_timeout_s: float | None = None) -> M:
        headers = {"Idempotency-Key": key} if key else {}
        response = self._send(method, path, params=params, json_body=json_body, headers=headers, auth=auth,
                              retry=(method == "GET" or key is not None) if retry is None else retry,
                              read_timeout_s=read_timeout_s)
        return self._parse(response, model, path)

    def _send(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              json_body: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, auth: bool = True, retry: bool = True,
              read_timeout_s: float | None = None, form_body: dict[str, str] | None = None) -> requests.Response:
        """One request, repeated (same headers, same key) on retryable failures when allowed;
        its outcome told to the link observer."""
        try:
            response = self._attempts(method, path, params, json_body, headers, auth, retry, read_timeout_s,
                                      form_body)
        except ApiError as exc:
            self._observe(exc)
            raise
        self._observe(None)
        return response

    def _observe(self, error: ApiError | None) -> None:
        """Whether the server answered as a server should: a refusal (4xx) is an answer; no
        answer, a 5xx, a « retry later » or a terminal it does not accept (401, no
        credentials) is not. A malformed answer says nothing either way."""
        if self.link_observer is None or isinstance(error, InvalidResponse):
            return
        self.link_observer(error is None or not (error.retryable or isinstance(error, (Unauthorized,
                                                                                        CredentialsError))))

    def _attempts(self, method: str, path: str, params: dict[str, Any] | None, json_body: dict[str, Any] | None,
                  headers: dict[str, str] | None, auth: bool, retry: bool,
                  read_timeout_s: float | None = None, form_body: dict[str, str] | None = None) -> requests.Response:
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = f"Bearer {self.credentials.token}"
        attempts = self.max_attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, path, params, json_body, sent, read_timeout_s, form_body)
            except ApiError as exc:
                if not exc.retryable or isinstance(exc, (InvalidResponse, TlsFailure)) or attempt == attempts:
                    raise
                wait = self._rng.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2 ** (attempt - 1)))
                if exc.retry_after is not None:
                    if exc.retry_after > self.max_retry_wait_s:
                        raise   # too long to block on: the caller reschedules
                    wait = max(wait, exc.retry_after)
                log.info("%s %s: %s; attempt %d of %d in %.1f s", method, path, type(exc).__name__,
                         attempt + 1, attempts, wait)
                self._sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, method: str, path: str, params: dict[str, Any] | None, json_body: dict[str, Any] | None,
              headers: dict[str, str], read_timeout_s: float | None = None,
              form_body: dict[str, str] | None = None) -> requests.Response:
        url = path if path.startswith(("https://", "http://")) else self.base_url + path
        timeout = self.timeout if read_timeout_s is None else (self.timeout[0], read_timeout_s)
        try:
            response = self.session.request(method, url, params=params, json=json_body, data=form_body, headers=headers,
                                            timeout=timeout, verify=self._verify, allow_redirects=False,
                                            stream=True)
            try:
                self._read_body(response, method, path)
            finally:
                response.close()
        except requests.exceptions.SSLError as exc:
            raise TlsFailure(f"{method} {path}: the server's certificate is not trusted ({_reason(exc)}); "
                             "check api.ca_bundle and the server's certificate") from None
        except requests.exceptions.Timeout:
            raise Timeout(f"{method} {path}: no answer within {timeout[0]:g} s / {timeout[1]:g} s") from None
        except requests.exceptions.ChunkedEncodingError:
            raise InvalidResponse(f"{method} {path}: the answer was cut short") from None
        except requests.exceptions.ContentDecodingError:
            raise InvalidResponse(f"{method} {path}: the answer's compression is broken") from None
        except requests.exceptions.ConnectionError as exc:
            if "IncompleteRead" in str(exc) or "Connection broken" in str(exc):
                raise InvalidResponse(f"{method} {path}: the answer was cut short") from None
            if "BadStatusLine" in str(exc) or "LineTooLong" in str(exc):
                raise InvalidResponse(f"{method} {path}: the answer is not HTTP") from None
            raise Unavailable(f"{method} {path}: cannot reach the server ({_reason(exc)})") from None
        except requests.exceptions.RequestException as exc:
            raise Unavailable(f"{method} {path}: {type(exc).__name__}") from None
        except _MALFORMED as exc:   # below requests: a chunk size, a gzip stream, a status line
            log.warning("%s %s: malformed answer (%s); previous data kept", method, path, type(exc).__name__)
            raise InvalidResponse(f"{method} {path}: the answer is malformed ({type(exc).__name__})") from None
        self._record_date(response)
        status = response.status_code
        if status < 300 or status == 304:
            return response
        raise self._error(method, path, response)

    def _read_body(self, response: requests.Response, method: str, path: str) -> None:
        """Read the whole body (decompressed) into ``response.content``, refusing one larger than
        ``max_body_bytes``: an endless or gigantic answer must not take the terminal's memory."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise InvalidResponse(f"{method} {path}: the answer is too large ({declared} bytes)",
                                  status=response.status_code)
        parts, size = [], 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > self.max_body_bytes:
                log.warning("%s %s: answer larger than %d bytes; previous data kept", method, path,
                            self.max_body_bytes)
                raise InvalidResponse(f"{method} {path}: the answer is too large (over {self.max_body_bytes} bytes)",
                                      status=response.status_code)
            parts.append(chunk)
        response._content = b"".join(parts)   # what response.content returns from now on

    def _record_date(self, response: requests.Response) -> None:
        try:
            server = parsedate_to_datetime(response.headers["Date"])
            if server.tzinfo is None:
                server = server.replace(tzinfo=UTC)
            skew = (server - self._now()).total_seconds()
        except (KeyError, TypeError, ValueError, IndexError, OverflowError):
            return
        self.last_server_date = server
        self.clock_skew_s = skew

    def _error(self, method: str, path: str, response: requests.Response) -> ApiError:
        status = response.status_code
        try:
            err = models.Error.model_validate_json(response.content)
            code, message, details = err.error, err.message, err.details
        except ValidationError:
            code, message, details = None, f"HTTP {status} (no error body in the contract's shape)", {}
        text = f"{method} {path}: {status} {code or ''} {message}".replace("  ", " ")
        kwargs: dict[str, Any] = {"status": status, "code": code, "details": details}
        if status in (408, 429) or status == 503:
            kwargs["retry_after"] = parse_retry_after(response.headers.get("Retry-After"), self.last_server_date,
                                                      self._now())
            return RetryLater(text, **kwargs)
        if status >= 500:
            return ServerError(text, **kwargs)
        if status == 401:
            return (DeviceRevoked if code == "device_revoked" else Unauthorized)(text, **kwargs)
        if status == 404:
            return NotFound(text, **kwargs)
        if status == 409:
            return Conflict(text, **kwargs)
        if 400 <= status < 500:
            return FinalRefusal(text, **kwargs)
        return InvalidResponse(f"{method} {path}: unexpected status {status}", **kwargs)  # 1xx/3xx we did not ask for

    def _parse(self, response: requests.Response, model: type[M], path: str) -> M:
        ctype = response.headers.get("Content-Type", "")
        if not ctype.startswith("application/json"):
            log.warning("%s: answer is %r, not JSON; previous data kept", path, ctype[:60])
            raise InvalidResponse(f"{path}: the answer is not JSON ({ctype[:60] or 'no Content-Type'})",
                                  status=response.status_code)
        try:
            result = model.model_validate_json(response.content)
        except ValidationError as exc:
            problems = [(".".join(str(p) for p in e["loc"]) or "body", e["type"])
                        for e in exc.errors(include_url=False, include_input=False, include_context=False)]
            # where and what kind, never the values: they may be a citizen's
            log.warning("%s: answer does not match %s (%d problems, first: %s); previous data kept",
                        path, model.__name__, len(problems), problems[:5])
            kind = "not valid JSON" if problems and problems[0][1] == "json_invalid" else "not the contract's shape"
            raise InvalidResponse(f"{path}: the answer is {kind} ({model.__name__}: "
                                  f"{'; '.join(f'{loc} {t}' for loc, t in problems[:3])})",
                                  status=response.status_code) from None
        where = _time_outside_utc(result) if _EDGE_YEAR.search(response.content) else None
        if where is not None:
            log.warning("%s: answer has a time that cannot be expressed in UTC at %s; previous data kept", path, where)
            raise InvalidResponse(f"{path}: the answer is not the contract's shape ({model.__name__}: {where} "
                                  "is a time outside what UTC can express)", status=response.status_code)
        return result


def _time_outside_utc(value: Any, where: str = "") -> str | None:
    """Where (``slots.3.start``) the first aware time sits that UTC cannot hold — valid ISO 8601
    such as ``0001-01-01T00:00:00+14:00`` or ``9999-12-31T23:59:59-14:00``, which the cache's
    UTC text and every comparison would raise ``OverflowError`` on; None when there is none.
    Only times in the first or last year of the calendar are tried: the walk stays cheap."""
    if isinstance(value, datetime):
        if value.year in (1, 9999) and value.tzinfo is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                return where or "body"
        return None
    if isinstance(value, BaseModel):
        items: Any = value.__dict__.items()
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _time_outside_utc(item, f"{where}.{key}" if where else str(key))
        if found is not None:
            return found
    return None


def _plain(body: dict[str, Any] | BaseModel) -> dict[str, Any]:
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", exclude_none=True)
    return dict(body)


def _seg(value: str) -> str:
    return quote(str(value), safe="")


def _reason(exc: Exception) -> str:
    """A short cause without URLs or headers (which could carry a token in a proxy error)."""
    text = str(exc.args[0] if exc.args else exc)
    for marker in ("Caused by ", "] "):
        if marker in text:
            text = text.split(marker, 1)[-1]
    return text.strip(" ()'\"")[:160] or type(exc).__name__
