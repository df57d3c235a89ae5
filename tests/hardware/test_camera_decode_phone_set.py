"""The camera decoder on our check-in codes shown on phone screens (kiosk/devtools/phone_qr_set.py).

The set is generated at test time from fixed seeds: 11 degradations × 4 levels × 4 tokens = 176
frames of 1280×720. The plain decode (what the camera did before the rescue passes) reads 73 of
them; with the passes, 116 (measured; README « Printers and scanners on a terminal »). The
thresholds below leave a margin of a few frames for floating-point differences between machines
(numpy's SIMD paths), never for a weaker decoder.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.scanner.decode import make_decoder
from kiosk.api.checkin_token import check_signature, decode_unverified
from kiosk.devtools import phone_qr_set as ps

SET_SIZE = 176
NEW_AT_LEAST = 112        # measured 116 of 176
OLD_AT_MOST = 78          # measured 73: the set must stay hard for the plain decode


@pytest.fixture(scope="module")
def results():
    """(kind, token, what the plain decode read, what the camera decoder read, the pass that read it)."""
    old, new = make_decoder("zxing", rescue=()), make_decoder("zxing")
    rows = []
    for kind, _level, text, gray in ps.degraded_set():
        got = new.decode(gray)
        rows.append((kind, text, old.decode(gray), got, new.last_pass))
    return rows


def test_the_set_is_every_kind_at_every_level(results):
    assert len(results) == SET_SIZE == len(ps.KINDS) * 4 * ps.TOKENS
    assert {r[0] for r in results} == set(ps.KINDS) >= {"moiré", "glare", "defocus", "motion", "angle",
                                                        "dim screen", "cracked", "thumb", "jpeg noise", "small"}


def test_the_passes_raise_the_share_read(results):
    old = sum(text in before for _k, text, before, _a, _p in results)
    new = sum(text in after for _k, text, _b, after, _p in results)
    assert old <= OLD_AT_MOST, old
    assert new >= NEW_AT_LEAST, new
    rescued = {p for *_, p in results} - {"plain", None}
    assert {"threshold", "sharpen"} <= rescued, rescued      # the two passes that read the most


def test_what_the_plain_decode_reads_is_read_the_same_and_nothing_is_misread(results):
    for _kind, text, before, after, used in results:
        if before:
            assert after == before and used == "plain"
        assert all(t == text for t in after)      # a pass may fail to read, never read something else


def test_the_codes_are_signed_check_in_tokens_as_the_booking_screen_draws_them():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from screens.widgets.qr_code import QUIET, qr_modules

    public = Ed25519PrivateKey.from_private_bytes(ps.SET_KEY_SEED).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)
    tokens = ps.checkin_tokens()
    assert len(set(tokens)) == ps.TOKENS
    for token in tokens:
        check_signature(token, public)
        payload = decode_unverified(token)
        assert set(payload) == {"v", "kid", "jti", "ref", "svc", "slot", "start", "exp"}
        assert np.array_equal(ps.code_modules(token), np.pad(qr_modules(token), QUIET, constant_values=255))


def test_the_set_is_the_same_every_time():
    _label, text, first = ps.set_frame("glare", 1, 2)
    _label, again_text, again = ps.set_frame("glare", 1, 2)
    assert text == again_text and np.array_equal(first, again)
    assert first.shape == (720, 1280) and first.dtype == np.uint8
