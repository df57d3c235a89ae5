"""The speaker over the real player and espeak-ng, heard through the recording twin:
stopping cuts, the next utterance interrupts, volume stays within bounds, a visit's end resets."""

from __future__ import annotations

import logging
import threading

import pytest

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from drivers.audio.pcm import peak
from drivers.audio.player import SpeechPlayer
from drivers.audio.sdl_output import SdlOutput
from drivers.audio.synthesizer import SpeechRequest
from kiosk.config import SpeechConfig
from kiosk.events import SPEECH_ENDED
from kiosk.speech.speaker import VOLUME_RANGE, Speaker, make_speaker
from kiosk.speech.utterance import Utterance, name, reference

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")

LONG = Utterance.of("fr", "Les horaires de la mairie sont affichés à l'entrée du bâtiment. " * 6)
SHORT = Utterance.of("fr", "Accueil.")


class Ended:
    """The SPEECH_ENDED events the player posts, collected from its thread."""

    def __init__(self) -> None:
        self.events: list[dict[str, object]] = []
        self._changed = threading.Condition()

    def __call__(self, event_type: int, **attrs: object) -> bool:
        assert event_type == SPEECH_ENDED
        with self._changed:
            self.events.append(attrs)
            self._changed.notify_all()
        return True

    def how(self, number: int) -> list[object]:
        with self._changed:
            return [e["how"] for e in self.events if e["number"] == number]

    def wait_for(self, number: int, timeout: float = 10.0) -> list[object]:
        with self._changed:
            assert self._changed.wait_for(lambda: any(e["number"] == number for e in self.events), timeout)
        return self.how(number)


@pytest.fixture
def heard():
    """A speaker with speech on, playing four times faster than real time into a recording twin
    (a long utterance still lasts seconds: stopping it falls mid-sentence); and what it posts."""
    made: list[Speaker] = []

    def factory(**settings: object) -> tuple[Speaker, RecordingOutput, Ended]:
        output, ended = RecordingOutput(pace=4.0), Ended()
        speaker = make_speaker(SpeechConfig(enabled=True, start="always", **settings), output=output, post=ended)
        assert speaker.player.wait_ready() and speaker.silent_reason is None
        made.append(speaker)
        return speaker, output, ended

    yield factory
    for speaker in made:
        speaker.close()


def whole_length(text: str) -> int:
    return len(EspeakSynthesizer().render(SpeechRequest(text, "fr", 160))[1])


def test_stop_after_the_first_chunk_cuts_the_utterance(heard) -> None:
    speaker, output, ended = heard()
    words = speaker.say(LONG)
    take = output.wait_for(speaker.last_number, heard=True)
    speaker.stop()
    take = output.wait_for(speaker.last_number, ended=True)
    assert take.ended == "cut"
    assert 0 < len(take.samples) < whole_length(words) / 4
    assert ended.wait_for(speaker.last_number) == ["cut"] and not speaker.player.speaking


def test_the_next_utterance_interrupts_the_one_being_said(heard) -> None:
    speaker, output, ended = heard()
    first_words = speaker.say(LONG)
    first = speaker.last_number
    output.wait_for(first, heard=True)
    speaker.say(SHORT)
    second = output.wait_for(speaker.last_number, ended=True)
    old = output.take(first)
    assert old is not None and old.ended == "cut" and len(old.samples) < whole_length(first_words) / 4
    assert second.ended == "finished" and second.seconds > 0.3
    assert ended.how(first) == ["cut"] and ended.how(speaker.last_number) == ["finished"]


def test_news_said_without_interrupting_waits_for_the_end_of_what_is_being_said(heard) -> None:
    """« Ticket imprimé » comes by itself while the screen is read: said after it, not over it;
    a second piece of news replaces the first one still waiting; a key (interrupting) cuts both."""
    speaker, output, ended = heard()
    speaker.say(SHORT)
    reading = speaker.last_number
    output.wait_for(reading, heard=True)
    speaker.say(Utterance.of("fr", "Une première nouvelle."), interrupt=False)
    replaced = speaker.last_number
    speaker.say(Utterance.of("fr", "Votre ticket est imprimé."), interrupt=False)
    news = speaker.last_number
    assert output.wait_for(news, ended=True).ended == "finished"
    assert output.take(reading).ended == "finished"          # heard whole, not cut
    assert ended.how(replaced) == ["cut"] and output.take(replaced) is None
    speaker.say(LONG)
    long_one = speaker.last_number
    output.wait_for(long_one, heard=True)
    speaker.say(Utterance.of("fr", "Plus tard."), interrupt=False)
    waiting = speaker.last_number
    speaker.say(SHORT)                                        # the next action: cuts what plays and what waits
    assert output.wait_for(speaker.last_number, ended=True).ended == "finished"
    assert output.take(long_one).ended == "cut" and ended.how(waiting) == ["cut"]


def test_news_never_replaces_a_reading_that_has_not_started_yet() -> None:
    """The done screen's reading was asked for, the player's thread had not taken it yet (a
    loaded machine), and « ticket imprimé » came: the news waits behind the reading, it does
    not replace it — the person must hear the confirmation and the reference."""
    output, ended = RecordingOutput(), Ended()
    player = SpeechPlayer(EspeakSynthesizer(), output, post=ended)      # its thread not started yet
    voice = SpeechConfig().voices.fr
    try:
        reading = player.play(SpeechRequest("Votre rendez-vous est pris.", voice, 160))
        first_news = player.play(SpeechRequest("Impression.", voice, 160), interrupt=False)
        news = player.play(SpeechRequest("Votre ticket est imprimé.", voice, 160), interrupt=False)
        player.start()
        assert ended.wait_for(news) == ["finished"]
        assert ended.how(reading) == ["finished"] and ended.how(first_news) == ["cut"]   # newer news replaced it
        assert output.take(reading).samples and output.take(first_news) is None
        assert output.take(reading).first_sample_at < output.take(news).first_sample_at   # in that order
        key = player.play(SpeechRequest("Accueil.", voice, 160))           # a key still cuts everything
        assert ended.wait_for(key) == ["finished"]
    finally:
        player.close()


