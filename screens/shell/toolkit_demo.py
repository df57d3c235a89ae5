"""Demo mode only: try the touch toolkit (keyboard, keypad, list, dialog).

It lets reviewers and newcomers feel the widgets the features are built
from, and gives the tests a screen where a person types.
"""

from __future__ import annotations

from functools import partial

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen, ScreenHost
from screens.widgets import AzertyKeyboard, Button, Column, Dialog, Label, NumericKeypad, Row, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER

MODES = ("keyboard", "keypad", "list", "dialog")


class ToolkitDemoScreen(Screen):
    name = "toolkit"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.mode = "keyboard"

    def title(self) -> str:
        return _("Try the touch screen")

    def compose(self) -> Widget:
        labels = {"keyboard": _("Keyboard"), "keypad": _("Numbers"), "list": _("List"), "dialog": _("Window")}
        tabs = Row([Button(labels[m], selected=(m == self.mode), id=f"tab-{m}",
                           on_tap=partial(self._switch, m)) for m in MODES], gap=12)
        body = getattr(self, f"_{self.mode}")()
        return Column([tabs, body], gap=28)

    def _switch(self, mode: str) -> None:
        self.mode = mode
        self.rebuild()

    def _keyboard(self) -> Widget:
        self.field = TextField(self.app.visit.fields, "demo_name", caption=_("Your name"),
                               placeholder=_("Type with the keyboard below"), max_length=50, id="name")
        self.field.focused = True
        return Column([self.field, AzertyKeyboard(self._type)], gap=20)

    def _keypad(self) -> Widget:
        self.field = TextField(self.app.visit.fields, "demo_number", caption=_("A number"),
                               max_length=12, allowed=str.isdigit, id="number")
        self.field.focused = True
        return Column([self.field, NumericKeypad(self._type)], gap=20)

    def _type(self, key: str) -> None:
        if key == BACKSPACE:
            self.field.backspace()
        elif key == ENTER:
            if self.field.value:
                self.toast(_("Thank you!"))
        elif not self.field.insert(key):
            self.field.set_error(_("This character cannot be typed here, or the text is too long."))
            return
        self.field.set_error("")

    def _list(self) -> Widget:
        rows = [Button(_("Item {n}").format(n=n), kind="secondary", id=f"item-{n}",
                       on_tap=partial(self._chose, n))
                for n in range(1, 31)]
        return Column([Label(_("Slide your finger up or down to move the list."), size=TEXT_SMALL,
                             colour="muted", id="list-hint"), *rows], gap=16)

    def _chose(self, n: int) -> None:
        self.toast(_("You chose item {n}.").format(n=n))

    def _dialog(self) -> Widget:
        return Column([
            Label(_("A window asks a question and waits for your answer."), id="dialog-hint"),
            Button(_("Open a window"), kind="primary", id="open-dialog", on_tap=self._open_dialog),
        ], gap=24)

    def _open_dialog(self) -> None:
        self.open_dialog(Dialog(
            _("A question"), _("Do you like this terminal?"),
            [Button(_("No"), id="answer-no", on_tap=lambda: self._answer(False)),
             Button(_("Yes"), kind="primary", id="answer-yes", on_tap=lambda: self._answer(True))],
        ))

    def _answer(self, yes: bool) -> None:
        self.close_overlay("dialog")
        self.toast(_("Thank you!"))
