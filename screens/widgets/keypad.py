"""A large numeric keypad (PIN, phone numbers): 1–9, erase, 0, validate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

from kiosk.i18n import _
from screens.widgets.button import Button
from screens.widgets.containers import Column, PanelOptions, Row

BACKSPACE = "\b"
ENTER = "\n"


class NumericKeypad(Column):
    def __init__(self, on_key: Callable[[str], None], *, enter_label: str | None = None,
                 id: str = "keypad", **kw: Unpack[PanelOptions]) -> None:
        self.on_key = on_key
        rows = []
        for digits in ("123", "456", "789"):
            rows.append(Row([self._key(d, d) for d in digits], gap=16, wrap=False))
        rows.append(Row([
            self._key(BACKSPACE, _("Erase"), icon="⌫", key_id="backspace"),
            self._key("0", "0"),
            self._key(ENTER, enter_label or _("OK"), key_id="enter", kind="primary"),
        ], gap=16, wrap=False))
        super().__init__(rows, gap=16, id=id, max_width=760, **kw)

    def _key(self, value: str, label: str, *, icon: str | None = None, key_id: str | None = None,
             kind: str = "key") -> Button:
        return Button(label, kind=kind, icon=icon, id=f"key-{key_id or value}", min_height=110,
                      on_tap=lambda: self.on_key(value))
