"""One interface for every speech engine: text, voice, rate and volume in, 16-bit PCM out.

Why streamed: a sentence is heard from its first syllable while the engine still works on
its end, and the next action must be able to cut it; so :meth:`Synthesizer.start` returns a
:class:`Synthesis` whose chunks the player reads as they come, and which it can cancel.
:meth:`Synthesizer.render` and :meth:`Synthesizer.render_wav` are the whole-utterance forms
(tests, the bench, and later tickets read aloud). Engines are picked by ``[speech] engine``
(:func:`drivers.audio.make_synthesizer`); a better offline engine than espeak-ng would be
one more subclass, measured with ``kiosk bench`` before it is proposed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from drivers.audio.pcm import PcmFormat, scaled, wav_bytes

#: Longest text handed to an engine at once: a screen's content is far shorter; a longer text
#: is a mistake upstream, refused here rather than left to fill a pipe or the memory.
MAX_TEXT_CHARS = 4000
RATE_RANGE = (80, 450)   # words per minute the engines understand (espeak-ng's own bounds)


class SynthesisError(Exception):
    """The engine could not speak the text; the message says why, for a technician."""


@dataclass(frozen=True)
class SpeechRequest:
    text: str
    voice: str                 # the engine's name for a voice, e.g. "fr" or "en-gb"
    rate_wpm: int = 160        # words per minute
    volume: int = 100          # 0 to 100, applied to the samples (see drivers.audio.pcm.gain)

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("nothing to say: the text is empty")
        if len(self.text) > MAX_TEXT_CHARS:
            raise ValueError(f"text of {len(self.text)} characters: at most {MAX_TEXT_CHARS} are said at once")
        if not RATE_RANGE[0] <= self.rate_wpm <= RATE_RANGE[1]:
            raise ValueError(f"rate of {self.rate_wpm} words per minute: expected {RATE_RANGE[0]} to {RATE_RANGE[1]}")
        if not 0 <= self.volume <= 100:
            raise ValueError(f"volume {self.volume}: expected 0 to 100")


class Synthesis(ABC):
    """One utterance being synthesised: its format, then its samples chunk by chunk."""

    def __init__(self, request: SpeechRequest) -> None:
        self.request = request

    @abstractmethod
    def format(self) -> PcmFormat:
        """The samples' format (may block until the engine's first bytes)."""

    @abstractmethod
    def raw_chunks(self) -> Iterator[bytes]:
        """The samples as the engine makes them, at full volume; ends when it is done or cancelled."""

    @abstractmethod
    def cancel(self) -> None:
        """Stop the engine now (from any thread); the chunks end."""

    def close(self) -> None:
        """Cancel, and free the engine's resources (by the thread that reads the chunks)."""
        self.cancel()

    def chunks(self) -> Iterator[bytes]:
        """The samples at the request's volume, chunk by chunk."""
        for chunk in self.raw_chunks():
            yield scaled(chunk, self.request.volume)

    def __enter__(self) -> Synthesis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Synthesizer(ABC):
    """An offline speech engine. Stateless between utterances; safe to call from one thread at a time."""

    name: str = ""

    @abstractmethod
    def is_usable(self) -> bool:
        """Whether the engine is installed; :meth:`unusable_reason` says what is missing."""

    def unusable_reason(self) -> str:
        return "" if self.is_usable() else f"the speech engine {self.name} is not installed"

    @abstractmethod
    def start(self, request: SpeechRequest) -> Synthesis:
        """Start synthesising ``request``; raises :class:`SynthesisError` when the engine cannot start."""

    def render(self, request: SpeechRequest) -> tuple[PcmFormat, bytes]:
        """The whole utterance: its format and every sample."""
        with self.start(request) as synthesis:
            fmt = synthesis.format()
            return fmt, b"".join(synthesis.chunks())

    def render_wav(self, request: SpeechRequest, path: Path) -> Path:
        """The whole utterance written to a WAV file at ``path``."""
        fmt, samples = self.render(request)
        path.write_bytes(wav_bytes(samples, fmt))
        return path
