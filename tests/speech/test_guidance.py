"""Starting speech without sight (App.start_guidance): the speaker made on demand, speech on for
the visit, the spoken welcome in the visit's language, then the screen read; « Guidage vocal »;
the headset jack; the end of a visit. Real espeak-ng, heard through the recording twin."""

from __future__ import annotations

import logging

import pytest
from support import settle_until

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from kiosk import events
from kiosk.shell.screen_reader import ScreenReader
from kiosk.speech.speaker import make_speaker
from kiosk.speech.utterance import Utterance, reference

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")


class ReadingLog(ScreenReader):
    """The reader of issue 15 until the spoken screens land: it notes which screens it was asked to read."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.shown: list[str] = []

    def screen_shown(self, screen) -> None:
        self.shown.append(screen.name)


@pytest.fixture
def speaking(make_pilot):
    """A pilot on a terminal that offers speech, its speaker playing into a recording twin."""
    made = []

    def factory(*, pace: float | None = None, **speech: object):
        overrides = {"speech.enabled": True, **{f"speech.{k}": v for k, v in speech.items()}}
        pilot = make_pilot(overrides=overrides)
        app = pilot.app
        assert app.speech is not None                 # made after the first frame
        app.speech.close()
        output = RecordingOutput(pace=pace)
        app.speech = make_speaker(app.config.speech, output=output)   # SPEECH_ENDED reaches the app's queue
        assert app.speech.player.wait_ready()
        app.reader = ReadingLog(app)
        made.append(app.speech)
        return pilot, output

    yield factory
    for speaker in made:
        speaker.close()


def said(pilot) -> str:
    speaker = pilot.app.speech
    return speaker.words_for(speaker.last) if speaker.last is not None else ""


def test_speech_off_then_on_with_the_welcome_heard_whole_then_the_screen_read(speaking) -> None:
    pilot, output = speaking()
    app = pilot.app
    assert not app.speech_active and not app.visit.settings.speech and not app.visit.is_active
    app.start_guidance("keypad")
    assert app.speech_active and app.visit.settings.speech and app.visit.is_active
    words = said(pilot)
    assert words.startswith("Guidage vocal activé.")
    for heard in ("les touches 2, 4, 6 et 8", "La touche 5, ou Entrée, active", "La touche 0 revient en arrière",
                  "Étoile répète", "Dièse donne l’aide", "barre oblique", "Plus et moins règlent le volume",
                  "touchez une fois pour entendre, deux fois pour activer"):
        assert heard in words, heard
    take = output.wait_for(app.speech.last_number, ended=True)
    assert take.ended == "finished" and take.seconds > 10        # a dozen seconds of real speech
    settle_until(pilot, lambda: app.reader.shown == ["home"])    # the screen comes after the welcome


def test_the_welcome_is_in_the_visits_language(speaking) -> None:
    pilot, output = speaking()
    pilot.app.update_settings(language="en")
    pilot.app.start_guidance("headset")
    words = said(pilot)
    assert words.startswith("Voice guidance is on.") and "the keys 2, 4, 6 and 8" in words
    assert "Star repeats. Hash gives help" in words and "touch twice to activate" in words
    assert pilot.app.speech.last.language == "en"
    assert output.wait_for(pilot.app.speech.last_number, ended=True).seconds > 10


def test_a_key_pressed_during_the_welcome_cuts_it_and_the_screen_is_not_read_over_it(speaking) -> None:
    pilot, output = speaking(pace=1.0)                           # as long as it lasts: the key comes mid-welcome
    app = pilot.app
    app.start_guidance("keypad")
    welcome = app.speech.last_number
    output.wait_for(welcome, heard=True)
    app.say("Accueil.")                                         # what the next key said
    output.wait_for(app.speech.last_number, ended=True)
    assert output.take(welcome).ended == "cut"
    settle_until(pilot, lambda: not app.guidance._welcome)
    assert app.reader.shown == []


def test_a_second_start_says_the_welcome_again(speaking, caplog) -> None:
    pilot, output = speaking()
    app = pilot.app
    with caplog.at_level(logging.INFO, logger="kiosk.shell.guidance"):
        app.start_guidance("keypad")
        first = app.speech.last_number
        app.start_guidance("keypad")
    assert app.speech.last_number != first and said(pilot).startswith("Guidage vocal activé.")
    assert [r.getMessage() for r in caplog.records if r.name == "kiosk.shell.guidance"] == [
        "speech guidance started (keypad)", "speech guidance asked for again: welcome repeated (keypad)"]


def test_the_speaker_is_made_on_demand(make_pilot) -> None:
    pilot = make_pilot(overrides={"speech.enabled": True})
    app = pilot.app
    app.speech.close()
    app.speech = None                                           # as before the first frame
    app.start_guidance("keypad")
    try:
        assert app.speech is not None and app.speech_active and app.speech.player.wait_ready()
        assert app.speech.words_for(app.speech.last).startswith("Guidage vocal activé.")
    finally:
        app.speech.close()
        app.speech = None


def test_a_terminal_without_speech_does_nothing_and_says_so_once(pilot, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.shell.guidance"):
        for _ in range(3):
            pilot.app.start_guidance("keypad")
    assert pilot.app.speech is None and not pilot.app.speech_active and not pilot.app.visit.settings.speech
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["speech was asked for (keypad) but this terminal offers none ([speech] enabled = false)"]
    pilot.use("accessibility")
    assert not pilot.has("toggle-speech") and not pilot.has("speech-keys")   # nothing offered on screen


def test_voice_guidance_on_the_accessibility_screen(speaking) -> None:
    pilot, output = speaking()
    app = pilot.app
    pilot.use("accessibility")
    assert pilot.widget("toggle-speech").label == "Guidage vocal\xa0: désactivé"
    assert "5 ou Entrée pour activer" in pilot.widget("speech-keys").text
    pilot.use("toggle-speech")
    assert app.speech_active and app.visit.settings.speech
    assert said(pilot).startswith("Guidage vocal activé.")
    assert pilot.widget("toggle-speech").selected and pilot.widget("toggle-speech").label == "Guidage vocal\xa0: activé"
    pilot.use("toggle-speech")                                  # off for the rest of the visit
    assert not app.speech_active and not app.visit.settings.speech
    assert not pilot.widget("toggle-speech").selected
    number = app.speech.last_number
    app.say("Rien.")
    assert app.speech.last_number == number                     # nothing said while off


def test_speech_started_elsewhere_shows_on_the_accessibility_screen(speaking) -> None:
    pilot, _ = speaking()
    pilot.use("accessibility")
    assert not pilot.widget("toggle-speech").selected
    pilot.app.start_guidance("keypad")                          # held 5 while the screen shows
    pilot.settle()
    assert pilot.widget("toggle-speech").selected


def test_the_end_of_a_visit_brings_back_speech_volume_and_settings(speaking) -> None:
    pilot, _ = speaking()
    app = pilot.app
    events.HeadsetJack(plugged=False).post()
    pilot.settle()
    app.start_guidance("keypad")
    app.speech.volume_up()
    app.update_settings(large_text=True)
    events.HeadsetJack(plugged=True).post()                     # plugged during the visit
    pilot.settle()
    app.end_visit("idle")
    pilot.settle()
    assert not app.speech_active and app.speech.volume == 60 and app.speech.player.volume == 60
    assert app.visit.settings == app.visit.defaults and not app.visit.is_active
    assert app.speech.repeat() is None                          # nothing of the last person to replay
    assert app.speech.headset_plugged is True                   # the jack's truth stays


def test_a_terminal_speaking_from_the_start_of_every_visit(speaking) -> None:
    pilot, _ = speaking(start="always")
    app = pilot.app
    assert app.speech_active and app.visit.settings.speech and not app.visit.is_active   # on, yet no visit
    app.update_settings(large_text=True)
    app.end_visit("idle")
    assert app.speech_active


# -- the headset jack -------------------------------------------------------------------------------
BOOKING = Utterance.of("fr", "Votre référence", reference("RDV-K7QM-4P"))


def test_a_reference_is_said_on_both_only_while_the_headset_is_in(speaking) -> None:
    pilot, output = speaking(output="both", start_on_headset=False)
    speaker = pilot.app.speech                                  # the speaker itself, speech not started
    assert speaker.say(BOOKING) == "Votre référence information masquée"
    events.HeadsetJack(plugged=True).post()
    pilot.settle()
    assert speaker.say(BOOKING) == "Votre référence R D V, K 7 Q M, 4 P"
    spoken = output.wait_for(speaker.last_number, ended=True)
    events.HeadsetJack(plugged=False).post()
    pilot.settle()
    assert speaker.say(BOOKING) == "Votre référence information masquée"
    masked = output.wait_for(speaker.last_number, ended=True)
    assert spoken.seconds > masked.seconds > 0.5                # letter by letter takes longer
    assert not pilot.app.visit.settings.speech                  # start_on_headset = false: not started


def test_plugging_a_headset_in_starts_speech(speaking) -> None:
    pilot, _ = speaking(output="both")
    app = pilot.app
    events.HeadsetJack(plugged=True).post()                     # in already when the jack was first read
    pilot.settle()
    assert not app.speech_active
    events.HeadsetJack(plugged=False).post()
    events.HeadsetJack(plugged=True).post()                     # a person plugs theirs in
    pilot.settle()
    assert app.speech_active and app.visit.settings.speech
    assert said(pilot).startswith("Guidage vocal activé.")
    assert app.speech.headset_plugged is True
