"""SDL's audio through ``pygame.mixer``: the sound card the kiosk already opens for its chime.

Speech plays on a mixer channel of its own (channel 0, reserved so that the chime never takes
it), as a chain of short sounds: the first chunk is played at once (the first syllable must
not wait for the rest), the next ones are queued behind it, about a quarter of a second each,
so the card never runs dry. Stopping is ``Channel.stop()``, twice (SDL starts the queued sound
when the playing one is halted): silence within a mixer buffer.

No device, or SDL's « dummy » driver (which accepts sound and plays nothing, as in the tests
and on this development machine): :meth:`SdlOutput.open` raises :class:`AudioUnavailable`
with the reason, and the player says it once and stays silent.
"""

from __future__ import annotations

import threading

import pygame

from drivers.audio.outputs import AudioOutput, AudioUnavailable
from drivers.audio.pcm import SAMPLE_WIDTH, PcmFormat, converted

MIXER_FORMAT = PcmFormat(22050, 1)   # espeak-ng's own: no conversion when the mixer is ours to open
MIXER_BUFFER = 512                   # samples per SDL callback: about 23 ms at 22 050 Hz
QUEUED_SECONDS = 0.25                # length of each sound queued behind the one playing
POLL_S = 0.005                       # how often the player looks whether the queue has room
SPEECH_CHANNEL = 0


class SdlOutput(AudioOutput):
    kind = "sdl"

    def __init__(self, device: str | None = None, *, allow_dummy: bool = False) -> None:
        self.device = device             # an SDL output device name; None: the system's default
        self.allow_dummy = allow_dummy   # for tests and the bench: exercise the mixer with no sound card
        self._channel: pygame.mixer.Channel | None = None
        self._target = MIXER_FORMAT
        self._source = MIXER_FORMAT
        self._buffer = bytearray()
        self._started = False

    def describe(self) -> str:
        return f"sdl ({self.device})" if self.device else "sdl"

    def open(self) -> None:
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=MIXER_FORMAT.rate, size=-16, channels=MIXER_FORMAT.channels,
                                  buffer=MIXER_BUFFER, devicename=self.device)
            init = pygame.mixer.get_init()
            if init is None:
                raise pygame.error("the mixer did not open")
            driver = pygame.mixer.get_driver()
        except pygame.error as exc:
            where = f"device {self.device!r}" if self.device else "the default device"
            raise AudioUnavailable(f"no audio output ({where}: {exc})") from None
        if driver == "dummy" and not self.allow_dummy:
            raise AudioUnavailable("no audio output (SDL's dummy audio driver plays nothing; SDL_AUDIODRIVER=dummy)")
        rate, size, channels = init
        if size not in (-16, 16):
            raise AudioUnavailable(f"the sound card opened with {size}-bit samples, not 16")
        self._target = PcmFormat(rate, channels)
        if pygame.mixer.get_num_channels() < 2:
            pygame.mixer.set_num_channels(8)
        pygame.mixer.set_reserved(1)
        self._channel = pygame.mixer.Channel(SPEECH_CHANNEL)

    def begin(self, fmt: PcmFormat, number: int) -> None:
        self.cut()
        self._source = fmt

    def _sound(self) -> pygame.mixer.Sound:
        data = converted(bytes(self._buffer), self._source, self._target)
        self._buffer.clear()
        usable = len(data) - len(data) % (SAMPLE_WIDTH * self._target.channels)
        return pygame.mixer.Sound(buffer=data[:usable])

    def _hand_over(self, cancelled: threading.Event) -> None:
        """Play the buffer now if the channel is idle, else queue it behind the sound playing."""
        channel = self._channel
        if channel is None or not self._buffer:
            return
        if not self._started or not channel.get_busy():
            channel.play(self._sound())
            self._started = True
            return
        while channel.get_queue() is not None and channel.get_busy():
            if cancelled.wait(POLL_S):
                return
        if channel.get_busy():
            channel.queue(self._sound())
        else:
            channel.play(self._sound())

    def write(self, chunk: bytes, cancelled: threading.Event) -> None:
        self._buffer += chunk
        if not self._started or len(self._buffer) >= self._source.bytes_per_second * QUEUED_SECONDS:
            self._hand_over(cancelled)

    def finish(self, cancelled: threading.Event) -> None:
        self._hand_over(cancelled)
        channel = self._channel
        while channel is not None and channel.get_busy() and not cancelled.is_set():
            cancelled.wait(POLL_S * 4)
        self._started = False

    def cut(self) -> None:
        if self._channel is not None:
            self._channel.stop()
            if self._channel.get_busy():   # halting a channel starts the sound queued behind: halt that too
                self._channel.stop()
        self._buffer.clear()
        self._started = False

    def close(self) -> None:
        self.cut()
        self._channel = None
