"""Real synthesis: espeak-ng renders French and English to WAV files of a plausible length."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from drivers.audio import make_synthesizer
from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.pcm import PcmFormat, WavHeaderError, converted, peak, scaled, wav_header
from drivers.audio.synthesizer import SpeechRequest, SynthesisError
from kiosk.speech.verbalise import verbalise

RATE = 160
# Seconds per character of text at 160 words per minute: speech runs at about 12 to 16
# characters a second; the bounds leave room for pauses at commas and for short texts.
PER_CHAR = (0.04, 0.3)

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")


def _wav_seconds(path: Path) -> tuple[float, wave.Wave_read]:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate(), wav


@pytest.mark.parametrize(("language", "voice", "text"), [
    ("fr", "fr", "Votre rendez-vous est le 03/12/2026 à 9 h 30, à la mairie annexe."),
    ("en", "en", "Your appointment is on 03/12/2026 at 9:30 am, at the town hall annex."),
    ("fr", "fr", "Bonjour."),
])
def test_a_sentence_renders_to_a_wav_file_of_plausible_length(tmp_path, language, voice, text) -> None:
    said = verbalise(text, language)
    path = EspeakSynthesizer().render_wav(SpeechRequest(said, voice, RATE), tmp_path / "said.wav")
    seconds, wav = _wav_seconds(path)
    assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
    assert PER_CHAR[0] * len(said) <= seconds <= PER_CHAR[1] * len(said) + 0.5, (seconds, len(said))
    fmt, samples = EspeakSynthesizer().render(SpeechRequest(said, voice, RATE))
    assert fmt == PcmFormat(22050, 1) and peak(samples) > 3000   # sound, not silence


def test_a_faster_rate_says_the_same_text_in_less_time() -> None:
    text = "Prendre rendez-vous, suivre une demande, trouver un lieu."
    slow = len(EspeakSynthesizer().render(SpeechRequest(text, "fr", 120))[1])
    fast = len(EspeakSynthesizer().render(SpeechRequest(text, "fr", 300))[1])
    assert fast < slow * 0.6


def test_volume_scales_the_samples() -> None:
    synth = EspeakSynthesizer()
    loud = peak(synth.render(SpeechRequest("Bonjour", "fr", RATE, volume=100))[1])
    quiet = peak(synth.render(SpeechRequest("Bonjour", "fr", RATE, volume=50))[1])
    assert quiet == pytest.approx(loud * 0.25, rel=0.02)
    assert peak(synth.render(SpeechRequest("Bonjour", "fr", RATE, volume=0))[1]) == 0


def test_a_long_text_streams_its_first_chunk_before_the_rest_and_cancelling_cuts_it() -> None:
    text = "Les horaires de la mairie sont affichés à l'entrée. " * 12
    whole = len(EspeakSynthesizer().render(SpeechRequest(text, "fr", RATE))[1])
    with EspeakSynthesizer().start(SpeechRequest(text, "fr", RATE)) as synthesis:
        chunks = synthesis.raw_chunks()
        first = next(chunks)
        synthesis.cancel()
        rest = b"".join(chunks)
    assert 0 < len(first) < whole / 10
    assert len(first) + len(rest) < whole / 2


def test_an_unknown_voice_is_a_clear_error() -> None:
    with pytest.raises(SynthesisError, match="no sound for voice 'xx-nope'.*does not exist"):
        EspeakSynthesizer().render(SpeechRequest("Bonjour", "xx-nope", RATE))


def test_a_missing_engine_says_what_to_install() -> None:
    missing = EspeakSynthesizer(executable="espeak-ng-not-here")
    assert not missing.is_usable()
    assert "Debian package espeak-ng" in missing.unusable_reason()
    with pytest.raises(SynthesisError, match="not installed"):
        missing.start(SpeechRequest("Bonjour", "fr"))


def test_a_text_starting_with_a_dash_is_said_not_taken_for_an_option() -> None:
    fmt, samples = EspeakSynthesizer().render(SpeechRequest("-v en --help", "fr", RATE))
    assert fmt.seconds(len(samples)) > 0.3


@pytest.mark.parametrize(("request_args", "words"), [
    (("", "fr"), "nothing to say"),
    (("x" * 4001, "fr"), "at most 4000"),
    (("Bonjour", "fr", 40), "80 to 450"),
    (("Bonjour", "fr", 160, 101), "0 to 100"),
])
def test_a_request_out_of_bounds_is_refused(request_args, words) -> None:
    with pytest.raises(ValueError, match=words):
        SpeechRequest(*request_args)


def test_engines_are_picked_by_name() -> None:
    assert isinstance(make_synthesizer("espeak-ng"), EspeakSynthesizer)
    with pytest.raises(ValueError, match="unknown speech engine 'festival'"):
        make_synthesizer("festival")


def test_the_wav_stream_header_is_read_without_trusting_its_sizes() -> None:
    head = (b"RIFF\xff\xff\xff\x7fWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00\x44\xac\x00\x00"
            b"\x02\x00\x10\x00data\xff\xff\xff\x7f")
    assert wav_header(head[:20]) is None
    assert wav_header(head) == (PcmFormat(22050, 1), 44)
    with pytest.raises(WavHeaderError, match="not a WAV stream"):
        wav_header(b"ID3\x04" + bytes(40))


def test_samples_are_converted_for_a_mixer_opened_in_another_format() -> None:
    ramp = np.arange(-1000, 1000, 10, dtype="<i2").tobytes()            # 200 mono samples
    same = converted(ramp, PcmFormat(22050, 1), PcmFormat(22050, 1))
    assert same == ramp
    wide = np.frombuffer(converted(ramp, PcmFormat(22050, 1), PcmFormat(44100, 2)), dtype="<i2").reshape(-1, 2)
    assert len(wide) == 400 and (wide[:, 0] == wide[:, 1]).all()
    assert wide[0, 0] == -1000 and wide[-1, 0] == 990 and (np.diff(wide[:, 0]) >= 0).all()


def test_volume_keeps_an_odd_trailing_byte_and_silences_at_zero() -> None:
    chunk = np.array([1000, -2000], dtype="<i2").tobytes() + b"\x07"
    assert scaled(chunk, 100) == chunk
    assert np.frombuffer(scaled(chunk, 50)[:4], dtype="<i2").tolist() == [250, -500]
    assert scaled(chunk, 50)[-1:] == b"\x07" and peak(scaled(chunk, 0)) == 0
