"""Crafted check-in tokens, found from outside (issue 17, findings 1 and 2), against a real cache
holding a real Ed25519 key: a payload of a thousand ``[`` is refused, not raised; every single-bit
flip of a genuine token and another town's token are refused at once, never queued; the one case a
terminal may queue unverified (a key list too old to be complete, or a key announced but not yet
valid) still is; and the reference server announces a new key before it signs with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from timebase import test_now

from kiosk.api.checkin_token import (
    KEY_ANNOUNCE_LEAD,
    MAX_JSON_DEPTH,
    MAX_TOKEN_LENGTH,
    TokenError,
    b64url,
    decode_unverified,
    json_depth_within,
    unb64url,
)
from kiosk.booking.service import cancellation_by_token
from kiosk.checkin.service import UnknownKey, checkin, verify_token
from kiosk.demo_api import admin, db, signing
from kiosk.services.outcomes import Outcome, Status
from offline_cache.db import open_cache
from offline_cache.from_api import apply_key_set

AT = test_now()
KID = "scv-test-01"


def key_entry(kid: str, key: Ed25519PrivateKey, not_before, not_after) -> dict:
    return {"kid": kid, "alg": "EdDSA", "crv": "Ed25519", "public_key": signing.public_key_text(key.public_key()),
            "not_before": not_before.isoformat(), "not_after": not_after.isoformat()}


def payload(**changes) -> dict:
    return {"jti": "bk-000042", "ref": "RDV-7K3P-Q9", "svc": "svc-cni", "slot": "sl-1",
            "start": AT.isoformat(), "exp": int((AT + timedelta(days=1)).timestamp()),
            **changes}


class Town:
    """A terminal's cache holding this town's key, synced at ``AT``."""

    def __init__(self, path) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.conn = open_cache(path)
        self.keys = [key_entry(KID, self.key, AT - timedelta(days=30), AT + timedelta(days=300))]
        self.sync_keys(AT)

    def sync_keys(self, at, extra=()) -> None:
        apply_key_set(self.conn, {"keys": [*self.keys, *extra], "revoked_keys": [], "revoked_tokens": []}, at)

    def token(self, kid: str = KID, key: Ed25519PrivateKey | None = None, **changes) -> str:
        return signing.sign(kid, key or self.key, payload(**changes))

    def precheck(self, token: str) -> Outcome | dict:
        action = checkin(AT, token=token)
        assert action.precheck is not None
        return action.precheck(self.conn)


@pytest.fixture
def town(tmp_path):
    town = Town(tmp_path / "cache.sqlite3")
    yield town
    town.conn.close()


def refused(result) -> bool:
    return isinstance(result, Outcome) and result.status is Status.REFUSED and result.code == "invalid_token"


# -- finding 1: a thousand brackets ------------------------------------------------------------------
def brackets(n: int, sig: str = "A" * 86) -> str:
    return b64url(b"[" * n) + "." + sig


@pytest.mark.parametrize("n", [1000, 1060, 1400])
def test_a_payload_of_a_thousand_brackets_is_refused_not_raised(town, n):
    token = brackets(n)
    assert len(token) <= MAX_TOKEN_LENGTH     # what zxing reads back from a printed code: 1 413-1 421 characters
    with pytest.raises(TokenError):
        decode_unverified(token)
    with pytest.raises(TokenError, match="invalid_token"):
        verify_token(town.conn, token, AT, any_day=True)   # « Annuler un rendez-vous » reads the ticket so
    assert refused(town.precheck(token))                    # the check-in precheck: refused, not « not saved »
    cancel = cancellation_by_token(token, AT)
    assert cancel.precheck is not None and cancel.precheck(town.conn).status is Status.REFUSED


def test_size_and_depth_are_bounded_before_decoding():
    assert json_depth_within('{"a": [1, {"b": "[[[[[[[["}]}', 3)      # brackets in strings do not count
    assert not json_depth_within("[" * (MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)
    nested = b64url(b'{"v":1,"x":' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}") + ".sig"
    with pytest.raises(TokenError, match="malformed"):
        decode_unverified(nested)
    with pytest.raises(TokenError, match="malformed"):
        decode_unverified(b64url(b'{"v":1}') + "." + "A" * MAX_TOKEN_LENGTH)
    with pytest.raises(TokenError, match="version"):
        decode_unverified(b64url(b'{"v":true}') + ".sig")     # True == 1 in Python, not in the format
    assert decode_unverified(b64url(b'{"v":1,"kid":"k"}') + ".sig") == {"v": 1, "kid": "k"}


def test_base64url_is_read_in_its_one_canonical_form():
    text = b64url(b"\xff\xfe")                  # "__4": its last character carries 2 unused bits
    assert unb64url(text) == b"\xff\xfe"
    for other in ("__5", "__4=", "__4 ", "_/4", "_"):
        with pytest.raises(ValueError):
            unb64url(other)


# -- finding 2: forged tokens offline -----------------------------------------------------------------
def flips(token: str):
    for i, ch in enumerate(token):
        for bit in range(8):
            yield token[:i] + chr(ord(ch) ^ (1 << bit)) + token[i + 1:]


def test_no_single_bit_flip_of_a_genuine_token_is_queued(town):
    token = town.token()
    assert town.precheck(token)["verified"] is True              # the genuine one: verified on the terminal
    results = [town.precheck(t) for t in flips(token)]
    assert len(results) == 8 * len(token) > 2000
    kept = [r for r in results if not refused(r)]
    assert kept == [], f"{len(kept)} of {len(results)} bit flips not refused"


def test_another_towns_token_is_refused_at_once(town):
    other = Ed25519PrivateKey.generate()
    assert refused(town.precheck(town.token(kid="autre-ville-2026-01", key=other)))   # a key id never listed here
    assert refused(town.precheck(town.token(kid=KID, key=other)))                      # our key id, their key


def test_a_key_list_older_than_the_announcement_lead_cannot_judge_an_unknown_key(town):
    other = Ed25519PrivateKey.generate()
    token = town.token(kid="scv-test-02", key=other)
    town.sync_keys(AT - KEY_ANNOUNCE_LEAD - timedelta(minutes=1))
    assert town.precheck(token) == {"verified": False}                  # queued: the server decides
    town.conn.execute("DELETE FROM sync_state WHERE resource = 'keys'")  # never synced: the same
    assert town.precheck(token) == {"verified": False}
    town.sync_keys(AT - KEY_ANNOUNCE_LEAD + timedelta(minutes=1))       # young enough to be complete
    assert refused(town.precheck(token))


def test_an_announced_key_not_valid_yet_may_be_queued_only_with_its_signature(town):
    """Keys are announced ahead: a genuine signature by a key whose ``not_before`` is still ahead
    by this terminal's clock (a clock a little behind the town's) is left to the server."""
    new = Ed25519PrivateKey.generate()
    starts = AT + timedelta(minutes=5)
    town.sync_keys(AT, extra=[key_entry("scv-test-02", new, starts, starts + timedelta(days=365))])
    assert town.precheck(town.token(kid="scv-test-02", key=new)) == {"verified": False}
    assert refused(town.precheck(town.token(kid="scv-test-02", key=Ed25519PrivateKey.generate())))
    with pytest.raises(UnknownKey):
        verify_token(town.conn, town.token(kid="scv-test-02", key=new), AT)


def test_an_expired_key_signs_nothing(town):
    old = Ed25519PrivateKey.generate()
    town.sync_keys(AT, extra=[key_entry("scv-test-00", old, AT - timedelta(days=400), AT - timedelta(days=35))])
    assert refused(town.precheck(town.token(kid="scv-test-00", key=old)))


def test_the_reference_server_announces_a_new_key_before_signing_with_it(tmp_path):
    path = tmp_path / "demo-api.sqlite3"
    conn = db.connect(path)
    db.create_schema(conn)
    with db.write(conn):
        signing.add_key(conn, "scv-a", AT - timedelta(days=10), 365)
    admin.rotate_signing_key(path, "scv-b", clock=lambda: AT)
    rows = {r["kid"]: r for r in conn.execute("SELECT * FROM signing_keys")}
    assert set(rows) == {"scv-a", "scv-b"}                               # listed by GET /v1/keys from now
    assert rows["scv-b"]["not_before"] == (AT + KEY_ANNOUNCE_LEAD).isoformat()
    assert signing.active_key(conn, AT)[0] == "scv-a"                     # but signing only after the lead
    assert signing.active_key(conn, AT + KEY_ANNOUNCE_LEAD)[0] == "scv-b"
    conn.close()

