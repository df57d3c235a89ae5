"""The "display" profile and the [waiting_room] section: loaded, documented, mistakes said plainly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.waiting_room.chime import Chime, tone_samples

REPO = Path(__file__).resolve().parents[2]


def test_the_repository_file_documents_every_waiting_room_key_and_the_display_profile() -> None:
    text = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    section = text.split("\n[waiting_room]\n", 1)[1].split("\n\n\n", 1)[0]
    for key in ("calls_shown", "chime", "languages", "poll_wait_s"):
        assert f"\n{key} = " in section, key
    assert '"display"' in text.split("\n[terminal]\n", 1)[1].split("\n[location]\n", 1)[0]
    cfg = load_config(REPO / "kiosk.toml", {"terminal.profile": "display"})
    assert cfg.terminal.profile == "display"
    assert (cfg.waiting_room.calls_shown, cfg.waiting_room.chime, cfg.waiting_room.languages,
            cfg.waiting_room.poll_wait_s) == (6, True, ("fr", "en"), 20)


@pytest.mark.parametrize(("key", "value", "words"), [
    ("waiting_room.calls_shown", 0, "must be at least 1"),
    ("waiting_room.poll_wait_s", 60, "must be at most 25"),
    ("waiting_room.languages", ["fr", "de"], "'de' not available"),
    ("waiting_room.languages", ["fr", "fr"], "more than once"),
    ("waiting_room.chime", "oui", "true or false"),
    ("terminal.profile", "wall", 'must be one of "street", "counter", "display"'),
])
def test_a_wrong_value_gets_one_plain_line(key: str, value: object, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "kiosk.toml", {key: value})
    lines = info.value.problems
    assert len(lines) == 1 and key in lines[0] and words in lines[0], lines


def test_an_unknown_key_in_the_section_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "kiosk.toml", {"waiting_room.voice": "x"})
    assert any("waiting_room.voice" in line for line in info.value.problems)


def test_the_chime_is_a_short_two_note_sound_in_16_bits() -> None:
    samples = tone_samples(22050, 2)
    assert len(samples) == 2 * int(22050 * 0.45) + 2 * int(22050 * 0.75)
    assert max(samples) < 32767 * 0.55 and min(samples) > -32767 * 0.55 and max(samples) > 1000


def test_the_chime_rings_through_the_mixer() -> None:
    chime = Chime(enabled=True)          # SDL_AUDIODRIVER=dummy: a mixer without a sound card
    assert chime.ring() and chime.rung == 1 and chime.silent_reason is None


def test_without_an_audio_device_the_display_stays_silent_and_says_why_once(monkeypatch, caplog) -> None:
    import pygame

    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-driver")
    was_open = pygame.mixer.get_init() is not None
    pygame.mixer.quit()
    try:
        chime = Chime(enabled=True)
        with caplog.at_level(logging.WARNING, logger="kiosk.waiting_room.chime"):
            assert not chime.ring() and not chime.ring()
        assert chime.silent_reason is not None and chime.silent_reason.startswith("no audio device")
        assert len([r for r in caplog.records if "silent" in r.getMessage()]) == 1
    finally:
        monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
        if was_open:
            pygame.mixer.init()


def test_a_chime_turned_off_never_opens_the_mixer() -> None:
    chime = Chime(enabled=False)
    assert not chime.ring() and chime.silent_reason is not None and "chime = false" in chime.silent_reason
