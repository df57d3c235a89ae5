"""Key events from a keyboard-wedge scanner → whole scans, in the scanner's own layout.

Why we decode ourselves instead of letting the scanner type into the UI: a scanner
configured for AZERTY sends the key *positions* of an AZERTY keyboard; read through
any other layout "A1é-" arrives as "Q&2)" — the classic failure of French kiosks.
The device is grabbed (:mod:`drivers.scanner.hid`) and its key codes go through the
scanner's layout table (:mod:`drivers.scanner.keymap`), whatever the system layout.

What a scan is: the characters typed until the suffix (Enter by default), or until the
keys stop for ``inter_key_timeout_s`` — scanners type a code in a burst of a few
milliseconds per key, so a pause means the code is over (or was cut). Scans that are
not plausible codes are rejected with a logged reason: control characters (Ctrl
combinations, Escape, Backspace…), keys that type nothing (F-keys, arrows), Alt+keypad
sequences, broken dead-key sequences, over-long input, or no suffix before the pause
when one is expected. Logs carry the reason, the length and the *kind* of content,
never the content: a scanned code can be a personal booking token.

Num Lock starts on (scanners set to send digits on the keypad assume it, as a PC
does after boot) and Caps/Num Lock keys toggle the decoder's own state: the device is
grabbed, so the host's lock LEDs do not apply to it.

Event time comes from the events themselves (``sec``/``usec``), so recorded sequences
decode the same way in tests as live; key repeats (value 2) are ignored: a scanner
presses each key once, and a repeat means a stuck key, not more characters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from drivers.evdev_input import InputEvent
from drivers.scanner.keymap import ALTGR, CAPS, CTRL, NUM, SHIFT, KeymapTable
from kiosk.devices.scan_codes import MAX_SCAN_LENGTH

log = logging.getLogger(__name__)

EV_KEY = 1
_HELD = {42: SHIFT, 54: SHIFT, 100: ALTGR, 29: CTRL, 97: CTRL}
_LOCKS = {58: CAPS, 69: NUM}
KEY_LEFTALT = 56
SUFFIXES = {"enter": "\r", "tab": "\t", "none": ""}
REJECTIONS_KEPT = 32     # the latest rejections, for the reader and tests; ``rejected`` counts them all
_NOTHING: list[str] = []


@dataclass(frozen=True)
class Rejection:
    """Why a scan was dropped, with what may be logged about it (never its text)."""

    reason: str
    length: int
    kind: str


def kind_of(text: str) -> str:
    """A word describing the content without revealing it, for logs."""
    if not text:
        return "empty"
    if text.isdigit():
        return "digits"
    if text.lower().startswith(("http://", "https://")):
        return "url"
    if text.isascii() and text.isalnum():
        return "alphanumeric"
    if text.isascii() and text.isprintable():
        return "ascii text"
    return "text"


class HidDecoder:
    """Feed it key events one by one; it returns the scans they complete.

    ``suffix`` is "enter" (default), "tab", "none" (scans end on the pause only) or
    literal characters such as "#". ``feed`` returns a list (usually empty) of finished
    scans; the reader calls :meth:`end_of_input` after ``inter_key_timeout_s`` without
    events, which finishes a scan that had no suffix.
    """

    def __init__(self, table: KeymapTable, *, suffix: str = "enter", inter_key_timeout_s: float = 0.1,
                 max_length: int = MAX_SCAN_LENGTH) -> None:
        self.table = table
        self.suffix = SUFFIXES.get(suffix, suffix)
        self.timeout = inter_key_timeout_s
        self.max_length = max_length
        self.rejections: list[Rejection] = []     # the latest REJECTIONS_KEPT: a terminal runs for weeks
        self.rejected = 0                          # every rejection since the start
        self.mods = NUM          # scanners in "keypad digits" mode assume Num Lock on, as PCs start
        self._alt = False
        self._reset()
        self._last = float("-inf")

    def _reset(self) -> None:
        self._chars: list[str] = []
        self._length = 0
        self._problem = ""
        self._dead = 0

    # --- input -----------------------------------------------------------------------

    def feed_all(self, events: Iterable[InputEvent]) -> list[str]:
        out: list[str] = []
        for ev in events:
            done = self.feed(ev)
            if done:
                out.extend(done)
        return out

    def feed(self, ev: InputEvent) -> list[str]:
        if ev.type != EV_KEY:
            return _NOTHING
        code, value = ev.code, ev.value
        bit = _HELD.get(code)
        if bit is not None:
            self.mods = self.mods | bit if value else self.mods & ~bit
            return _NOTHING
        if code == KEY_LEFTALT:
            self._alt = bool(value)
            return _NOTHING
        if value != 1:                                     # release, or a repeat of a stuck key
            return _NOTHING
        out = _NOTHING
        t = ev.sec + ev.usec * 1e-6
        if t - self._last > self.timeout and (self._length or self._dead):
            out = self._finish(by_timeout=True)
        self._last = t
        lock = _LOCKS.get(code)
        if lock is not None:
            self.mods ^= lock
            return out
        return out + self._key(code) if out else self._key(code)

    def abandon(self, reason: str) -> None:
        """Drop what was typed (logged as a rejection) and forget held keys: the device went away."""
        if self._length or self._dead:
            self._note(reason)
            self._finish(by_timeout=False)
        self.mods, self._alt = NUM, False

    def end_of_input(self) -> list[str]:
        """No key for ``inter_key_timeout_s``: finish what was typed (the reader calls this)."""
        if self._length or self._dead:
            return self._finish(by_timeout=True)
        return _NOTHING

    # --- decoding --------------------------------------------------------------------

    def _key(self, code: int) -> list[str]:
        entry = self.table.lookup.get((self.mods, code))
        if entry is None:
            self._note("key with no character")
            self._length += 1
            return _NOTHING
        sym, text = entry
        if self._alt:
            self._note("Alt key sequence (set the scanner to keyboard mode, not Alt+keypad)")
        if self._dead:
            composed = self.table.compose.get((self._dead, sym))
            self._dead = 0
            if composed is None:
                self._note("dead key not followed by a letter it accents")
                self._length += 1
                return _NOTHING
            text = composed
        elif sym in self.table.dead_keysyms:
            self._dead = sym
            return _NOTHING
        suffix = self.suffix
        if suffix and text == suffix:                      # the usual single-character suffix
            return self._finish(by_timeout=False)
        if not text:
            self._note("key with no character")
            self._length += 1
            return _NOTHING
        if not text.isprintable():
            self._note("control character")
        self._length += len(text)
        if self._length <= self.max_length:
            self._chars.append(text)
        else:
            self._note(f"longer than {self.max_length} characters")
        if len(suffix) > 1 and text == suffix[-1] and "".join(self._chars).endswith(suffix):
            del self._chars[-len(suffix):]
            self._length -= len(suffix)
            return self._finish(by_timeout=False)
        return _NOTHING

    def _note(self, problem: str) -> None:
        if not self._problem:
            self._problem = problem

    def _finish(self, by_timeout: bool) -> list[str]:
        text, problem, length = "".join(self._chars), self._problem, self._length
        if self._dead and not problem:
            problem = "dead key at the end"
        self._reset()
        if not problem and by_timeout and self.suffix:
            problem = "no suffix before the pause (cut or incomplete scan)"
        if not length:
            return _NOTHING                                # a lone suffix: nothing was scanned
        if problem:
            rejection = Rejection(problem, length, kind_of(text))
            self.rejections.append(rejection)
            self.rejected += 1
            del self.rejections[:-REJECTIONS_KEPT]
            log.warning("scanner: rejected a scan: %s (%d characters, %s)", problem, length, rejection.kind)
            return _NOTHING
        return [text]
