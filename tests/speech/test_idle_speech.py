"""Timing while speech is on: every idle limit doubled, the warning spoken when it appears and
its countdown said again at 10 and 5 seconds left; « Continuer » reachable by the keypad."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from kiosk.speech.speaker import make_speaker

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")


@pytest.fixture
def speaking(make_pilot):
    pilot = make_pilot(overrides={"speech.enabled": True})
    app = pilot.app
    app.speech.close()
    output = RecordingOutput()
    app.speech = make_speaker(app.config.speech, output=output)
    assert app.speech.player.wait_ready()
    yield pilot, output
    app.speech.close()


def said(pilot) -> str:
    speaker = pilot.app.speech
    return speaker.words_for(speaker.last)


def test_with_speech_on_the_warning_comes_after_90_s_and_the_visit_ends_40_s_later(speaking) -> None:
    pilot, _ = speaking
    pilot.use("feature-toolkit")
    pilot.app.start_guidance("keypad")
    pilot.advance(89)
    assert not pilot.has("idle-dialog")
    pilot.advance(1)
    assert pilot.has("idle-dialog")
    assert "40 secondes" in pilot.widget("idle-dialog-message").text
    pilot.advance(39)
    assert pilot.has("idle-dialog") and pilot.screen.name == "toolkit"
    pilot.advance(1)
    assert pilot.screen.name == "home" and not pilot.app.speech_active   # the visit ended, speech with it


def test_speech_started_on_the_home_screen_is_a_visit_in_progress(speaking) -> None:
    pilot, _ = speaking
    pilot.app.start_guidance("keypad")
    pilot.advance(90)
    assert pilot.has("idle-dialog")                   # otherwise speech would stay on for the next person


def test_a_screens_own_shorter_limit_is_doubled_too(speaking) -> None:
    pilot, _ = speaking
    idle = pilot.app.idle
    sensitive = SimpleNamespace(wipe_after_s=30)
    silent = idle._timings_for(sensitive)
    assert (silent.warn_after_s, silent.reset_after_s) == (20, 10)
    pilot.app.start_guidance("keypad")
    heard = idle._timings_for(sensitive)
    assert (heard.warn_after_s, heard.reset_after_s) == (40, 20)
    assert idle._timings_for(None).warn_after_s == 90 and idle._timings_for(None).dim_after_s == 120


def test_the_warning_is_spoken_then_its_countdown_at_10_and_5_seconds_left(speaking) -> None:
    pilot, output = speaking
    app = pilot.app
    pilot.use("feature-toolkit")
    app.start_guidance("keypad")
    pilot.advance(90)
    words = said(pilot)
    assert words == ("Êtes-vous toujours là ? Sans action de votre part, la borne revient au début dans "
                     "40 secondes et efface ce que vous avez saisi. Appuyez sur 5 pour continuer.")
    warning = app.speech.last_number
    assert output.wait_for(warning, ended=True).seconds > 4
    pilot.advance(29)                                 # 11 s left: nothing more said
    assert app.speech.last_number == warning
    pilot.advance(1)
    assert said(pilot) == "Encore 10 secondes. Appuyez sur 5 pour continuer."
    ten = app.speech.last_number
    pilot.advance(4)
    assert app.speech.last_number == ten              # not every second
    pilot.advance(1)
    assert said(pilot) == "Encore 5 secondes. Appuyez sur 5 pour continuer."
    assert output.wait_for(app.speech.last_number, ended=True).ended == "finished"


def test_the_warning_in_english(speaking) -> None:
    pilot, _ = speaking
    pilot.app.update_settings(language="en")
    pilot.app.start_guidance("keypad")
    pilot.advance(90)
    words = said(pilot)
    assert words.startswith("Are you still there?") and "40 seconds" in words
    assert words.endswith("Press 5 to continue.") and pilot.app.speech.last.language == "en"


def test_continue_is_a_control_the_keypad_reaches_and_a_new_warning_is_spoken_again(speaking) -> None:
    pilot, _ = speaking
    app = pilot.app
    pilot.use("feature-toolkit")
    app.start_guidance("keypad")
    pilot.advance(90)
    assert pilot.widget("continue").focusable
    pilot.advance(30)
    pilot.use("continue")
    assert not pilot.has("idle-dialog") and app.speech_active
    pilot.advance(90)
    assert said(pilot).startswith("Êtes-vous toujours là")
    pilot.advance(30)
    assert said(pilot).startswith("Encore 10 secondes")   # each warning has its own countdown


def test_without_speech_nothing_is_said_and_the_limits_stay(speaking) -> None:
    pilot, _ = speaking
    pilot.use("feature-toolkit")
    pilot.advance(45)
    assert pilot.has("idle-dialog") and pilot.app.speech.last is None
