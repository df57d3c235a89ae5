"""HID scanner decoding: recorded evdev sequences for fr and us layouts through HidDecoder."""

from __future__ import annotations

import logging

import pytest
from evdev import InputEvent, ecodes

from drivers.scanner.hid_decode import HidDecoder, kind_of
from drivers.scanner.keymap import LayoutError, keymap_table
from drivers.scanner.recording import key_events

FR, US = keymap_table("fr"), keymap_table("us")


def decode(table, text, **kw):
    rec = {k: kw.pop(k) for k in ("key_gap_s", "repeat_every", "start") if k in kw}
    dec = HidDecoder(table, **kw)
    return dec.feed_all(key_events(table, text, **rec)), dec


def key(t, code, value):
    sec = int(t)
    return InputEvent(sec, int((t - sec) * 1e6), ecodes.EV_KEY, code, value)


def test_french_scanner_gives_what_it_scanned():
    scans, dec = decode(FR, "A1é-\n")
    assert scans == ["A1é-"] and not dec.rejections


def test_fr_recording_has_the_azerty_positions_and_evdev_shape():
    events = key_events(FR, "A1é-\n", repeat_every=2)
    downs = [e.code for e in events if e.type == ecodes.EV_KEY and e.value == 1]
    # A = Shift+Q position, 1 = Shift+& key, é = the 2 key, - = the 6 key, Enter
    assert downs == [ecodes.KEY_LEFTSHIFT, ecodes.KEY_Q, ecodes.KEY_LEFTSHIFT, ecodes.KEY_1,
                     ecodes.KEY_2, ecodes.KEY_6, ecodes.KEY_ENTER]
    kinds = {(e.type, e.value) for e in events}
    assert (ecodes.EV_SYN, 0) in kinds and (ecodes.EV_KEY, 2) in kinds and (ecodes.EV_KEY, 0) in kinds
    assert (ecodes.EV_MSC, ecodes.KEY_Q | 0x70000) in kinds


def test_same_keys_read_with_the_wrong_layout_give_garbage_text():
    """Why the layout matters: AZERTY positions decoded as QWERTY."""
    scans, _ = HidDecoder(US).feed_all(key_events(FR, "A1-\n")), None
    assert scans == ["Q!6"]


@pytest.mark.parametrize("table,text", [
    (FR, "AZERTY-azerty_0123456789"), (FR, "àçèéù€@#{}[]|\\~&\"'()=+*/.,;:!?%$£µ§<>"),
    (FR, "êâîôûëïüÿÊË"),                               # dead keys ^ and ¨
    (US, "QWERTY-qwerty_0123456789"), (US, "!@#$%^&*()_+{}|:\"<>?~`[]\\;',./"),
    (FR, "https://rdv.ville.fr/c/9F3K-22Q"), (US, "https://rdv.ville.fr/c/9F3K-22Q"),
])
def test_round_trip_every_typable_character(table, text):
    scans, dec = decode(table, text + "\n", repeat_every=3)
    assert scans == [text] and not dec.rejections


def test_dead_circumflex_then_space_gives_the_accent_itself():
    dead = [(0, ecodes.KEY_LEFTBRACE), (0, ecodes.KEY_SPACE), (0, ecodes.KEY_ENTER)]
    dec = HidDecoder(FR)
    events = [key(1 + i * 0.01, c, v) for i, (_, c) in enumerate(dead) for v in (1, 0)]
    assert dec.feed_all(events) == ["^"]


def test_dead_key_before_a_letter_it_cannot_accent_is_rejected():
    dec = HidDecoder(FR)
    events = [key(1.00, ecodes.KEY_LEFTBRACE, 1), key(1.001, ecodes.KEY_1, 1), key(1.002, ecodes.KEY_ENTER, 1)]
    assert dec.feed_all(events) == [] and "dead key" in dec.rejections[0].reason


def test_capslock_and_shift_on_fr_letters():
    dec = HidDecoder(FR)
    events = [key(1.0, ecodes.KEY_CAPSLOCK, 1), key(1.001, ecodes.KEY_CAPSLOCK, 0),
              key(1.002, ecodes.KEY_Q, 1), key(1.003, ecodes.KEY_Q, 0), key(1.004, ecodes.KEY_ENTER, 1)]
    assert dec.feed_all(events) == ["A"]


def test_several_scans_and_enter_on_the_keypad():
    events = key_events(US, "ONE\nTWO\n")
    scans = HidDecoder(US).feed_all(events)
    assert scans == ["ONE", "TWO"]
    kp = [key(2.0, ecodes.KEY_A, 1), key(2.001, ecodes.KEY_KPENTER, 1)]
    assert HidDecoder(US).feed_all(kp) == ["a"]


def test_configured_suffixes():
    assert decode(US, "abc\t", suffix="tab")[0] == ["abc"]
    assert decode(US, "abc##x##", suffix="##")[0] == ["abc", "x"]
    scans, dec = decode(US, "abc", suffix="none")
    assert scans == [] and dec.end_of_input() == ["abc"]


