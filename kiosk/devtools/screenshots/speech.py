"""Gallery states with speech on (issue 15): the screens' extra controls while a person is
guided by voice, such as « Écouter le ticket ». Speech goes to the recording twin: a gallery
run makes no sound and needs no sound card."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.devtools.pilot import Pilot


def speech_on(p: Pilot) -> None:
    """Speech on for the visit, as « Guidage vocal » or the held 5 will turn it on."""
    from drivers.audio.outputs import RecordingOutput
    from kiosk.config import SpeechConfig
    from kiosk.speech.speaker import make_speaker

    if p.app.speech is None:
        p.app.speech = make_speaker(SpeechConfig(enabled=True), output=RecordingOutput(keep=2, max_seconds=5))
    p.app.guidance.record(True)


def with_speech(reach: Callable[[Pilot], object]) -> Callable[[Pilot], None]:
    """``reach``, then speech turned on and the screen rebuilt with its speech controls. Reached
    first: with speech on, a first touch only says a control (explore by touch)."""
    def reached(p: Pilot) -> None:
        reach(p)
        speech_on(p)
        screen = p.screen
        if screen is not None:
            screen.rebuild()
        p.settle()
    return reached
