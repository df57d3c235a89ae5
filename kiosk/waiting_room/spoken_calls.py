"""Calls said aloud in the waiting room: « Numéro A douze, guichet 3 », then « Number A twelve, counter 3 ».

Why a queue of its own over the speech player: at a counter's desk the player's rule — the
next thing said cuts the last — is right, but in a waiting room a call cut in the middle is a
call nobody heard. So each call is said whole, language after language, and a call that comes
while another is being said waits its turn. The queue is bounded (:data:`MAX_WAITING_CALLS`):
when several counters call at once faster than a voice can say them, the oldest waiting call
is dropped — it stays on the board, and it was chimed.

A queue number is not personal (it is on the wall for all to see): it is said on the
loudspeaker, with no masking, so this goes to the player directly rather than through the
visit's :class:`~kiosk.speech.speaker.Speaker` (which masks, repeats and resets per visit).
Without a sound card or an engine the player says why once in the log and stays silent; the
calls are then shown and chimed as before (:class:`~kiosk.waiting_room.announce.TextOnly`'s
behaviour: :attr:`SpokenCalls.last` keeps the words).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drivers.audio.synthesizer import SpeechRequest
from kiosk.speech.verbalise import verbalise
from kiosk.waiting_room.announce import Announcement, Announcer, TextOnly

if TYPE_CHECKING:
    from drivers.audio.outputs import AudioOutput
    from drivers.audio.player import SpeechPlayer
    from drivers.driver_thread import Post
    from kiosk.config import SpeechConfig, WaitingRoomConfig

log = logging.getLogger(__name__)

#: Calls waiting to be said behind the one being said; beyond, the oldest waiting is dropped.
MAX_WAITING_CALLS = 4
#: Longest wait for one utterance to end before the next call is said anyway (a stuck sound
#: card must not silence the room for the day). A call is a few seconds long.
UTTERANCE_TIMEOUT_S = 30.0


class SpokenCalls:
    """An :class:`~kiosk.waiting_room.announce.Announcer` that speaks through a speech player."""

    def __init__(self, player: SpeechPlayer, config: SpeechConfig, *,
                 max_waiting: int = MAX_WAITING_CALLS) -> None:
        self.player = player
        self.config = config
        self.last: tuple[Announcement, ...] = ()
        self.dropped = 0                                    # calls dropped from a full queue (tests, logs)
        self.said: deque[str] = deque(maxlen=16)            # the last words handed to the player (tests)
        self._waiting: deque[tuple[Announcement, ...]] = deque()
        self._max_waiting = max_waiting
        self._last_ended = 0                                # the player numbers its utterances 1, 2, 3…
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # -- from the UI thread -------------------------------------------------------------------
    def start(self) -> SpokenCalls:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="waiting-room-voice", daemon=True)
            self._thread.start()
        return self

    def announce(self, words: Sequence[Announcement]) -> None:
        """Queue one call (its words in each language); returns at once."""
        self.last = tuple(words)
        if not words:
            return
        with self._changed:
            if len(self._waiting) >= self._max_waiting:
                self._waiting.popleft()
                self.dropped += 1
                log.info("calls come faster than they can be said: the oldest waiting call is not spoken")
            self._waiting.append(tuple(words))
            self._changed.notify_all()

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    def close(self, timeout: float = 3.0) -> None:
        with self._changed:
            self._stopping = True
            self._waiting.clear()
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.player.close()

    def ended(self, event_type: int, **attrs: Any) -> bool:
        """The player's end-of-utterance report (its ``post``), from the player's thread."""
        with self._changed:
            self._last_ended = max(self._last_ended, int(attrs.get("number", 0)))
            self._changed.notify_all()
        return True

    # -- in the thread --------------------------------------------------------------------------
    def _run(self) -> None:
        while (call := self._next()) is not None:
            for announcement in call:
                if not self._say_whole(announcement):
                    return

    def _next(self) -> tuple[Announcement, ...] | None:
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or bool(self._waiting))
            return None if self._stopping else self._waiting.popleft()

    def _say_whole(self, announcement: Announcement) -> bool:
        """Hand one language's words to the player and wait until they were said. False: stopping."""
        words = verbalise(announcement.aloud, announcement.language)
        voice = getattr(self.config.voices, announcement.language)
        number = self.player.play(SpeechRequest(words, voice, self.config.rate_wpm))
        self.said.append(words)
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self._last_ended >= number, UTTERANCE_TIMEOUT_S)
            return not self._stopping


def spoken_calls(config: SpeechConfig, *, output: AudioOutput | None = None,
                 forward: Post | None = None) -> SpokenCalls:
    """Calls spoken with ``[speech]``'s engine, voices, rate and volume on its output (``output``
    replaces it: tests hear through the recording twin), the player and the queue started.
    The player's ends of utterance go to the queue only, not to the app's event queue: their
    numbers are this player's, and would be mistaken for the visit speaker's. ``forward`` also
    receives them (tests)."""
    from drivers.audio import make_synthesizer
    from drivers.audio.player import SpeechPlayer
    from drivers.audio.sdl_output import SdlOutput

    def post(event_type: int, **attrs: Any) -> bool:
        calls.ended(event_type, **attrs)
        return forward(event_type, **attrs) if forward is not None else True

    player = SpeechPlayer(make_synthesizer(config.engine), output or SdlOutput(config.device), post=post)
    player.volume = config.volume
    calls = SpokenCalls(player, config)
    player.start()
    return calls.start()


def make_announcer(room: WaitingRoomConfig, speech: SpeechConfig) -> Announcer:
    """The announcer ``[waiting_room] announce`` asks for, with ``[speech]``'s voices and volume."""
    if room.announce == "text":
        return TextOnly()
    return spoken_calls(speech)
