"""Speech benchmarks: how soon a person hears something after the kiosk decides to speak.

``speech_first_sample``: from ``Speaker.say()`` (on the calling thread, as the UI thread will
call it) to the first audio sample handed to the output, through the real player thread and a
real espeak-ng process, into the recording twin (which takes samples as fast as they come, so
nothing but our work and the engine's is measured; a sound card adds its own buffer, about
23 ms at the mixer's 512 samples). The utterance is a screen's title and content, about 160
characters. Issue 15: median ≤ 150 ms.

``speech_screen``: from a screen change (a navigation push or pop, in the real app, headless)
to the first sample of the screen read aloud: the screen is built and laid out, the reader
reads it (title, content, actions), the speaker masks and verbalises it, espeak-ng starts; the
frame is drawn meanwhile, as in the main loop. Home ↔ « Essayer l'écran tactile ». Issue 15:
median ≤ 150 ms.

``speech_engine_start`` (for information): espeak-ng alone, from starting its process to its
first samples, on the calling thread: the engine's share of the figure above.

The two figures for information compare streaming with writing a whole WAV first, on a long
text (about 1 250 characters, a page of opening hours read aloud): ``speech_long_streamed``
is the same first-sample time as above for that text, ``speech_long_whole_wav`` the time
espeak-ng takes to render all of it, which is what a person would wait in silence if the
kiosk played a finished WAV file.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from kiosk.devtools.bench import BenchmarkError, Session, benchmark, summarize

if TYPE_CHECKING:
    from drivers.audio.outputs import RecordingOutput
    from kiosk.speech.speaker import Speaker
    from kiosk.speech.utterance import Utterance

SCREEN = ("Prendre rendez-vous. Choisissez un service : état civil, urbanisme, élections. "
          "Ouvert aujourd'hui de 9 h à 12 h et de 14 h à 17 h 30. Touchez un service pour continuer.")
LONG = " ".join(f"Le {day}, la mairie annexe est ouverte de 9 h à 12 h 30 et de 13 h 30 à 17 h ; "
                f"l'accueil téléphonique répond au 02 41 39 52 10." for day in
                ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lundi de Pâques"))


def _speaker() -> tuple[Speaker, RecordingOutput]:
    from drivers.audio.espeak import EspeakSynthesizer
    from drivers.audio.outputs import RecordingOutput
    from kiosk.config import SpeechConfig
    from kiosk.speech.speaker import make_speaker

    if not EspeakSynthesizer().is_usable():
        raise BenchmarkError(EspeakSynthesizer().unusable_reason())
    output = RecordingOutput()
    speaker = make_speaker(SpeechConfig(enabled=True, start="always"), output=output, post=lambda *a, **k: True)
    if not speaker.player.wait_ready() or speaker.silent_reason:
        speaker.close()
        raise BenchmarkError(f"the speech player did not start: {speaker.silent_reason}")
    return speaker, output


def _first_sample_ms(utterance: Utterance, count: int) -> list[float]:
    speaker, output = _speaker()
    try:
        samples = []
        for i in range(count + 2):   # the first two warm the page cache for espeak-ng's voice data
            t0 = time.perf_counter()
            speaker.say(utterance)
            take = output.wait_for(speaker.last_number, heard=True)
            assert take.first_sample_at is not None
            if i >= 2:
                samples.append((take.first_sample_at - t0) * 1000)
            output.wait_for(speaker.last_number, ended=True)
        return samples
    finally:
        speaker.close()


@benchmark("speech_first_sample", "median ≤ 150 ms", title="speech: say() to the first sample (160 characters)",
           judged_on="median_ms", limit=150)
def speech_first_sample(session: Session) -> dict[str, Any]:
    """20 utterances (quick mode), 100 otherwise, one after the other."""
    from kiosk.speech.utterance import Utterance

    return summarize(_first_sample_ms(Utterance.of("fr", SCREEN), 20 if session.quick else 100), "ms")


@benchmark("speech_engine_start", "for information", title="speech: espeak-ng start to its first samples")
def speech_engine_start(session: Session) -> dict[str, Any]:
    from drivers.audio.espeak import EspeakSynthesizer
    from drivers.audio.synthesizer import SpeechRequest

    synth = EspeakSynthesizer()
    if not synth.is_usable():
        raise BenchmarkError(synth.unusable_reason())
    request = SpeechRequest("Prendre rendez-vous.", "fr", 160)
    samples = []
    for i in range(22 if session.quick else 102):
        t0 = time.perf_counter()
        with synth.start(request) as synthesis:
            next(synthesis.raw_chunks())
            if i >= 2:
                samples.append((time.perf_counter() - t0) * 1000)
    return summarize(samples, "ms")


@benchmark("speech_long_streamed", "for information", title="speech: say() to the first sample (1 250 characters)")
def speech_long_streamed(session: Session) -> dict[str, Any]:
    from kiosk.speech.utterance import Utterance

    return summarize(_first_sample_ms(Utterance.of("fr", LONG), 10 if session.quick else 30), "ms")


@benchmark("speech_long_whole_wav", "for information", title="speech: espeak-ng renders 1 250 characters whole")
def speech_long_whole_wav(session: Session) -> dict[str, Any]:
    """What playing a finished WAV would make a person wait: the whole render, then the audio's length."""
    from drivers.audio.espeak import EspeakSynthesizer
    from drivers.audio.synthesizer import SpeechRequest
    from kiosk.speech.verbalise import verbalise

    synth = EspeakSynthesizer()
    if not synth.is_usable():
        raise BenchmarkError(synth.unusable_reason())
    request = SpeechRequest(verbalise(LONG, "fr"), "fr", 160)
    samples, seconds = [], 0.0
    for _ in range(10 if session.quick else 30):
        t0 = time.perf_counter()
        fmt, pcm = synth.render(request)
        samples.append((time.perf_counter() - t0) * 1000)
        seconds = fmt.seconds(len(pcm))
    return {**summarize(samples, "ms"), "audio_s": round(seconds, 2), "characters": len(request.text)}


