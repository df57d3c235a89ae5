"""The touch toolkit: widgets sized for fingers, laid out for any screen size.

Attributes flow down (a screen sets a widget's text and callbacks); messages
flow up (a widget calls the callback its screen gave it).
"""

from screens.widgets.base import TextItem, Widget
from screens.widgets.button import Button
from screens.widgets.containers import Column, Grid, Row, ScrollView, Spacer
from screens.widgets.dialog import Dialog
from screens.widgets.keyboard import AzertyKeyboard
from screens.widgets.keypad import NumericKeypad
from screens.widgets.label import Label
from screens.widgets.picture import Picture
from screens.widgets.text_field import TextField
from screens.widgets.toast import Toast

__all__ = [
    "Widget", "TextItem", "Column", "Row", "Grid", "Spacer", "ScrollView", "Label", "Button",
    "TextField", "NumericKeypad", "AzertyKeyboard", "Dialog", "Toast", "Picture",
]
