"""« Écouter le ticket » on the screens that print (issue 15), through the real app, the real
speaker and espeak-ng into the recording output: the button only while speech is on, the ticket's
words when it is tapped (the time said, the reference masked on a loudspeaker and spelt into a
headset), and the offer to hear it once the ticket is printed."""

from __future__ import annotations

import pytest
from support import settle_until
from timebase import test_now

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from kiosk.booking import flow as booking_flow
from kiosk.clock import PARIS, ManualClock
from kiosk.config import SpeechConfig
from kiosk.devtools.offline_seed import SeededData
from kiosk.devtools.pilot import Pilot
from kiosk.devtools.screenshots import STATES
from kiosk.devtools.screenshots.booking import TERMINAL_REFERENCE
from kiosk.formatting import format_time
from kiosk.printing.service import PrintState
from kiosk.speech.speaker import Speaker, make_speaker
from kiosk.speech.verbalise import spelled, verbalise

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")
NOW = test_now()   # KIOSK_TEST_NOW (tests/timebase.py): the cache is filled from the reference seed at it


@pytest.fixture
def seeded(make_pilot):
    def factory(lang: str = "fr") -> Pilot:
        return make_pilot(clock=ManualClock(NOW), data=lambda config: SeededData(NOW, online=True),
                          overrides={"languages.default": lang})
    return factory


def speech_on(p: Pilot, output: str = "loudspeaker") -> tuple[Speaker, RecordingOutput]:
    """What « Guidage vocal » will do (speech-start's work): a speaker on, here into the recording twin."""
    recording = RecordingOutput()
    speaker = make_speaker(SpeechConfig(enabled=True, output=output), output=recording)   # type: ignore[arg-type]
    assert speaker.player.wait_ready() and speaker.silent_reason is None
    p.app.speech = speaker
    speaker.active = True
    return speaker, recording


def said(speaker: Speaker) -> str:
    assert speaker.last is not None, "nothing was said"
    return speaker.words_for(speaker.last)


def spoken_time(p: Pilot, lang: str) -> str:
    start = booking_flow.confirmed_start(p.screen.draft)     # type: ignore[attr-defined]
    return verbalise(format_time(start.astimezone(PARIS).time(), lang), lang)


def test_with_speech_off_the_booking_done_screen_has_no_hear_button(seeded) -> None:
    p = seeded()
    STATES["booking_done"]["printed"](p)
    assert p.screen.name == "booking_done" and p.has("finish") and not p.has("hear-ticket")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hear_the_ticket_on_a_loudspeaker_says_the_time_and_masks_the_reference(seeded, lang: str) -> None:
    p = seeded(lang)
    speaker, recording = speech_on(p)
    STATES["booking_done"]["printed"](p)
    assert p.screen.name == "booking_done"
    p.tap("hear-ticket")
    words = said(speaker)
    masked = {"fr": "Référence : information masquée", "en": "Reference: hidden information"}[lang]
    assert words.startswith({"fr": "Votre ticket.", "en": "Your ticket."}[lang])
    assert spoken_time(p, lang) in words and masked in words
    assert spelled(TERMINAL_REFERENCE) not in words and TERMINAL_REFERENCE not in words
    take = recording.wait_for(speaker.last_number, heard=True)
    assert take.samples, "espeak-ng said nothing"


def test_hear_the_ticket_into_a_headset_spells_the_reference(seeded) -> None:
    p = seeded()
    speaker, _ = speech_on(p, output="headset")
    STATES["booking_done"]["printed"](p)
    p.tap("hear-ticket")
    words = said(speaker)
    assert f"Référence : {spelled(TERMINAL_REFERENCE)}." in words and spoken_time(p, "fr") in words


def test_when_the_ticket_comes_out_speech_offers_to_read_it(seeded) -> None:
    p = seeded()
    speaker, _ = speech_on(p)
    STATES["booking_done"]["printed"](p)
    assert p.has("hear-ticket")
    screen = p.screen
    screen.print_state = ""                       # as before the first print
    screen.rebuild()
    p.tap("print")
    settle_until(p, lambda: screen.print_state is PrintState.PRINTED)   # type: ignore[attr-defined]
    assert said(speaker) == "Votre ticket est imprimé. Pour l’entendre, choisissez le bouton Écouter le ticket."
    assert p.has("hear-ticket") and not p.has("print")
