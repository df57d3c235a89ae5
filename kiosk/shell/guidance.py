"""Starting speech without sight: the welcome, speech on for the visit, the headset jack.

Why a module of its own: three doors lead to speech (holding 5 on the keypad, plugging a
headset in, « Guidage vocal » on the accessibility screen) and they must behave the same —
a person who cannot see the screen cannot tell which one worked. Each calls
:meth:`Guidance.start`, which

- makes the speaker if there is none yet (the app makes it after the first frame when
  ``[speech] enabled``; a key held before that still works);
- turns speech on for this visit: the speaker speaks, and the visit records it
  (``Settings.speech``), so an idle visit with speech on is warned and ended like any other,
  and the end of the visit turns speech off again (unless ``[speech] start = "always"``);
- says the welcome, which explains the keys, in the visit's language;
- once the welcome was heard to its end, has the screen reader read the current screen.
  A key pressed meanwhile cuts the welcome (the next action interrupts speech) and the
  screen is then not read over what that key said.

A terminal with ``[speech] enabled = false`` offers no speech: a start is logged once and
nothing else happens (no sound card is opened, no thread started).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Protocol

from kiosk.speech.welcome import welcome_words

if TYPE_CHECKING:
    from drivers.audio.jack import JackReader
    from kiosk.config import KioskConfig
    from kiosk.shell.navigation import Navigator
    from kiosk.shell.screen_reader import ScreenReader
    from kiosk.shell.visit import Visit
    from kiosk.speech.speaker import Speaker
    from kiosk.speech.utterance import Part

log = logging.getLogger(__name__)


class GuidanceHost(Protocol):
    """What of the app starting speech uses (the app itself; a Protocol to stay out of a cycle)."""

    config: KioskConfig
    visit: Visit
    speech: Speaker | None
    nav: Navigator

    @property
    def reader(self) -> ScreenReader: ...

    @property
    def speech_active(self) -> bool: ...

    def say(self, *parts: Part | str) -> None: ...


class Guidance:
    def __init__(self, app: GuidanceHost) -> None:
        self.app = app
        self.headset: bool | None = None      # the jack's last word; None: no jack read (yet)
        self.jack: JackReader | None = None
        self._welcome: int | None = None      # the player's number for the welcome being said
        self._refusal_logged = False

    @property
    def offered(self) -> bool:
        """The terminal offers speech (``[speech] enabled``)."""
        return self.app.config.speech.enabled

    # -- the hardware ---------------------------------------------------------------------
    def speaker(self) -> Speaker | None:
        """The app's speaker, made now if there is none; None when the terminal offers no speech."""
        app = self.app
        if app.speech is None and self.offered:
            from kiosk.speech.speaker import make_speaker

            app.speech = make_speaker(app.config.speech)
            app.speech.headset_plugged = self.headset
        return app.speech

    def start_hardware(self) -> None:
        """After the first frame: the speaker (its sound card opens in its own thread) and the jack."""
        if not self.offered:
            return
        self.speaker()
        path = self.app.config.speech.jack_path
        if path is not None and self.jack is None:
            from drivers.audio.jack import JackReader

            self.jack = JackReader(path).start()

    def stop_hardware(self) -> None:
        if self.jack is not None:
            self.jack.stop()
            self.jack = None

    # -- speech on and off for the visit ----------------------------------------------------
    def start(self, reason: str) -> None:
        """Speech on for this visit, the welcome said (again, if it was on), then the screen read."""
        if not self.offered:
            if not self._refusal_logged:
                log.info("speech was asked for (%s) but this terminal offers none ([speech] enabled = false)", reason)
                self._refusal_logged = True
            return
        speaker = self.speaker()
        assert speaker is not None   # offered: made above
        again = self.app.visit.settings.speech
        self.record(True)
        self._refresh_settings_screen()
        log.info("speech guidance %s (%s)", "asked for again: welcome repeated" if again else "started", reason)
        before = speaker.last_number
        self.app.say(*welcome_words())
        self._welcome = speaker.last_number if speaker.last_number != before else None
        if self._welcome is None:          # nothing was said (cannot happen with words): read at once
            self._read_screen()

    def stop(self, reason: str) -> None:
        """Speech off for the rest of this visit (« Guidage vocal » switched off)."""
        self._welcome = None
        self.record(False)
        if self.app.speech is not None:
            self.app.speech.stop()
        self._refresh_settings_screen()
        log.info("speech guidance stopped (%s)", reason)

    def record(self, on: bool) -> None:
        """Speech on or off for the visit, nothing said (:meth:`start` and :meth:`stop` say and log;
        the gallery and tests turn it on quietly). The visit's setting is the one truth: speech on
        makes the visit one in progress, and the visit's end turns it back to the terminal's default."""
        visit = self.app.visit
        if visit.settings.speech != on:
            visit.settings = dataclasses.replace(visit.settings, speech=on)

    def _refresh_settings_screen(self) -> None:
        """The accessibility screen shows the speech setting: redraw it when speech starts from elsewhere."""
        from screens.shell.accessibility import AccessibilityScreen

        screen = self.app.nav.current
        if isinstance(screen, AccessibilityScreen) and screen.root is not None:
            screen.rebuild()

    def visit_ended(self) -> None:
        self._welcome = None

    # -- what the player and the jack say -------------------------------------------------
    def speech_ended(self, number: int, how: str) -> None:
        """SPEECH_ENDED: the welcome heard to its end (or played silently) → read the screen."""
        if number != self._welcome:
            return
        self._welcome = None
        if how != "cut":
            self._read_screen()

    def _read_screen(self) -> None:
        screen = self.app.nav.current
        if screen is not None and self.app.speech_active:
            self.app.reader.screen_shown(screen)

    def headset_changed(self, plugged: bool) -> None:
        """HEADSET_JACK: personal parts may be said (output "both") while a headset is in; a headset
        plugged in (not one found in at start-up) starts speech when ``start_on_headset``."""
        before, self.headset = self.headset, plugged
        if self.app.speech is not None:
            self.app.speech.headset_plugged = plugged
        log.info("headset %s", "plugged in" if plugged else "pulled out")
        if plugged and before is False and self.app.config.speech.start_on_headset:
            self.start("headset")
