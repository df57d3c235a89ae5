"""Reading widgets aloud in order: what a tree of widgets says, with the pauses between them.

Why here: a dialog announces itself when it opens (:meth:`screens.base.Screen.open_dialog`), the
shell's screen reader reads whole screens, and both must say a widget the same way. Each widget
says its own parts (:meth:`Widget.spoken`); this module strings them together — a comma between
the parts of one widget, a full stop after it, so the voice pauses where the eye would — and walks
the tree in reading order (top to bottom, left to right: the order containers lay out their
children), saying a ``summarised`` widget (a keyboard, a calendar) as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.speech.utterance import Part
from screens.widgets.base import Widget

_ENDS = ".!?:;,…"


def punctuated(parts: list[Part]) -> list[Part]:
    """One widget's parts with a comma between them and a full stop after the last (unless a
    part already ends with its own punctuation)."""
    out: list[Part] = []
    for index, part in enumerate(parts):
        out.append(part)
        last = index == len(parts) - 1
        if not part.text.rstrip().endswith(tuple(_ENDS)):
            out.append(Part("." if last else ","))
    return out


def in_reading_order(root: Widget) -> Iterator[Widget]:
    """``root`` and what is read under it, visible only, not entering ``summarised`` widgets."""
    if not root.visible:
        return
    yield root
    if root.summarised:
        return
    for child in root.spoken_children():
        yield from in_reading_order(child)


def said(widget: Widget) -> list[Part]:
    """What ``widget`` says of itself when the focus or a finger reaches it; a container, which
    says nothing itself, is read whole."""
    own = widget.spoken()
    if own:
        return punctuated(own)
    return read_tree(widget)


def read_tree(root: Widget) -> list[Part]:
    """Everything ``root`` shows, widget after widget in reading order."""
    out: list[Part] = []
    for widget in in_reading_order(root):
        out += punctuated(widget.spoken())
    return out
