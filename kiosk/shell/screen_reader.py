"""The screen reader: what speech says as screens change, the focus moves and things happen.

Contract of issue 15 (the seam between the keypad's focus, the spoken screens and starting
speech without sight). Each method is called by the part of the shell that sees the moment:

- the navigator's ``show_screen`` calls :meth:`screen_shown` (title, content in reading
  order, then what can be done);
- the keypad's focus navigator (``kiosk.shell.focus``) calls :meth:`focus_moved` with the
  widget that got the focus (each list item as the focus reaches it);
- a touch while speech is on goes through :meth:`touched` first: a first touch on a control
  speaks it (True: the touch is used up), a second touch on the same control activates it;
- a change a sighted person would notice (an error under a field, a toast, the idle warning,
  « Impression en cours… ») is announced through :meth:`announce`;
- the keypad's * , # , + and - keys call :meth:`repeat`, :meth:`help`, :meth:`volume`.

Everything here says nothing while speech is off (``app.speech_active`` False).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.speech.utterance import Part
    from screens.base import Screen, ScreenHost
    from screens.widgets.base import Widget


class ScreenReader:
    def __init__(self, app: ScreenHost) -> None:
        self.app = app

    def screen_shown(self, screen: Screen) -> None:
        """A screen came on top (pushed, popped back to, rebuilt for a language change)."""

    def focus_moved(self, widget: Widget | None) -> None:
        """The keypad's focus moved to ``widget`` (None: nothing focusable on the screen)."""

    def touched(self, widget: Widget) -> bool:
        """A finger lifted on ``widget`` while speech is on. True when the touch only spoke it
        (explore by touch), False when the app should activate it as usual."""
        return False

    def announce(self, *parts: Part | str) -> None:
        """Something changed on the screen: say it now, cutting what was being said."""

    def repeat(self) -> None:
        """« * »: say the last thing again."""

    def help(self) -> None:
        """« # »: say where the person is and which keys do what."""

    def volume(self, step: int) -> None:
        """« + » (step 1) or « - » (step -1): change the volume and say the new one."""
