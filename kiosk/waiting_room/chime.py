"""The two-note chime rung on each call, through SDL's mixer.

The sound is made in memory (no file to install or lose). A display without a sound card,
or with its audio taken by something else, stays silent: the call still shows, and the log
says once why nothing rings. Playing never blocks: SDL mixes on its own thread.
"""

from __future__ import annotations

import logging
import math
from array import array

import pygame

log = logging.getLogger(__name__)

NOTES = ((659.25, 0.45), (523.25, 0.75))   # E5 then C5: the « ding-dong » of public places
VOLUME = 0.5


def tone_samples(rate: int, channels: int, notes: tuple[tuple[float, float], ...] = NOTES) -> array[int]:
    """Signed 16-bit samples of ``notes`` (frequency, seconds), each dying away like a bell."""
    out = array("h")
    for freq, seconds in notes:
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            envelope = math.exp(-4.0 * t / seconds) * min(1.0, i / (rate * 0.005))   # no click at the start
            value = int(32767 * VOLUME * envelope * math.sin(2 * math.pi * freq * t))
            out.extend([value] * channels)
    return out


class Chime:
    """Rings on :meth:`ring`; opens the mixer at the first ring. ``enabled`` False: never rings."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.silent_reason: str | None = None if enabled else "turned off ([waiting_room] chime = false)"
        self.rung = 0
        self._sound: pygame.mixer.Sound | None = None

    def _open(self) -> pygame.mixer.Sound | None:
        if self._sound is not None or self.silent_reason is not None:
            return self._sound
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=1024)
            init = pygame.mixer.get_init()
            if init is None:
                raise pygame.error("the mixer did not open")
            rate, size, channels = init
            if size not in (-16, 16):
                raise pygame.error(f"the sound card's sample size is {size} bits, not 16")
            self._sound = pygame.mixer.Sound(buffer=tone_samples(rate, channels).tobytes())
        except pygame.error as exc:
            self.silent_reason = f"no audio device ({exc})"
            log.warning("the waiting-room chime is silent: %s; calls still show on screen", self.silent_reason)
        return self._sound

    def ring(self) -> bool:
        """Ring once; False when silent (the reason is in ``silent_reason``, logged once)."""
        if not self.enabled:
            return False
        sound = self._open()
        if sound is None:
            return False
        sound.play()
        self.rung += 1
        return True
