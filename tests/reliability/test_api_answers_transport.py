"""Whatever bytes come back, the client raises its own typed error — never ValueError, OverflowError
or urllib3's ProtocolError — and says it once, without the answer's content.

A real loopback server (tests/fault_servers.py's RawServer) answers with hand-made broken
HTTP (negative and huge chunk sizes, gzip cut short or not gzip at all, a body larger than
allowed, no HTTP at all), then with hypothesis-generated bodies, chunkings and compressions.
"""

from __future__ import annotations

import gzip
import json
import logging

import pytest
from fault_servers import RawServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.api.client import ApiClient, Credentials
from kiosk.api.errors import ApiError, InvalidResponse

KEYSET = json.dumps({"keys": [], "revoked_keys": [], "revoked_tokens": []}).encode()
SECRET = "Quastenberg"   # a value that must never reach the log


def _head(*headers: str) -> bytes:
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + "".join(h + "\r\n" for h in headers)
            + "\r\n").encode()


def _chunked(*chunks: tuple[bytes, bytes]) -> bytes:
    """``(size line, data)`` pairs, then the last chunk."""
    return b"".join(size + b"\r\n" + data + b"\r\n" for size, data in chunks) + b"0\r\n\r\n"


GZ = gzip.compress(KEYSET)
BROKEN = {
    "negative chunk size": _head("Transfer-Encoding: chunked") + _chunked((b"-5", b"abcde")),
    "negative hex chunk size": _head("Transfer-Encoding: chunked") + _chunked((b"-ff", b"abcde")),
    "huge chunk size": _head("Transfer-Encoding: chunked") + _chunked((b"ffffffffffffffffffffffff", b"ab")),
    "chunk size beyond ssize_t": _head("Transfer-Encoding: chunked") + _chunked((b"8000000000000000", b"ab")),
    "chunk size not hex": _head("Transfer-Encoding: chunked") + _chunked((b"zz", b"ab")),
    "gzip cut short": _head("Content-Encoding: gzip", f"Content-Length: {len(GZ) // 2}") + GZ[:len(GZ) // 2],
    "gzip cut short, chunked": _head("Content-Encoding: gzip", "Transfer-Encoding: chunked")
    + _chunked((b"%x" % (len(GZ) // 2), GZ[:len(GZ) // 2])),
    "not gzip at all": _head("Content-Encoding: gzip", "Content-Length: 20") + SECRET.encode() * 2 + b"??",
    "body cut short": _head(f"Content-Length: {len(KEYSET) + 50}") + KEYSET,
    "Content-Length beyond any size": _head("Content-Length: 99999999999999999999999") + KEYSET,
    "gzip bomb": _head("Content-Encoding: gzip", f"Content-Length: {len(gzip.compress(b' ' * 3_000_000))}")
    + gzip.compress(b" " * 3_000_000),
    "endless body": _head("Transfer-Encoding: chunked") + _chunked(*[(b"10000", b" " * 0x10000)] * 40),
    "not HTTP": b"\x00\x01" + SECRET.encode() + b"\r\n\r\n",
    "status line not a number": b"HTTP/1.1 abc OK\r\n\r\n",
    "header line too long": b"HTTP/1.1 200 OK\r\nX: " + b"a" * 100_000 + b"\r\n\r\n",
    "nothing": b"",
    "JSON nested a million deep": _head("Content-Length: 200000") + b"[" * 100_000 + b"]" * 100_000,
    "not JSON": _head("Content-Length: 22") + f"{{'name': {SECRET!r}}}".encode()[:22],
}


@pytest.fixture(scope="module")
def raw():
    server = RawServer()
    yield server
    server.stop()


def _client(url: str) -> ApiClient:
    client = ApiClient(url, max_attempts=1, connect_timeout_s=2, read_timeout_s=3, max_body_bytes=1_000_000)
    client._credentials = Credentials("dev-1", "t" * 32)   # no enrolment: the server here is not the API
    return client


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_answer_is_the_clients_typed_error_said_once(raw, caplog, case):
    raw.answer = BROKEN[case]
    client = _client(raw.url)
    try:
        with caplog.at_level(logging.INFO, logger="kiosk.api"), pytest.raises(ApiError) as err:
            client.keys()
    finally:
        client.close()
    assert err.value.retryable                      # nothing is lost: the previous data is kept, asked again later
    if case not in ("nothing",):
        assert isinstance(err.value, InvalidResponse), repr(err.value)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 1
    assert SECRET not in caplog.text and SECRET not in str(err.value)


def test_a_sound_answer_still_reads_through_the_same_way(raw):
    """The body limit and the stricter reading do not refuse a good answer, chunked or gzipped."""
    client = _client(raw.url)
    try:
        for answer in (_head(f"Content-Length: {len(KEYSET)}") + KEYSET,
                       _head("Transfer-Encoding: chunked") + _chunked((b"%x" % len(KEYSET), KEYSET)),
                       _head("Content-Encoding: gzip", f"Content-Length: {len(GZ)}") + GZ):
            raw.answer = answer
            assert client.keys().keys == []
    finally:
        client.close()


@st.composite
def _answers(draw) -> bytes:
    """An HTTP answer with the contract's JSON or any bytes, framed right or wrong, compressed or not."""
    body = draw(st.one_of(st.just(KEYSET), st.binary(max_size=300),
                          st.builds(lambda b, n: b[:n], st.just(KEYSET), st.integers(0, len(KEYSET)))))
    if draw(st.booleans()):
        body = gzip.compress(body)
        body = body[:draw(st.integers(0, len(body)))]
        encoding = ["Content-Encoding: gzip"]
    else:
        encoding = []
    framing = draw(st.sampled_from(["length", "wrong length", "chunked", "none"]))
    if framing == "length":
        return _head(*encoding, f"Content-Length: {len(body)}") + body
    if framing == "wrong length":
        return _head(*encoding, f"Content-Length: {draw(st.integers(-10, 10**30))}") + body
    if framing == "none":
        return _head(*encoding, "Connection: close") + body
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=4)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    sizes = [draw(st.one_of(st.just(b"%x" % len(p)), st.integers(-(2**70), 2**70).map(lambda n: b"%x" % n
                            if n >= 0 else b"-%x" % -n), st.binary(max_size=6))) for p in pieces]
    return _head(*encoding, "Transfer-Encoding: chunked") + _chunked(*zip(sizes, pieces, strict=True))


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.function_scoped_fixture])
@given(answer=_answers())
def test_any_answer_gives_a_key_set_or_a_typed_error(raw, answer):
    raw.answer = answer
    client = _client(raw.url)
    try:
        result = client.keys()
    except ApiError:
        return
    finally:
        client.close()
    assert result.keys == [] and result.revoked_tokens == []
