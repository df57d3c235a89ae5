"""A keyboard layout as lookup tables, built once with xkbcommon.

Why tables: a keyboard-wedge scanner types a whole code in a few milliseconds and the
reader must keep up on a small ARM board; a Python ``dict`` lookup per key costs far
less than several cffi calls into libxkbcommon per key. So at start-up we ask
xkbcommon, for every key code and every modifier combination a scanner can produce
(Shift, AltGr, Ctrl, Caps Lock, Num Lock), which keysym and which text it gives in the
configured layout — the same answers a desktop would give — and decode from the
tables afterwards.

Dead keys (``^`` and ``¨`` on the French layout) are resolved the same way: every
(dead keysym, following keysym) pair the layout can produce is fed once to
xkbcommon's Compose state (the system Compose table, from libX11's data); when that
table is missing we fall back to Unicode composition (base letter + combining mark,
NFC), which covers the accented Latin letters scanners send.

:meth:`KeymapTable.strokes_for` is the inverse map (text → keys): tests and the
benchmarks use it to produce the key events a scanner in that layout would send.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from xkbcommon import xkb

#: Modifier bits of a table key.
SHIFT, ALTGR, CTRL, CAPS, NUM = 1, 2, 4, 8, 16
EVDEV_TO_XKB = 8                      # xkb key codes are evdev codes + 8
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_LEFTCTRL, KEY_RIGHTCTRL = 42, 54, 29, 97
KEY_RIGHTALT, KEY_CAPSLOCK, KEY_NUMLOCK, KEY_SPACE = 100, 58, 69, 57
_MOD_KEYS = {SHIFT: KEY_LEFTSHIFT, ALTGR: KEY_RIGHTALT, CTRL: KEY_LEFTCTRL}
_LOCK_KEYS = {CAPS: KEY_CAPSLOCK, NUM: KEY_NUMLOCK}
MAX_CODE = 248                        # evdev key codes a keyboard can send (KEY_MAX is larger, unused)

# Dead keysym -> combining mark, for the Unicode fallback when no Compose table loads.
_COMBINING = {"dead_circumflex": "\u0302", "dead_diaeresis": "\u0308", "dead_grave": "\u0300",
              "dead_acute": "\u0301", "dead_tilde": "\u0303", "dead_cedilla": "\u0327",
              "dead_caron": "\u030c", "dead_abovering": "\u030a", "dead_macron": "\u0304"}


class LayoutError(ValueError):
    """The layout name is not one xkbcommon knows (e.g. a typo in kiosk.toml)."""


class KeymapTable:
    """``lookup[(mods, code)] -> (keysym, text)`` and ``compose[(dead, keysym)] -> text``."""

    def __init__(self, layout: str = "fr", variant: str = "") -> None:
        self.layout, self.variant = layout, variant
        ctx = xkb.Context()
        try:
            self._keymap = ctx.keymap_new_from_names(layout=layout, variant=variant or None)
        except xkb.XKBKeymapCreationFailure:
            raise LayoutError(f"unknown keyboard layout {layout!r} (variant {variant!r})") from None
        self.lookup: dict[tuple[int, int], tuple[int, str]] = {}
        for mods in range(32):
            self._fill(mods)
        self.dead_keysyms = {sym for sym, _ in self.lookup.values() if xkb.keysym_get_name(sym).startswith("dead_")}
        self.compose: dict[tuple[int, int], str] = {}
        self.compose_source = self._fill_compose(ctx)

    def _fill(self, mods: int) -> None:
        """Put the keyboard state in ``mods`` by pressing the keys, as a scanner would, then read every key."""
        state = self._keymap.state_new()
        for bit, key in _LOCK_KEYS.items():
            if mods & bit:
                state.update_key(key + EVDEV_TO_XKB, xkb.XKB_KEY_DOWN)
                state.update_key(key + EVDEV_TO_XKB, xkb.XKB_KEY_UP)
        for bit, key in _MOD_KEYS.items():
            if mods & bit:
                state.update_key(key + EVDEV_TO_XKB, xkb.XKB_KEY_DOWN)
        for code in range(1, MAX_CODE):
            sym = state.key_get_one_sym(code + EVDEV_TO_XKB)
            if sym:
                self.lookup[(mods, code)] = (sym, state.key_get_string(code + EVDEV_TO_XKB))

    def _fill_compose(self, ctx: Any) -> str:   # an xkb.Context (xkbcommon has no type information)
        if not self.dead_keysyms:
            return "none needed"
        followers = {sym for sym, text in self.lookup.values() if text and text.isprintable()}
        try:
            table = ctx.compose_table_new_from_locale("en_US.UTF-8")
        except xkb.XKBComposeTableCreationFailure:
            table = None
        for dead in self.dead_keysyms:
            for sym in followers:
                text = self._compose_xkb(table, dead, sym) if table else self._compose_unicode(dead, sym)
                if text:
                    self.compose[(dead, sym)] = text
        return "xkbcommon" if table else "unicode"

    @staticmethod
    def _compose_xkb(table: Any, dead: int, sym: int) -> str | None:   # an xkb compose table
        state = table.compose_state_new()
        state.feed(dead)
        state.feed(sym)
        if state.get_status() == xkb.ComposeStatus.XKB_COMPOSE_COMPOSED:
            return state.get_utf8() or None
        return None

    @staticmethod
    def _compose_unicode(dead: int, sym: int) -> str | None:
        mark = _COMBINING.get(xkb.keysym_get_name(dead))
        base = xkb.keysym_to_string(sym)
        if not mark or not base:
            return None
        if base == " ":
            return unicodedata.normalize("NFC", mark).strip() or None  # dead key + space: the accent itself
        text = unicodedata.normalize("NFC", base + mark)
        return text if len(text) == 1 else None

    # --- the inverse map (text -> keys), for tests, benchmarks and recordings -----------

    @functools.cached_property
    def _typing(self) -> dict[str, list[tuple[int, int]]]:
        """Each character the layout types -> the fewest (mods, code) strokes, without locks or Ctrl."""
        best: dict[str, list[tuple[int, int]]] = {}
        for mods in (0, SHIFT, ALTGR, SHIFT | ALTGR):
            for code in range(1, MAX_CODE):
                sym, text = self.lookup.get((mods, code), (0, ""))
                if len(text) == 1 and text.isprintable() and text not in best:
                    best[text] = [(mods, code)]
        sym_strokes: dict[int, tuple[int, int]] = {}
        for (m, c), (sym, _) in sorted(self.lookup.items()):   # fewest modifiers first
            if not m & (CAPS | NUM | CTRL):
                sym_strokes.setdefault(sym, (m, c))
        dead_strokes = {sym: sym_strokes[sym] for sym in self.dead_keysyms if sym in sym_strokes}
        for (dead, sym), text in self.compose.items():
            if text not in best and dead in dead_strokes and sym in sym_strokes:
                best[text] = [dead_strokes[dead], sym_strokes[sym]]
        return best

    def strokes_for(self, text: str) -> list[tuple[int, int]]:
        """The (mods, code) key strokes that type ``text``; ``\\n`` is Enter, ``\\t`` is Tab."""
        out: list[tuple[int, int]] = []
        for ch in text:
            if ch == "\n":
                out.append((0, 28))
            elif ch == "\t":
                out.append((0, 15))
            elif ch in self._typing:
                out.extend(self._typing[ch])
            else:
                raise ValueError(f"{ch!r} cannot be typed on layout {self.layout!r}")
        return out


@functools.lru_cache(maxsize=8)
def keymap_table(layout: str = "fr", variant: str = "") -> KeymapTable:
    """One table per layout per process: building one takes a few tens of milliseconds."""
    return KeymapTable(layout, variant)
