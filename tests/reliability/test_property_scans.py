"""Scanned text a stranger controls (property tests, hypothesis): ``read_scan`` reads any text
without raising and only ever hands a flow a value of its kind's shape; and the real app's scan
router, on the home screen of both profiles and on the screens that wait for codes (cancelling by
ticket, tracking a request), answers any scan or refusal without an error, over a real data layer
synchronised from the reference server."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.api.checkin_token import b64url
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH, ScanKind, read_scan
from kiosk.tracking.code import CODE_RE

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SEPARATORS = " -_.\t\u00a0\u202f\u2013"

token_shaped = st.tuples(st.text(alphabet=B64, min_size=0, max_size=420), st.text(alphabet=B64, max_size=120)) \
    .map(".".join)
tracking_like = st.one_of(
    st.tuples(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefilo", min_size=2, max_size=6),
              st.sampled_from(["", *SEPARATORS]), st.text(alphabet="0123456789OIl", min_size=2, max_size=6))
    .map("".join),
    st.tuples(st.sampled_from(["https://", "http://", "ftp://", "https://@", "javascript://", "://"]),
              st.text(max_size=20), st.sampled_from(["/suivi/", "/", "?code=", "#", "/../"]),
              st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-%/", max_size=14)).map("".join),
)
references = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-rdv", min_size=1, max_size=48)
crafted = st.one_of(
    st.integers(1, 1200).map(lambda n: b64url(b"[" * n) + "." + "A" * 86),
    st.integers(1, 400).map(lambda n: b64url(b'{"v":1,"kid":' + b"{" * n) + "." + "A" * 86),
)
scanned_text = st.one_of(st.text(max_size=120), st.text(max_size=MAX_SCAN_LENGTH + 80), token_shaped,
                         tracking_like, references, crafted)


@settings(max_examples=settings.default.max_examples * 5)
@given(text=scanned_text)
def test_read_scan_reads_anything_and_hands_on_only_well_shaped_values(text):
    code = read_scan(text)
    assert code.text == text
    if len(text) > MAX_SCAN_LENGTH:
        assert code.kind is ScanKind.UNKNOWN
    if code.kind is ScanKind.CHECKIN_TOKEN:
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", code.value)
    elif code.kind is ScanKind.TRACKING_CODE:
        assert CODE_RE.match(code.value)
    elif code.kind is ScanKind.REFERENCE:
        assert re.fullmatch(r"[A-Z0-9-]{5,40}", code.value)


# -- through the real app ------------------------------------------------------------------------------
scan_events = st.one_of(
    scanned_text.filter(lambda t: len(t) <= MAX_SCAN_LENGTH).map(lambda t: ("read", t)),
    st.sampled_from(["too_long", "unreadable", "", "anything"]).map(lambda r: ("rejected", r)),
)


def deliver(pilot, kind: str, value: str, source: str) -> None:
    if kind == "read":
        events.ScanRead(text=value, source=source).post()
    else:
        events.ScanRejected(reason=value, source=source).post()
    pilot.settle()


def open_screen(pilot, where: str) -> None:
    pilot.app.end_visit("next example")
    pilot.settle()
    if where == "cancel":
        pilot.tap("feature-booking")
        pilot.tap("cancel-booking")
    elif where == "tracking":
        pilot.tap("feature-tracking")


@pytest.mark.reference_server
@pytest.mark.parametrize("profile, where", [("street", "home"), ("counter", "home"), ("street", "cancel"),
                                            ("street", "tracking")])
def test_the_scan_router_answers_any_scan(town, make_pilot, profile, where):
    size = (1080, 1920) if profile == "street" else (1920, 1080)
    pilot = town.pilot(make_pilot, size, **{"terminal.profile": profile})
    open_screen(pilot, where)
    first = pilot.screen.name

    @settings(max_examples=max(10, settings.default.max_examples // 4))
    @given(scans=st.lists(scan_events, min_size=1, max_size=3), source=st.sampled_from(["hid", "camera", "simulated"]))
    def scans_answered(scans, source):
        if pilot.screen.name != first:
            open_screen(pilot, where)
        for kind, value in scans:
            deliver(pilot, kind, value, source)
            assert pilot.app.errors == [], (kind, value)      # the failsafe's apology was not needed

    scans_answered()
