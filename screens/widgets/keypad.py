"""A large numeric keypad (PIN, phone numbers): 1–9, erase, 0, validate; « + » for a phone
number's country code when asked (``plus=True``)."""

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


class NumericKeypad(KeyPanel):
    speech_name = N_("numeric keypad")

    def __init__(self, on_key: Callable[[str], None], *, enter_label: str | None = None,
                 plus: bool = False, id: str = "keypad", **kw: Unpack[PanelOptions]) -> None:
        self.on_key = on_key
        self.enter_label = enter_label or _("OK")
        self.plus = plus
        super().__init__(self._rows(), gap=16, id=id, max_width=760, **kw)

    def _rows(self) -> list[Widget]:
        rows: list[Widget] = [Row([self._key(d, d) for d in digits], gap=16, wrap=False)
                              for digits in ("123", "456", "789")]
        # Compact keys have no height for the word beside its icon: the icon alone, as on the keyboard.
        erase = (self._key(BACKSPACE, _("Erase"), icon=Icon.ERASE, key_id="backspace", icon_only=True) if self.compact
                 else self._key(BACKSPACE, _("Erase"), icon=Icon.ERASE, key_id="backspace"))
        enter = self._key(ENTER, self.enter_label, key_id="enter", kind="primary")
        if self.plus:
            rows.append(Row([self._key("+", "+"), self._key("0", "0"), erase], gap=16, wrap=False))
            rows.append(Row([enter], gap=16, wrap=False))
        else:
            rows.append(Row([erase, self._key("0", "0"), enter], gap=16, wrap=False))
        for row in rows:
            row.parent = self
        return rows

    def _key(self, value: str, label: str, *, icon: Icon | None = None, key_id: str | None = None,
             kind: str = "key", icon_only: bool = False) -> Button:
        return Button(label, kind=kind, icon=icon, icon_only=icon_only, id=f"key-{key_id or value}",
                      min_height=self.key_height(110),
                      on_tap=lambda: self.on_key(value))