def test_pause_splits_scans_and_cuts_are_rejected_when_a_suffix_is_expected():
    first = key_events(US, "12", start=10.0)
    second = key_events(US, "34\n", start=10.5)             # 0.5 s later: a new scan
    dec = HidDecoder(US, inter_key_timeout_s=0.1)
    assert dec.feed_all(first + second) == ["34"]
    assert dec.rejections[0].reason.startswith("no suffix") and dec.rejections[0].length == 2
    dec = HidDecoder(US, suffix="none", inter_key_timeout_s=0.1)
    assert dec.feed_all(first + key_events(US, "34", start=10.5)) == ["12"]
    assert dec.end_of_input() == ["34"]


def test_slow_keys_within_timeout_are_one_scan():
    scans, _ = decode(US, "slow\n", key_gap_s=0.08, inter_key_timeout_s=0.1)
    assert scans == ["slow"]


def test_garbage_is_rejected_with_reason_and_without_content(caplog):
    caplog.set_level(logging.WARNING)
    dec = HidDecoder(US)
    ctrl = [key(1.0, ecodes.KEY_LEFTCTRL, 1), key(1.001, ecodes.KEY_J, 1), key(1.002, ecodes.KEY_LEFTCTRL, 0),
            key(1.003, ecodes.KEY_ENTER, 1)]
    fkey = [key(2.0, ecodes.KEY_F5, 1), key(2.001, ecodes.KEY_A, 1), key(2.002, ecodes.KEY_ENTER, 1)]
    esc = [key(3.0, ecodes.KEY_ESC, 1), key(3.001, ecodes.KEY_ENTER, 1)]
    alt = [key(4.0, ecodes.KEY_LEFTALT, 1), key(4.001, ecodes.KEY_KP0, 1), key(4.002, ecodes.KEY_LEFTALT, 0),
           key(4.003, ecodes.KEY_ENTER, 1)]
    assert dec.feed_all(ctrl + fkey + esc + alt) == []
    reasons = [r.reason for r in dec.rejections]
    assert reasons[0] == "control character" and reasons[1] == "key with no character"
    assert reasons[2] == "control character" and reasons[3].startswith("Alt key")
    secret = "BOOKING-TOKEN-SECRET-" * 40
    scans, dec = decode(US, secret + "\n", max_length=512)
    assert scans == [] and dec.rejections[0].reason == "longer than 512 characters"
    assert dec.rejections[0].length == len(secret)
    assert "SECRET" not in caplog.text and f"{len(secret)} characters" in caplog.text


def test_lone_enter_is_ignored_silently():
    dec = HidDecoder(US)
    assert dec.feed_all(key_events(US, "\n\n")) == [] and dec.rejections == []


def test_kind_of_never_reveals_content():
    assert [kind_of(t) for t in ("", "0123", "https://x", "AB12", "A-1", "é")] == [
        "empty", "digits", "url", "alphanumeric", "ascii text", "text"]


def test_unknown_layout_is_a_clear_error():
    with pytest.raises(LayoutError, match="unknown keyboard layout"):
        keymap_table("zz-nope")


def test_keypad_digits_with_num_lock_on_by_default_and_toggled_off():
    kp = [ecodes.KEY_KP1, ecodes.KEY_KP2, ecodes.KEY_KPMINUS, ecodes.KEY_KP3]
    events = [key(1 + i * 0.002, c, 1) for i, c in enumerate(kp)] + [key(1.01, ecodes.KEY_ENTER, 1)]
    for table in (FR, US):
        assert HidDecoder(table).feed_all(events) == ["12-3"]
    dec = HidDecoder(US)
    off = [key(2.0, ecodes.KEY_NUMLOCK, 1), key(2.001, ecodes.KEY_NUMLOCK, 0), key(2.002, ecodes.KEY_KP1, 1),
           key(2.003, ecodes.KEY_ENTER, 1)]
    assert dec.feed_all(off) == [] and dec.rejections[0].reason == "key with no character"   # KP_End


def test_abandon_drops_the_partial_scan_and_held_modifiers():
    dec = HidDecoder(FR)
    partial = [e for e in key_events(FR, "AB")][:-4]          # unplugged while Shift is still down
    assert dec.feed_all(partial) == [] and dec.mods & 1
    dec.abandon("device disconnected during the scan")
    assert dec.rejections[-1].reason == "device disconnected during the scan"
    assert dec.feed_all(key_events(FR, "a\n", start=2e9)) == ["a"]


def test_a_literal_us_recording():
    """Written by hand in the shape evtest shows (MSC_SCAN, SYN, a repeat), not from the inverse keymap."""
    raw = [(4, 4, 0x700E1), (1, 42, 1), (0, 0, 0), (4, 4, 0x70004), (1, 30, 1), (0, 0, 0), (1, 30, 0), (1, 42, 0),
           (0, 0, 0), (4, 4, 0x70005), (1, 48, 1), (0, 0, 0), (1, 48, 0), (0, 0, 0), (1, 2, 1), (0, 0, 0),
           (1, 2, 2), (0, 0, 0), (1, 2, 0), (0, 0, 0), (1, 28, 1), (0, 0, 0), (1, 28, 0), (0, 0, 0)]
    events = [InputEvent(1700000000, 1000 * i, t, c, v) for i, (t, c, v) in enumerate(raw)]
    assert HidDecoder(US).feed_all(events) == ["Ab1"]
    assert HidDecoder(FR).feed_all(events) == ["Qb&"]
