"""Key-event sequences a keyboard-wedge scanner would send for a text, in a given layout.

Why generate instead of capturing: recordings made from the inverse keymap cover any
layout and any text (accents, shifted characters, dead keys) without owning a scanner
per layout, and they have the shape a real USB HID scanner produces through evdev:
``EV_MSC/MSC_SCAN`` before each key, ``EV_SYN`` after each change, modifiers pressed
around the keys that need them, key-up events, and optionally auto-repeat events
(value 2) for a key held too long. Tests, benchmarks and the simulated scanner use it.
"""

from __future__ import annotations

from collections.abc import Iterator

from evdev import InputEvent, ecodes

from drivers.scanner.keymap import ALTGR, SHIFT, KeymapTable

_MOD_CODES = ((SHIFT, ecodes.KEY_LEFTSHIFT), (ALTGR, ecodes.KEY_RIGHTALT))
_USAGE = 0x70000     # HID usage page 7 (keyboard), as MSC_SCAN values look on real scanners


def key_events(table: KeymapTable, text: str, *, start: float = 1_700_000_000.0, key_gap_s: float = 0.002,
               repeat_every: int = 0) -> list[InputEvent]:
    """Events typing ``text`` (``\\n`` = Enter); every ``repeat_every``-th key also sends one repeat."""
    return list(_events(table, text, start, key_gap_s, repeat_every))


def _events(table: KeymapTable, text: str, t: float, gap: float, repeat_every: int) -> Iterator[InputEvent]:
    def ev(etype: int, code: int, value: int) -> InputEvent:
        sec = int(t)
        return InputEvent(sec, int(round((t - sec) * 1e6)), etype, code, value)

    for n, (mods, code) in enumerate(table.strokes_for(text), 1):
        held = [mcode for bit, mcode in _MOD_CODES if mods & bit]
        for mcode in held:
            yield ev(ecodes.EV_MSC, ecodes.MSC_SCAN, _USAGE | mcode)
            yield ev(ecodes.EV_KEY, mcode, 1)
            yield ev(ecodes.EV_SYN, ecodes.SYN_REPORT, 0)
        yield ev(ecodes.EV_MSC, ecodes.MSC_SCAN, _USAGE | code)
        yield ev(ecodes.EV_KEY, code, 1)
        yield ev(ecodes.EV_SYN, ecodes.SYN_REPORT, 0)
        if repeat_every and n % repeat_every == 0:
            yield ev(ecodes.EV_KEY, code, 2)
            yield ev(ecodes.EV_SYN, ecodes.SYN_REPORT, 0)
        t += gap / 2
        yield ev(ecodes.EV_MSC, ecodes.MSC_SCAN, _USAGE | code)
        yield ev(ecodes.EV_KEY, code, 0)
        for mcode in reversed(held):
            yield ev(ecodes.EV_KEY, mcode, 0)
        yield ev(ecodes.EV_SYN, ecodes.SYN_REPORT, 0)
        t += gap / 2
