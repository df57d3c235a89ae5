"""Speech turned on in a test's app, and what it said (no fixture: importing adds nothing)."""

from __future__ import annotations

from typing import Any

from drivers.audio.outputs import RecordingOutput
from kiosk.config import SpeechConfig
from kiosk.speech.speaker import Speaker, make_speaker


def speak_on(pilot: Any, *, output: str = "loudspeaker", plugged: bool | None = None,
             pace: float | None = None) -> tuple[Speaker, RecordingOutput]:
    """Speech on for this visit, into the recording twin (the app closes the speaker when it stops)."""
    recording = RecordingOutput(pace=pace)
    speaker = make_speaker(SpeechConfig(enabled=True, output=output), output=recording,  # type: ignore[arg-type]
                           post=lambda *a, **k: True)
    assert speaker.player.wait_ready() and speaker.silent_reason is None
    speaker.headset_plugged = plugged
    if pilot.app.speech is not None:      # a test that changes the output: the first player stops
        pilot.app.speech.close()
    pilot.app.speech = speaker
    pilot.app.guidance.record(True)       # on for this visit, as a start (held 5, jack, « Guidage vocal ») does
    return speaker, recording


def last_words(speaker: Speaker) -> str:
    assert speaker.last is not None, "nothing was said"
    return speaker.words_for(speaker.last)


def plain(text: str) -> str:
    """``text`` with the no-break spaces of French typography made plain, as speech has them."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
