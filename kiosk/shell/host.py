"""What the shell's parts (failsafe, pointer, main loop) use of the app.

``App`` builds these parts and hands itself to them; typing them against this
interface instead of ``App`` keeps them out of an import cycle with it, as
:class:`screens.base.ScreenHost` does for the screens. It is ScreenHost (the
failsafe builds screens) plus the app's own machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from screens.base import ScreenHost

if TYPE_CHECKING:
    from kiosk.shell.caught import CaughtErrors
    from kiosk.shell.display import Display
    from kiosk.shell.screen_reader import ScreenReader
    from kiosk.speech.speaker import Speaker
    from screens.widgets.base import Widget


class IdleState(Protocol):
    @property
    def last_activity(self) -> float: ...

    def wake_if_dimmed(self) -> bool: ...


class PointerState(Protocol):
    def reset(self) -> None: ...


class FocusState(Protocol):
    def follow(self, widget: Widget) -> None: ...


class ShellHost(ScreenHost, Protocol):
    running: bool                       # the main loop runs while it is true

    @property
    def display(self) -> Display: ...

    @property
    def errors(self) -> CaughtErrors:
        """The last exceptions the failsafe caught (tests read them)."""

    @property
    def exit_code(self) -> int: ...

    @property
    def animating(self) -> bool: ...

    @property
    def idle(self) -> IdleState: ...

    @property
    def pointer(self) -> PointerState: ...

    @property
    def focus(self) -> FocusState:
        """The keypad's focus (kiosk.shell.focus): a touch explored with speech on moves it too."""

    @property
    def reader(self) -> ScreenReader:
        """What speech says as screens change and the focus moves (issue 15)."""

    @property
    def speech(self) -> Speaker | None:
        """The speaker, once speech was started on this terminal; None before (or without [speech])."""

    def start_guidance(self, reason: str) -> None:
        """Turn speech on for this visit from any screen (held 5, headset plugged, « Guidage vocal »)."""

    def start(self) -> None: ...

    def step(self) -> bool: ...

    def next_deadline(self) -> float | None: ...

    def stop(self) -> None: ...

    def apply_settings(self, rebuild: bool = True) -> None: ...

    def note_activity(self) -> None: ...

    def corner_tap(self, pos: tuple[int, int]) -> None: ...

    def hit(self, pos: tuple[int, int]) -> Widget | None: ...

    def scrollable_at(self, pos: tuple[int, int]) -> Widget | None: ...

    def tap(self, widget: Widget) -> None: ...

    def start_animation(self) -> None: ...