def test_quick_presses_queue_nothing_the_last_one_is_said(heard) -> None:
    speaker, output, ended = heard()
    numbers = []
    for _ in range(20):
        speaker.say(LONG)
        numbers.append(speaker.last_number)
    speaker.say(SHORT)
    last = output.wait_for(speaker.last_number, ended=True)
    assert last.ended == "finished"
    said_whole = [t.number for t in output.takes if t.ended == "finished"]
    assert said_whole == [speaker.last_number]
    assert all(ended.how(n) == ["cut"] for n in numbers)   # each dropped or cut, each said so once


def test_repeat_says_the_last_utterance_again(heard) -> None:
    speaker, output, _ = heard()
    assert speaker.repeat() is None
    words = speaker.say(SHORT)
    first = output.wait_for(speaker.last_number, ended=True)
    assert speaker.repeat() == words
    again = output.wait_for(speaker.last_number, ended=True)
    assert again.number != first.number and len(again.samples) == len(first.samples)


def test_volume_moves_by_steps_within_bounds_and_is_heard(heard) -> None:
    speaker, output, _ = heard(volume=100)
    assert speaker.volume_up() == 100
    speaker.say(SHORT)
    loud = output.wait_for(speaker.last_number, ended=True)
    for _ in range(20):
        speaker.volume_down()
    assert speaker.volume == VOLUME_RANGE[0] == 10
    speaker.say(SHORT)
    quiet = output.wait_for(speaker.last_number, ended=True)
    assert peak(bytes(quiet.samples)) == pytest.approx(peak(bytes(loud.samples)) * 0.01, abs=2)
    assert speaker.volume_up() == 20


def test_the_end_of_a_visit_brings_back_the_terminals_defaults(heard) -> None:
    speaker, output, _ = heard(volume=60)
    speaker.volume_up()
    speaker.say(Utterance.of("fr", "Votre référence", reference("RDV-K7QM-4P")))
    output.wait_for(speaker.last_number, heard=True)
    speaker.end_visit()
    assert speaker.volume == 60 and speaker.player.volume == 60
    assert speaker.repeat() is None                      # the next person cannot replay it
    assert output.wait_for(speaker.last_number, ended=True).ended == "cut"


def test_the_loudspeaker_hears_no_name(heard) -> None:
    speaker, _, _ = heard(output="loudspeaker")
    assert speaker.say(Utterance.of("fr", "Bonjour", name("Martin"))) == "Bonjour information masquée"
    headset, _, _ = heard(output="headset")
    assert headset.say(Utterance.of("fr", "Bonjour", name("Martin"))) == "Bonjour Martin"


def test_english_uses_the_english_voice(heard) -> None:
    speaker, output, _ = heard(voices={"fr": "fr", "en": "en-us"})
    speaker.say(Utterance.of("en", "Your appointment is at 9:30 am."))
    take = output.wait_for(speaker.last_number, ended=True)
    assert take.ended == "finished" and take.seconds > 1.0


def test_the_sdl_output_plays_through_the_mixer() -> None:
    """SDL's dummy driver (the tests') plays nothing, yet goes through the real mixer calls."""
    ended = Ended()
    player = SpeechPlayer(EspeakSynthesizer(), SdlOutput(allow_dummy=True), post=ended).start()
    try:
        assert player.wait_ready() and player.silent_reason is None
        number = player.play(SpeechRequest("Bonjour, ceci est un essai.", "fr"))
        stopped = player.play(SpeechRequest("Les horaires de la mairie. " * 10, "fr"))
        assert ended.wait_for(number) == ["cut"]
        player.stop_speaking()
        assert ended.wait_for(stopped) == ["cut"]
    finally:
        player.close()


def test_without_an_audio_device_speech_is_silent_and_says_why_once(caplog) -> None:
    ended = Ended()
    with caplog.at_level(logging.WARNING, logger="drivers.audio.player"):
        speaker = make_speaker(SpeechConfig(enabled=True, start="always"), post=ended)   # SDL_AUDIODRIVER=dummy
        try:
            assert speaker.player.wait_ready()
            assert speaker.silent_reason is not None and "dummy" in speaker.silent_reason
            assert speaker.say(SHORT) == "Accueil."
            first = speaker.last_number
            speaker.say(SHORT)
            assert ended.wait_for(speaker.last_number) == ["silent"]
            assert ended.how(first) in (["silent"], ["cut"])
        finally:
            speaker.close()
    silent = [r for r in caplog.records if "speech is silent" in r.getMessage()]
    assert len(silent) == 1 and "dummy" in silent[0].getMessage()


def test_an_utterance_too_long_for_the_engine_is_cut_at_a_word_and_the_log_says_how_long(heard, caplog) -> None:
    speaker, _, ended = heard()
    with caplog.at_level(logging.WARNING, logger="kiosk.speech.speaker"):
        words = speaker.say(Utterance.of("fr", "Martin habite ici. " * 300))
    assert words is not None and len(words) <= 4000 and words.endswith("ici.")
    assert [r.getMessage() for r in caplog.records] == ["an utterance of 5699 characters was cut to 4000"]
    speaker.stop()
    assert ended.wait_for(speaker.last_number) == ["cut"]
