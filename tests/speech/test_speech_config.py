"""The [speech] section: documented defaults, and one plain line for each mistake."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]


def test_the_repository_file_documents_every_speech_key_with_its_default() -> None:
    text = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    section = text.split("\n[speech]\n", 1)[1].split("\n\n\n", 1)[0]
    for key in ("enabled", "start", "engine", "voices", "rate_wpm", "volume", "output", "headset_switch",
                "start_on_headset"):
        assert f"\n{key} = " in section, key
    assert "\n# device = " in section
    speech = load_config(REPO / "kiosk.toml").speech
    assert (speech.enabled, speech.engine, speech.voices.fr, speech.voices.en, speech.rate_wpm, speech.volume,
            speech.output, speech.device) == (False, "espeak-ng", "fr", "en", 160, 60, "loudspeaker", None)
    assert (speech.start, speech.headset_switch, speech.start_on_headset) == ("on_request", "auto", True)
    assert not speech.on_from_start and speech.jack_path is None     # speech not offered: nothing read


def test_a_terminal_may_set_every_key() -> None:
    speech = load_config(REPO / "kiosk.toml", {
        "speech.enabled": True, "speech.voices": {"fr": "fr-be", "en": "en-us+f3"}, "speech.rate_wpm": 200,
        "speech.volume": 80, "speech.output": "both", "speech.device": "USB Audio Device Analog Stereo"}).speech
    assert (speech.enabled, speech.voices.fr, speech.voices.en, speech.rate_wpm, speech.volume, speech.output,
            speech.device) == (True, "fr-be", "en-us+f3", 200, 80, "both", "USB Audio Device Analog Stereo")


def test_what_starts_speech_and_where_the_jack_is_read() -> None:
    def speech(**keys: object):
        return load_config(REPO / "kiosk.toml", {f"speech.{k}": v for k, v in keys.items()}).speech

    assert speech(enabled=True, start="always").on_from_start
    assert not speech(enabled=False, start="always").on_from_start       # not offered: never on
    assert not speech(enabled=True).on_from_start                        # on request only
    assert speech(enabled=True).jack_path is None                        # a loudspeaker has no jack to watch
    assert speech(enabled=True, output="both").jack_path == "auto"
    assert speech(enabled=True, output="headset", headset_switch="/dev/input/event5").jack_path == "/dev/input/event5"
    assert speech(enabled=True, output="both", headset_switch="none").jack_path is None


def test_one_voice_given_keeps_the_other_default() -> None:
    speech = load_config(REPO / "kiosk.toml", {"speech.voices": {"fr": "fr-ch"}}).speech
    assert (speech.voices.fr, speech.voices.en) == ("fr-ch", "en")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("speech.enabled", "yes", "must be true or false"),
    ("speech.engine", "festival", 'must be one of "espeak-ng"'),
    ("speech.rate_wpm", 60, "must be at least 80"),
    ("speech.rate_wpm", 500, "must be at most 450"),
    ("speech.rate_wpm", "160", "write it without quotes"),
    ("speech.volume", 0, "must be at least 10"),
    ("speech.volume", 120, "must be at most 100"),
    ("speech.output", "speakers", 'must be one of "headset", "loudspeaker", "both"'),
    ("speech.device", "", "must not be empty"),
    ("speech.voices", "fr", "must be a section written [speech.voices]"),
    ("speech.voices.fr", "French voice", "must be an espeak-ng voice name such as"),
    ("speech.voices.de", "de", "unknown key (allowed here: fr, en)"),
    ("speech.start", "never", 'must be one of "on_request", "always"'),
    ("speech.headset_switch", "event5", 'must be "auto", "none" or a path under /dev/input/'),
    ("speech.headset_switch", "", "must not be empty"),
    ("speech.start_on_headset", "yes", "must be true or false"),
])
def test_a_wrong_value_gets_one_plain_line(key: str, value: object, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "kiosk.toml", {key: value})
    lines = info.value.problems
    assert len(lines) == 1 and key in lines[0] and words in lines[0], lines


def test_an_unknown_key_in_the_section_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "kiosk.toml", {"speech.pitch": 50})
    assert any("speech.pitch" in line and "unknown key" in line for line in info.value.problems)


def test_speech_on_without_a_sound_card_the_kiosk_runs_and_says_why_once(make_pilot, caplog) -> None:
    with caplog.at_level(logging.INFO):
        pilot = make_pilot(overrides={"speech.enabled": True})
        speaker = pilot.app.speech
        assert speaker is not None and speaker.player.wait_ready()
        assert speaker.silent_reason is not None and "dummy" in speaker.silent_reason
        pilot.tap(text="Prendre rendez-vous")
        pilot.settle()
        speaker.volume_up()
        pilot.app.end_visit("test")
        pilot.settle()
        assert speaker.volume == 60 and pilot.app.nav.current is not None
    silent = [r for r in caplog.records if "speech is silent" in r.getMessage()]
    assert len(silent) == 1


def test_speech_off_starts_no_player(pilot) -> None:
    assert pilot.app.speech is None
