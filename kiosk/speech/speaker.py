"""The speech service the app and, later, the screens talk to: say, stop, repeat, volume.

Why a service over the player: the rules of speech at a public terminal are the feature's,
not the sound card's — each new thing said interrupts the last (the next action cuts speech),
« * » repeats what was said last, « + » and « - » move the volume within bounds, personal
parts are masked unless the sound goes to a headset, and at the end of a visit speech, volume
and the last words go back to the terminal's defaults, so the next person neither hears the
previous one's reference on « repeat » nor inherits their volume.

The player (:mod:`drivers.audio.player`) does the synthesis and the sound in its own thread;
everything here returns at once and may be called from the UI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from drivers.audio.synthesizer import MAX_TEXT_CHARS, SpeechRequest
from kiosk.speech.privacy import private_allowed
from kiosk.speech.utterance import Utterance, spoken_text

if TYPE_CHECKING:
    from drivers.audio.outputs import AudioOutput
    from drivers.audio.player import SpeechPlayer
    from drivers.driver_thread import Post
    from kiosk.config import SpeechConfig

log = logging.getLogger(__name__)

VOLUME_STEP = 10
VOLUME_RANGE = (10, 100)   # never silent by accident: « - » stops at 10; speech is turned off, not muted


class Speaker:
    def __init__(self, config: SpeechConfig, player: SpeechPlayer) -> None:
        self.config = config
        self.player = player
        self.headset_plugged: bool | None = None     # the jack's switch (drivers.audio.jack); None: not known
        self.last: Utterance | None = None           # what « repeat » says again (forgotten at the end of a visit)
        self.last_number = 0                         # the player's number for the last thing said
        self._volume = config.volume
        self.player.volume = self._volume

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def silent_reason(self) -> str | None:
        """Why nothing is heard although speech is on (no sound card, no engine), else None."""
        return self.player.silent_reason

    def words_for(self, utterance: Utterance) -> str:
        """The words ``utterance`` is said with on this terminal now (masked or not), without saying them."""
        allowed = private_allowed(self.config.output, self.headset_plugged)
        return spoken_text(utterance, private_allowed=allowed)

    def say(self, utterance: Utterance, *, interrupt: bool = True) -> str | None:
        """Say ``utterance``, cutting what is being said (``interrupt=False``: after it). Returns
        the words handed to the engine, or None when there is nothing to say. Whether speech is
        on for the visit is the visit's setting (``Settings.speech``): the callers ask it."""
        words = self.words_for(utterance)
        if not words.strip():
            return None
        if len(words) > MAX_TEXT_CHARS:
            log.warning("an utterance of %d characters was cut to %d", len(words), MAX_TEXT_CHARS)
            words = _shortened(words, MAX_TEXT_CHARS)
        voice = getattr(self.config.voices, utterance.language)
        self.last = utterance
        self.last_number = self.player.play(SpeechRequest(words, voice, self.config.rate_wpm), interrupt=interrupt)
        return words

    def stop(self) -> None:
        """Silence now (« stop », or a touch that is not about speech)."""
        self.player.stop_speaking()

    def repeat(self) -> str | None:
        """Say the last utterance again (masked again as the output requires now)."""
        return self.say(self.last) if self.last is not None else None

    def _set_volume(self, volume: int) -> int:
        low, high = VOLUME_RANGE
        self._volume = min(max(volume, low), high)
        self.player.volume = self._volume   # the player applies it from its next chunk, mid-sentence
        return self._volume

    def volume_up(self) -> int:
        return self._set_volume(self._volume + VOLUME_STEP)

    def volume_down(self) -> int:
        return self._set_volume(self._volume - VOLUME_STEP)

    def end_visit(self) -> None:
        """The visit is over: silence, the terminal's volume, nothing to repeat. (Speech on or off
        is the visit's setting, reset with the others.) The headset's state is the jack's: it stays."""
        self.stop()
        self._set_volume(self.config.volume)
        self.last = None

    def close(self) -> None:
        self.player.close()


def _shortened(words: str, limit: int) -> str:
    """``words`` cut to ``limit`` characters at the end of a sentence, else of a word."""
    head = words[:limit]
    sentence_end = max(head.rfind(mark) for mark in (". ", "! ", "? "))
    if sentence_end >= limit // 2:
        return head[:sentence_end + 1]
    return head.rsplit(" ", 1)[0] if " " in head else head


def make_speaker(config: SpeechConfig, *, output: AudioOutput | None = None, post: Post | None = None) -> Speaker:
    """The speaker ``[speech]`` describes, its player started (the sound card opens in the player's
    thread). ``output`` replaces the configured one (tests, the bench: a recording twin)."""
    from drivers.audio import make_synthesizer
    from drivers.audio.player import SpeechPlayer
    from drivers.audio.sdl_output import SdlOutput
    from drivers.driver_thread import default_post

    player = SpeechPlayer(make_synthesizer(config.engine), output or SdlOutput(config.device),
                          post=post or default_post)
    return Speaker(config, player.start())
