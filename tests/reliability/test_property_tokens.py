"""Check-in tokens a stranger controls (property tests, hypothesis), against a real cache holding a
real Ed25519 key: any text, base64url of any JSON (nested deep, huge), genuine tokens truncated or
with bits flipped, and payloads of any shape signed by the town's own key. Every reading of a
token ends in a payload or a TokenError; nothing altered from a genuine token is ever queued."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import example, given, settings
from hypothesis import strategies as st
from timebase import test_now

from kiosk.api.checkin_token import TokenError, b64url, decode_unverified
from kiosk.booking.service import cancellation_by_token
from kiosk.checkin.service import UnknownKey, checkin, claimed_reference, verify_token
from kiosk.demo_api import signing
from kiosk.devices.scan_codes import read_scan
from kiosk.services.outcomes import Outcome, Status
from offline_cache.db import open_cache
from offline_cache.from_api import apply_key_set

AT = test_now()
KID = "scv-prop-01"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))     # fixed: the same tokens on every run
GENUINE = signing.sign(KID, KEY, {"jti": "bk-000007", "ref": "RDV-7K3P-Q9", "svc": "svc-cni", "slot": "sl-1",
                                  "start": AT.isoformat(),   # the same Paris day at any test instant
                                  "exp": int((AT + timedelta(days=1)).timestamp())})
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    conn = open_cache(tmp_path_factory.mktemp("tokens") / "cache.sqlite3")
    apply_key_set(conn, {"keys": [{"kid": KID, "public_key": signing.public_key_text(KEY.public_key()),
                                   "not_before": (AT - timedelta(days=9)).isoformat(),
                                   "not_after": (AT + timedelta(days=99)).isoformat()}],
                         "revoked_keys": [], "revoked_tokens": []}, AT)
    yield conn
    conn.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)
payload_fields = st.fixed_dictionaries({}, optional={
    "v": st.sampled_from([1, 1.0, True, "1", 2, None]), "kid": st.sampled_from([KID, "other", 1, None, [KID]]),
    "jti": json_values, "ref": json_values, "svc": json_values, "slot": json_values,
    "start": st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-01", "",
                              (AT + timedelta(hours=1)).isoformat(), "x" * 50]) | json_values,
    "exp": st.sampled_from([0, -1, 10**30, -(10**30), int(AT.timestamp()) + 3600]) | json_values})


def flip(token: str, positions: list[tuple[int, int]]) -> str:
    chars = list(token)
    for i, bit in positions:
        i %= len(chars)
        chars[i] = chr(ord(chars[i]) ^ (1 << bit))
    return "".join(chars)


def signature_of(body: str) -> str:
    return b64url(KEY.sign(body.encode("ascii")))


garbage = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=B64 + ".=", max_size=600),
    st.tuples(st.text(alphabet=B64, max_size=400), st.text(alphabet=B64, max_size=100)).map(".".join),
    st.builds(lambda d, o: b64url(("[" * d if o else '{"a":' * d).encode()) + "." + "A" * 86,
              st.sampled_from([5, 999, 1000, 1060, 1400, 1490]) | st.integers(1, 1490), st.booleans()),
    json_values.map(lambda v: b64url(json.dumps(v).encode()) + "." + "A" * 86),
)
altered = st.one_of(
    st.integers(0, len(GENUINE) - 1).map(lambda n: GENUINE[:n]),
    st.lists(st.tuples(st.integers(0, len(GENUINE) - 1), st.integers(0, 7)), min_size=1, max_size=4, unique=True)
    .map(lambda p: flip(GENUINE, p)),
    st.text(alphabet=B64, min_size=1, max_size=8).map(lambda extra: GENUINE + extra),
)


def read_everywhere(conn, token: str):
    """Every way the terminal reads a scanned token; what each gives or raises."""
    read_scan(token)
    with contextlib.suppress(TokenError):
        claimed_reference(token)
    with contextlib.suppress(TokenError):
        decode_unverified(token)
    cancel = cancellation_by_token(token, AT)
    assert cancel.precheck is not None
    cancel_outcome = cancel.precheck(conn)
    with contextlib.suppress(TokenError):
        verify_token(conn, token, AT, any_day=True)
    if not token.strip() or len(token.strip()) > 2000:
        with pytest.raises(ValueError):
            checkin(AT, token=token)
        return cancel_outcome, None
    action = checkin(AT, token=token)
    assert action.precheck is not None
    return cancel_outcome, action.precheck(conn)


def not_queued(outcome) -> bool:
    return isinstance(outcome, Outcome) and outcome.status is Status.REFUSED


@settings(max_examples=settings.default.max_examples * 3)
@given(token=garbage)
# issue 17: RecursionError in json.loads (hypothesis raises the recursion limit while it runs a test:
# deeper than the 1 000 levels that break the kiosk are needed to see it here)
@example(token=b64url(b"[" * 6000) + "." + "A" * 86)
@example(token=b64url(b'{"v":1,"kid":' + b"{" * 6000) + "." + "A" * 86)
def test_garbage_is_refused_never_raised(conn, token):
    cancel, check = read_everywhere(conn, token)
    assert not_queued(cancel) and (check is None or not_queued(check))


@settings(max_examples=settings.default.max_examples * 3)
@given(token=altered)
def test_nothing_altered_from_a_genuine_token_is_queued(conn, token):
    cancel, check = read_everywhere(conn, token)
    if token.strip() == GENUINE:        # a flip that only touched surrounding space: the genuine token
        return
    assert not_queued(cancel) and (check is None or not_queued(check)), token


@settings(max_examples=settings.default.max_examples * 2)
@given(fields=payload_fields)
def test_any_payload_signed_by_the_town_is_judged_without_raising(conn, fields):
    body = b64url(json.dumps(fields, separators=(",", ":")).encode())
    token = body + "." + signature_of(body)
    _cancel, check = read_everywhere(conn, token)
    try:
        claims = verify_token(conn, token, AT)
    except UnknownKey:
        pytest.fail("a key list synced now holds every key: nothing is left to the server")
    except TokenError:
        assert check is None or not_queued(check)
        return
    assert claims["kid"] == KID and check is not None and check["verified"] is True


def test_the_genuine_token_is_verified(conn):
    assert verify_token(conn, GENUINE, AT)["ref"] == "RDV-7K3P-Q9"
    _cancel, check = read_everywhere(conn, GENUINE)
    assert check == {"verified": True, "reference": "RDV-7K3P-Q9", "service_id": "svc-cni",
                     "start": AT.isoformat()}
