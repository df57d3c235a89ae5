"""Where the samples go: the abstract output, the silent one, and the recording twin.

An output plays one utterance at a time, as the player hands it chunks: ``begin`` (a new
utterance, its format), ``write`` each chunk (blocks while the sound card's queue is full,
returns at once when the utterance is cancelled), then ``finish`` (waits for the end of the
sound) or ``cut`` (silence now). The player calls them all from its own thread.

The :class:`RecordingOutput` twin keeps what it was given, utterance by utterance, with the
instant of the first sample: the tests and ``kiosk bench`` listen through it. It can play in
real time (``pace=1``), so that « stop » and « the next action interrupts » happen mid-sentence
as they would on a sound card.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field

from drivers.audio.pcm import PcmFormat


class AudioUnavailable(Exception):
    """The output cannot play; the message says why, once, in the log."""


class AudioOutput(ABC):
    kind: str = ""

    def open(self) -> None:  # noqa: B027 - most outputs have nothing to open
        """Take the device (in the player's thread); :class:`AudioUnavailable` when there is none."""

    @abstractmethod
    def begin(self, fmt: PcmFormat, number: int) -> None:
        """A new utterance (``number`` counts them) in format ``fmt`` starts."""

    @abstractmethod
    def write(self, chunk: bytes, cancelled: threading.Event) -> None:
        """Queue ``chunk`` for playing; may wait for room, never past ``cancelled``."""

    @abstractmethod
    def finish(self, cancelled: threading.Event) -> None:
        """Wait until everything written was heard (or ``cancelled``)."""

    @abstractmethod
    def cut(self) -> None:
        """Silence now, and forget what was queued."""

    def close(self) -> None:  # noqa: B027 - nor anything to give back
        """Give the device back."""

    def describe(self) -> str:
        return self.kind


@dataclass
class Take:
    """One utterance as the recording twin heard it."""

    number: int
    fmt: PcmFormat
    began_at: float                          # time.perf_counter() at begin()
    samples: bytearray = field(default_factory=bytearray)
    first_sample_at: float | None = None     # time.perf_counter() when the first chunk arrived
    ended: str = ""                          # "", then "finished" or "cut"
    truncated: bool = False                  # longer than the twin keeps

    @property
    def seconds(self) -> float:
        return self.fmt.seconds(len(self.samples))


class RecordingOutput(AudioOutput):
    """The simulated twin: records instead of playing. Bounded: the last ``keep`` utterances,
    at most ``max_seconds`` of each."""

    kind = "recording"

    def __init__(self, *, pace: float | None = None, keep: int = 8, max_seconds: float = 120.0) -> None:
        self.pace = pace                 # None: take chunks at once; 1.0: as long as they last; 2.0: twice as fast
        self.max_seconds = max_seconds
        self.takes: deque[Take] = deque(maxlen=keep)
        self._changed = threading.Condition()

    def begin(self, fmt: PcmFormat, number: int) -> None:
        with self._changed:
            self.takes.append(Take(number, fmt, time.perf_counter()))
            self._changed.notify_all()

    def write(self, chunk: bytes, cancelled: threading.Event) -> None:
        with self._changed:
            take = self.takes[-1]
            if take.first_sample_at is None:
                take.first_sample_at = time.perf_counter()
            room = int(self.max_seconds * take.fmt.bytes_per_second) - len(take.samples)
            take.samples += chunk[:max(room, 0)]
            take.truncated = take.truncated or len(chunk) > room
            self._changed.notify_all()
        if self.pace:
            cancelled.wait(take.fmt.seconds(len(chunk)) / self.pace)

    def _end(self, how: str) -> None:
        with self._changed:
            if self.takes and not self.takes[-1].ended:
                self.takes[-1].ended = how
            self._changed.notify_all()

    def finish(self, cancelled: threading.Event) -> None:
        self._end("finished")

    def cut(self) -> None:
        self._end("cut")

    def take(self, number: int) -> Take | None:
        return next((t for t in self.takes if t.number == number), None)

    def wait_for(self, number: int, *, heard: bool = False, ended: bool = False, timeout: float = 10.0) -> Take:
        """Block until utterance ``number`` began (and its first sample came, with ``heard``; and it
        ended, with ``ended``). TimeoutError otherwise: a test or the bench then fails plainly."""
        def ready() -> bool:
            t = self.take(number)
            return t is not None and (not heard or t.first_sample_at is not None) and (not ended or bool(t.ended))

        with self._changed:
            if not self._changed.wait_for(ready, timeout):
                raise TimeoutError(f"utterance {number} was not {'ended' if ended else 'heard'} within {timeout} s")
            take = self.take(number)
            assert take is not None
            return take


class SilentOutput(AudioOutput):
    """No sound: what the player falls back to when the real output cannot open."""

    kind = "none"

    def begin(self, fmt: PcmFormat, number: int) -> None:
        pass

    def write(self, chunk: bytes, cancelled: threading.Event) -> None:
        pass

    def finish(self, cancelled: threading.Event) -> None:
        pass

    def cut(self) -> None:
        pass
