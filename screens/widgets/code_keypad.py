"""A keypad for tracking numbers (``ABCD-1234``): big letters in alphabetical order, then digits.

People copying a number from a paper receipt look for each character in turn, and
alphabetical order is quicker to search than AZERTY for someone who rarely types. The
keypad shows the layer the next character needs (letters first, digits after the fourth
letter) and can be switched by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

from kiosk.i18n import N_, _
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.containers import KeyPanel, PanelOptions, Row
from screens.widgets.icons import Icon

BACKSPACE = "\b"
ENTER = "\n"

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "1234567890"


def _chunks(keys: str, per_row: int) -> list[str]:
    return [keys[i:i + per_row] for i in range(0, len(keys), per_row)]


class CodeKeypad(KeyPanel):
    speech_name = N_("keypad of letters and digits")

    def __init__(self, on_key: Callable[[str], None], *, enter_label: str, layer: str = "letters",
                 wide: bool = False, compact: bool = False, id: str = "code-keypad",
                 **kw: Unpack[PanelOptions]) -> None:
        self.on_key = on_key
        self.enter_label = enter_label
        self.layer = layer
        self.wide = wide   # landscape: longer rows, so the keypad fits beside the field without scrolling
        # Portrait totems have the height for bigger keys, unless large text already takes it
        # (« Rechercher » must stay on screen without scrolling).
        self.roomy_key = 100 if wide or compact else 124
        super().__init__(self._rows(), gap=12, id=id, max_width=1000, **kw)

    def _key(self, ch: str) -> Button:
        return Button(ch, kind="key", id=f"key-{ch}", min_height=self.key_height(self.roomy_key),
                      on_tap=lambda: self.on_key(ch))

    def _rows(self) -> list[Widget]:
        if self.layer == "letters":
            lines = _chunks(ALPHABET, 9 if self.wide or self.compact else 7)   # compact: fewer, longer rows
        else:
            lines = _chunks(DIGITS, 5 if self.wide or self.compact else 3)
        rows: list[Widget] = [Row([self._key(c) for c in line], gap=12, wrap=False) for line in lines]
        switch = Button(_("Digits 0–9") if self.layer == "letters" else _("Letters A–Z"), kind="key",
                        id="key-layer", min_height=self.key_height(self.roomy_key), on_tap=self._toggle)
        erase = Button(_("Erase"), kind="key", icon=Icon.ERASE, id="key-backspace",
                       min_height=self.key_height(self.roomy_key),
                       on_tap=lambda: self.on_key(BACKSPACE))
        enter = Button(self.enter_label, kind="primary", id="key-enter", min_height=self.key_height(self.roomy_key),
                       on_tap=lambda: self.on_key(ENTER))
        rows.append(Row([switch, erase, enter], gap=12, wrap=False))
        for row in rows:
            row.parent = self
        return rows

    def set_layer(self, layer: str) -> None:
        if layer != self.layer:
            self.layer = layer
            self._rebuild()

    def _toggle(self) -> None:
        self.set_layer("digits" if self.layer == "letters" else "letters")
