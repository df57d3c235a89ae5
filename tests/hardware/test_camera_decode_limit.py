"""What the rescue passes read goes the way of every scan: whole, then through the scanners' length limit.

The decoding function never cuts or filters a text: a code longer than the limit must reach the
place where scans are posted as it is, so that it is refused there with a reason (« too long »)
like on the HID and simulated scanners, instead of being cut into something that looks valid.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from support import Posted

from drivers.scanner import base
from drivers.scanner.camera import CameraScanner, FrameSource
from drivers.scanner.decode import make_decoder
from kiosk import events
from kiosk.devtools import phone_qr_set as ps

#: The limit every scanner path shares, once it is one constant (``None`` before).
LIMIT: int | None = getattr(base, "MAX_SCAN_LENGTH", None)
LONG = ((ps.checkin_tokens(1)[0] + ".") * 2)[:600]


def dim_phone(text: str):
    """The text's code on a phone turned down to a quarter of its brightness: the plain decode misses it."""
    return ps.photograph(text, replace(ps.base_shot(1), white=60, black=11, noise=4), 1)


class NoFrames(FrameSource):
    def read(self):
        return None


def test_a_long_code_read_by_a_pass_comes_back_whole():
    decoder = make_decoder("zxing")
    assert make_decoder("zxing", rescue=()).decode(dim_phone(LONG)) == []
    assert decoder.decode(dim_phone(LONG)) == [LONG] and decoder.last_pass == "threshold"
    assert len(LONG) == 600 > 512


def test_a_token_read_by_a_pass_is_posted_as_a_scan():
    token = ps.checkin_tokens(1)[0]
    posted = Posted()
    camera = CameraScanner(NoFrames(), post=posted)
    assert camera.process(dim_phone(token)) == [token] and camera.decoder.last_pass == "threshold"
    assert posted.of(events.SCAN_READ) == [{"text": token, "source": "camera"}]


@pytest.mark.skipif(LIMIT is None, reason="the scanners' shared length limit (MAX_SCAN_LENGTH) is not merged yet")
def test_a_long_code_read_by_a_pass_is_refused_like_any_long_scan():
    assert LIMIT is not None and len(LONG) > LIMIT
    posted = Posted()
    camera = CameraScanner(NoFrames(), post=posted)
    assert camera.process(dim_phone(LONG)) == []
    assert posted.of(events.SCAN_READ) == []
    assert posted.of(events.SCAN_REJECTED) == [{"reason": "too_long", "source": "camera"}]
