"""« Écouter le ticket » on the screens that print (issue 15), through the real app, the real
speaker and espeak-ng into the recording output: the button only while speech is on, the ticket's
words when it is tapped (the time said, the reference masked on a loudspeaker and spelt into a
headset), and the offer to hear it once the ticket is printed."""

from __future__ import annotations

import threading

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
from kiosk.speech.ticket_aloud import ticket_utterance
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
    p.app.guidance.record(True)
    if p.screen is not None:      # a screen reached first shows its speech controls from now on
        p.screen.rebuild()
        p.settle()
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
    STATES["booking_done"]["printed"](p)
    speaker, recording = speech_on(p)
    assert p.screen.name == "booking_done"
    p.use("hear-ticket")
    words = said(speaker)
    masked = {"fr": "Référence : information masquée", "en": "Reference: hidden information"}[lang]
    assert words.startswith({"fr": "Votre ticket.", "en": "Your ticket."}[lang])
    assert spoken_time(p, lang) in words and masked in words
    assert spelled(TERMINAL_REFERENCE) not in words and TERMINAL_REFERENCE not in words
    take = recording.wait_for(speaker.last_number, heard=True)
    assert take.samples, "espeak-ng said nothing"


def test_hear_the_ticket_into_a_headset_spells_the_reference(seeded) -> None:
    p = seeded()
    STATES["booking_done"]["printed"](p)
    speaker, _ = speech_on(p, output="headset")
    p.use("hear-ticket")
    words = said(speaker)
    assert f"Référence : {spelled(TERMINAL_REFERENCE)}." in words and spoken_time(p, "fr") in words


def test_when_the_ticket_comes_out_speech_offers_to_read_it(seeded) -> None:
    p = seeded()
    STATES["booking_done"]["printed"](p)
    speaker, _ = speech_on(p)
    assert p.has("hear-ticket")
    screen = p.screen
    screen.print_state = ""                       # as before the first print
    screen.rebuild()
    p.use("print")
    settle_until(p, lambda: screen.print_state is PrintState.PRINTED)   # type: ignore[attr-defined]
    assert said(speaker) == ("Votre ticket est imprimé. Prenez-le sous l’écran. "
                             "Pour l’entendre, choisissez le bouton Écouter le ticket.")
    assert p.has("hear-ticket") and not p.has("print")
    p.use("hear-ticket")                          # the very ticket that was printed
    assert said(speaker) == speaker.words_for(ticket_utterance(screen.printing.document, "fr"))  # type: ignore[attr-defined]


def test_a_place_ticket_can_be_heard_once_printed_and_not_before(make_pilot, tmp_path) -> None:
    from city_support import SEEDED_AT, seeded_cache

    p = make_pilot(clock=ManualClock(SEEDED_AT))
    p.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    speaker, _ = speech_on(p)
    p.use("feature-city")
    p.use("city-search")
    p.type("médiathèque")
    p.use("result-place-0")
    assert p.has("place-print") and not p.has("hear-ticket")     # nothing printed yet: the screen says it all
    p.use("place-print")
    job = p.screen.printing.job                   # type: ignore[attr-defined]
    settle_until(p, lambda: job.state is PrintState.PRINTED)
    assert p.has("hear-ticket")
    assert said(speaker) == ("Votre ticket est imprimé. N’oubliez pas de le prendre. "
                             "Pour l’entendre, choisissez le bouton Écouter le ticket.")
    p.use("hear-ticket")
    words = said(speaker)
    assert words.startswith("Votre ticket. Médiathèque Louise-Bodin.")
    assert "Téléphone : 0 2, 41, 39, 52, 40." in words and "code QR" in words    # the town's number: not masked


def test_with_speech_off_a_printed_place_ticket_offers_no_hearing(make_pilot, tmp_path) -> None:
    from city_support import SEEDED_AT, seeded_cache

    p = make_pilot(clock=ManualClock(SEEDED_AT))
    p.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    p.use("feature-city")
    p.use("city-search")
    p.type("médiathèque")
    p.use("result-place-0")
    p.use("place-print")
    job = p.screen.printing.job                   # type: ignore[attr-defined]
    settle_until(p, lambda: job.state is PrintState.PRINTED)
    assert not p.has("hear-ticket") and p.app.speech is None


def test_a_walk_in_number_is_heard_as_it_will_be_called(make_pilot) -> None:
    from kiosk.devtools.screenshots import SHOT_TIME, data_for

    p = make_pilot(clock=ManualClock(SHOT_TIME), data=lambda config: data_for("walkin_number"))
    STATES["walkin_number"]["online"](p)
    speaker, _ = speech_on(p)
    job = p.screen.printing                          # type: ignore[attr-defined]
    settle_until(p, lambda: job.state is PrintState.PRINTED)   # its news said first, not after the tap
    number = p.widget("number").visible_text()      # « M012 » on screen and on paper
    p.use("hear-ticket")
    words = said(speaker)
    assert number.startswith("M0") and f"Votre numéro. M{int(number[1:])}." in words    # « M douze »
    assert "information masquée" not in words       # nothing personal on a queue ticket


def test_a_ticket_heard_before_it_is_out_is_not_offered_again(make_pilot, monkeypatch) -> None:
    """Asked for while the printer works: the reading is not cut by the printer's news, and the
    news then says only that the ticket is out — not « pour l'entendre… » right after hearing it."""
    from kiosk.devtools.screenshots import SHOT_TIME, data_for

    p = make_pilot(clock=ManualClock(SHOT_TIME), data=lambda config: data_for("walkin_number"))
    STATES["walkin_number"]["online"](p)
    speaker, recording = speech_on(p)
    screen = p.screen
    job = screen.printing                            # type: ignore[attr-defined]
    settle_until(p, lambda: job.state is PrintState.PRINTED)
    backend = p.app.devices.printer.backend          # a slow printer: the paper waits for the test
    paper_moves = threading.Event()
    write = backend.write
    monkeypatch.setattr(backend, "write", lambda data: (paper_moves.wait(20), write(data))[-1])
    job.state = PrintState("")                       # as before its first print …
    screen.rebuild()
    p.use("print")                                   # … sent again, and heard while it prints
    assert job.state is PrintState.PRINTING
    p.use("hear-ticket")
    reading = speaker.last_number
    assert said(speaker).startswith("Votre ticket. Saint-Clément-des-Vignes. Votre numéro.")
    paper_moves.set()
    settle_until(p, lambda: job.state is PrintState.PRINTED)
    p.settle()
    assert said(speaker) == "Votre ticket est imprimé. Prenez-le sous l’écran."
    take = recording.wait_for(reading, ended=True, timeout=20)
    assert take.ended == "finished", "the printer's news cut the ticket's reading"


def test_a_cancellation_slip_can_be_heard_once_printed(seeded) -> None:
    p = seeded()
    STATES["booking_cancel"]["cancelled"](p)
    speaker, _ = speech_on(p)
    job = p.screen.printing                       # type: ignore[attr-defined]
    settle_until(p, lambda: job.state is PrintState.PRINTED)   # its news said first, not after the tap
    assert p.has("hear-ticket")
    p.use("hear-ticket")
    words = said(speaker)
    assert words.startswith("Votre ticket.") and "Rendez-vous annulé." in words
    assert "Référence : information masquée." in words