@benchmark("speech_screen", "median ≤ 150 ms", title="speech: screen change to the first sample of it read",
           judged_on="median_ms", limit=150)
def speech_screen(session: Session) -> dict[str, Any]:
    """20 screen changes (quick mode), 100 otherwise, home and the toolkit demo in turn."""
    from drivers.audio.espeak import EspeakSynthesizer
    from drivers.audio.outputs import RecordingOutput
    from kiosk import i18n
    from kiosk.clock import ManualClock
    from kiosk.config import REPO_CONFIG_PATH, SpeechConfig, load_config
    from kiosk.devtools.bench.app_benchmarks import _headless_in_process
    from kiosk.devtools.pilot import Pilot
    from kiosk.shell.app import App
    from kiosk.speech.speaker import make_speaker
    from screens.shell.toolkit_demo import ToolkitDemoScreen

    if not EspeakSynthesizer().is_usable():
        raise BenchmarkError(EspeakSynthesizer().unusable_reason())
    count = 20 if session.quick else 100
    samples: list[float] = []
    characters: list[int] = []
    with _headless_in_process():
        app = App(load_config(REPO_CONFIG_PATH, {}), clock=ManualClock(), demo=True, size=(1080, 1920),
                  rotation=0, fullscreen=False)
        try:
            app.start()
            Pilot(app).settle()
            output = RecordingOutput()
            app.speech = speaker = make_speaker(SpeechConfig(enabled=True), output=output,
                                                post=lambda *a, **k: True)
            if not speaker.player.wait_ready() or speaker.silent_reason:
                raise BenchmarkError(f"the speech player did not start: {speaker.silent_reason}")
            app.guidance.record(True)
            for i in range(count + 2):     # the first two warm espeak-ng's voice data and the fonts
                before = speaker.last_number
                t0 = time.perf_counter()
                if i % 2 == 0:
                    app.nav.push(ToolkitDemoScreen(app))
                else:
                    app.nav.pop()
                app.step()
                if speaker.last_number == before:
                    raise BenchmarkError("the screen change said nothing")
                take = output.wait_for(speaker.last_number, heard=True)
                assert take.first_sample_at is not None
                if i >= 2:
                    samples.append((take.first_sample_at - t0) * 1000)
                    assert speaker.last is not None
                    characters.append(len(speaker.words_for(speaker.last)))
                speaker.stop()
                output.wait_for(speaker.last_number, ended=True)
        finally:
            app.stop()
            i18n.set_language("fr")
    return {**summarize(samples, "ms"), "characters_median": sorted(characters)[len(characters) // 2]}
