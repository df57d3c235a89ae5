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
    p.app.speech.active = True


def with_speech(reach: Callable[[Pilot], object]) -> Callable[[Pilot], None]:
    """``reach`` with speech turned on first."""
    def reached(p: Pilot) -> None:
        speech_on(p)
        reach(p)
    return reached
