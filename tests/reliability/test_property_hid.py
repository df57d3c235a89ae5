"""Key sequences a keyboard-wedge scanner (or a device pretending to be one) can send (property
tests, hypothesis), as evdev ``InputEvent``\\ s through the HID decoder and the scanner's reader:
any key codes, values and pauses never raise; what comes out is printable and within the one scan
length limit; what is refused is posted with a reason, never its text; and any text a layout can
type comes back exactly, or is refused as too long."""

from __future__ import annotations

import pytest
from evdev import InputEvent, ecodes
from hypothesis import given, settings
from hypothesis import strategies as st
from support import Posted

from drivers.scanner.hid import HidScanner
from drivers.scanner.hid_decode import REJECTIONS_KEPT, HidDecoder
from drivers.scanner.keymap import keymap_table
from drivers.scanner.recording import key_events
from kiosk import events
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH

LAYOUTS = ("fr", "us", "de")
START = 1_700_000_000.0

raw_event = st.tuples(
    st.sampled_from([ecodes.EV_KEY] * 6 + [ecodes.EV_MSC, ecodes.EV_SYN, ecodes.EV_REL, 0x1F]),
    st.one_of(st.integers(0, 255), st.sampled_from([42, 54, 100, 29, 56, 58, 69, 28, 15, 14, 1])),
    st.sampled_from([0, 1, 1, 2, -1, 70000]),
    st.sampled_from([0.0, 0.001, 0.003, 0.05, 0.2, 5.0]),       # pause before it, seconds
)


def timed(raw: list[tuple[int, int, int, float]]) -> list[InputEvent]:
    t, out = START, []
    for etype, code, value, gap in raw:
        t += gap
        sec = int(t)
        out.append(InputEvent(sec, int((t - sec) * 1e6), etype, code, value))
    return out


@settings(max_examples=settings.default.max_examples * 2)
@given(layout=st.sampled_from(LAYOUTS), suffix=st.sampled_from(["enter", "tab", "none", "#", "\r\n"]),
       raw=st.lists(raw_event, max_size=400))
def test_any_key_sequence_decodes_without_raising(layout, suffix, raw):
    decoder = HidDecoder(keymap_table(layout), suffix=suffix)
    scans = decoder.feed_all(timed(raw)) + decoder.end_of_input()
    for text in scans:
        assert text and text.isprintable() and len(text) <= MAX_SCAN_LENGTH
    assert len(decoder.rejections) <= REJECTIONS_KEPT and decoder.rejected >= len(decoder.rejections)
    decoder.abandon("device disconnected during the scan")
    assert decoder.end_of_input() == []


@settings(max_examples=settings.default.max_examples)
@given(raw=st.lists(raw_event, max_size=300))
def test_the_reader_posts_scans_and_reasons_only(raw):
    posted = Posted()
    scanner = HidScanner("/dev/input/by-id/usb-fake-event-kbd", post=posted)
    scanner._received(timed(raw))
    scanner._received([])                       # the pause after the last key
    for scan in posted.of(events.SCAN_READ):
        assert scan["text"].isprintable() and len(scan["text"]) <= MAX_SCAN_LENGTH and scan["source"] == "hid"
    for rejected in posted.of(events.SCAN_REJECTED):
        assert rejected == {"reason": rejected["reason"], "source": "hid"}
        assert rejected["reason"] in ("too_long", "unreadable")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_any_typeable_text_comes_back_exactly_or_is_refused_as_too_long(layout):
    table = keymap_table(layout)
    typeable = sorted(ch for ch in table._typing if len(ch) == 1 and ch.isprintable())

    lengths = st.sampled_from([1, 2, 40, MAX_SCAN_LENGTH, MAX_SCAN_LENGTH + 1]) | st.integers(1, MAX_SCAN_LENGTH + 40)

    @settings(max_examples=settings.default.max_examples // 2)
    @given(data=st.data(), repeat_every=st.sampled_from([0, 0, 3, 7]))
    def round_trip(data, repeat_every):
        n = data.draw(lengths, label="length")
        text = data.draw(st.text(alphabet=typeable, min_size=n, max_size=n), label="text")
        decoder = HidDecoder(table)
        scans = decoder.feed_all(key_events(table, text + "\n", repeat_every=repeat_every))
        if len(text) <= MAX_SCAN_LENGTH:
            assert scans == [text] and decoder.rejected == 0
        else:
            assert scans == [] and decoder.rejections[-1].reason == f"longer than {MAX_SCAN_LENGTH} characters"

    round_trip()
