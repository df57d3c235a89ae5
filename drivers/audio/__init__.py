"""Sound out of the terminal: a speech synthesiser, the outputs it plays through, and the player thread.

Why in drivers: the synthesiser is an external process and the output a sound card, two
pieces of hardware-side work that must never block the UI thread (DESIGN.md). The player
thread runs them and posts ``SPEECH_ENDED``; the feature's rules — what is said, in which
words, what is masked — live in :mod:`kiosk.speech`, which hands this package plain text.

- :mod:`.pcm`: the sample format, WAV headers, volume and format conversion.
- :mod:`.synthesizer`: the abstract :class:`~.synthesizer.Synthesizer` (text, voice, rate,
  volume → 16-bit PCM, streamed in chunks or rendered whole to a WAV file).
- :mod:`.espeak`: the espeak-ng implementation (one process per utterance, read as it speaks).
- :mod:`.outputs`: the abstract output and its recording twin; :mod:`.sdl_output`: SDL's
  audio through ``pygame.mixer``.
- :mod:`.player`: the thread that synthesises and plays one utterance at a time, the newest
  interrupting the one being said.
"""

from __future__ import annotations

from drivers.audio.outputs import AudioOutput, AudioUnavailable, RecordingOutput
from drivers.audio.synthesizer import SpeechRequest, SynthesisError, Synthesizer

__all__ = ["AudioOutput", "AudioUnavailable", "RecordingOutput", "SpeechRequest", "SynthesisError",
           "Synthesizer", "make_synthesizer"]

#: ``[speech] engine`` → the synthesiser class's module and name (imported when chosen).
ENGINES = {"espeak-ng": ("drivers.audio.espeak", "EspeakSynthesizer")}


def make_synthesizer(engine: str) -> Synthesizer:
    """The synthesiser ``[speech] engine`` names; ValueError for an engine this build does not know."""
    import importlib

    if engine not in ENGINES:
        raise ValueError(f"unknown speech engine {engine!r} (known: {', '.join(ENGINES)})")
    module, name = ENGINES[engine]
    cls: type[Synthesizer] = getattr(importlib.import_module(module), name)
    return cls()
