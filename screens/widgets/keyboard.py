"""On-screen AZERTY keyboard with the accents French names need.

Two layers: letters (with a caps toggle, the accents of French names
é è ê ë à ç ù ü ï ô, apostrophe and hyphen) and digits/symbols (for e-mail
addresses and numbers, and the rarer â î û ö œ æ ÿ). The keyboard
emits characters; the screen decides which field they go to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

from kiosk.i18n import _
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.containers import KeyPanel, PanelOptions, Row
from screens.widgets.icons import Icon

BACKSPACE = "\b"
ENTER = "\n"

LETTER_ROWS = ("azertyuiop", "qsdfghjklm", "wxcvbn'-")
ACCENT_ROW = "éèêëàçùüïô"
SYMBOL_ROWS = ("1234567890", "@._-+'/", "âîûöœæÿ")


class AzertyKeyboard(KeyPanel):
    def __init__(self, on_key: Callable[[str], None], *, id: str = "keyboard", symbols: bool = False,
                 **kw: Unpack[PanelOptions]) -> None:
        self.on_key = on_key
        self.upper = False
        self.symbols = symbols    # start on digits and symbols (a phone number, an e-mail address)
        super().__init__(self._rows(), gap=12, id=id, max_width=1300, **kw)

    def _key(self, ch: str) -> Button:
        label = ch.upper() if self.upper and ch.isalpha() else ch
        return Button(label, kind="key", id=f"key-{ch}", min_height=self.key_height(96),
                      on_tap=lambda: self.on_key(label))

    def _erase(self) -> Button:
        return Button(_("Erase"), kind="key", icon=Icon.ERASE, icon_only=True, id="key-backspace",
                      min_height=self.key_height(96), on_tap=lambda: self.on_key(BACKSPACE))

    def _rows(self) -> list[Widget]:
        rows: list[Widget] = []
        if self.symbols:
            rows.append(Row([self._key(c) for c in SYMBOL_ROWS[0]], gap=10, wrap=False))
            rows.append(Row([self._key(c) for c in SYMBOL_ROWS[1]]
                            + [self._erase()],   # a word would not fit, as on the letters layer
                            gap=10, wrap=False))
            rows.append(Row([self._key(c) for c in SYMBOL_ROWS[2]], gap=10, wrap=False))
        else:
            rows.append(Row([self._key(c) for c in LETTER_ROWS[0]], gap=10, wrap=False))
            rows.append(Row([self._key(c) for c in LETTER_ROWS[1]], gap=10, wrap=False))
            shift = Button(_("Capitals"), kind="key", icon=Icon.SHIFT, icon_only=True, id="key-shift",
                           selected=self.upper, min_height=self.key_height(96),
                           on_tap=self._toggle_case)
            rows.append(Row([shift] + [self._key(c) for c in LETTER_ROWS[2]]
                            + [self._erase()],
                            gap=10, wrap=False))
            rows.append(Row([self._key(c) for c in ACCENT_ROW], gap=10, wrap=False))
        rows.append(Row([
            Button("ABC" if self.symbols else "123", kind="key", id="key-layer", min_height=self.key_height(96),
                   on_tap=self._toggle_layer),
            Button(_("Space"), kind="key", id="key-space", min_height=self.key_height(96),
                   on_tap=lambda: self.on_key(" ")),
            Button(_("Done"), kind="primary", id="key-enter", min_height=self.key_height(96),
                   on_tap=lambda: self.on_key(ENTER)),
        ], gap=10, wrap=False))
        for row in rows:
            row.parent = self
        return rows

    def _toggle_case(self) -> None:
        self.upper = not self.upper
        self._rebuild()

    def _toggle_layer(self) -> None:
        self.symbols = not self.symbols
        self._rebuild()
