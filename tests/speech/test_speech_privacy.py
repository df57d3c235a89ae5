"""Personal parts are spoken into a headset only; on a loudspeaker they are « information masquée »."""

from __future__ import annotations

import pytest

from kiosk.speech.privacy import private_allowed
from kiosk.speech.utterance import Utterance, email, name, phone, pin_digit, reference, spoken_text

BOOKING = Utterance.of("fr", "Rendez-vous au nom de", name("Martin"), ", référence", reference("RDV-K7QM-4P"),
                       ", le 03/12/2026 à 9 h 30.")


@pytest.mark.parametrize(("output", "plugged", "allowed"), [
    ("headset", None, True),
    ("loudspeaker", None, False),
    ("loudspeaker", True, False),
    ("both", None, False),       # the jack is not detected yet: masked, the safe side
    ("both", False, False),
    ("both", True, True),
])
def test_personal_parts_reach_only_a_headset(output, plugged, allowed) -> None:
    assert private_allowed(output, plugged) is allowed


def test_on_a_headset_everything_is_said_for_the_ear() -> None:
    assert spoken_text(BOOKING, private_allowed=True) == (
        "Rendez-vous au nom de Martin, référence R D V, K 7 Q M, 4 P, le jeudi 3 décembre 2026 à 9 heures 30.")


def test_on_a_loudspeaker_names_and_references_are_masked() -> None:
    said = spoken_text(BOOKING, private_allowed=False)
    assert "Martin" not in said and "K 7" not in said
    assert said.count("information masquée") == 2
    assert said.endswith("le jeudi 3 décembre 2026 à 9 heures 30.")


def test_masked_parts_in_a_row_are_said_once_and_in_the_visit_language() -> None:
    contact = Utterance.of("en", "Your details:", name("Jeanne Martin"), email("j.martin@example.fr"),
                           phone("06 12 34 56 78"))
    assert spoken_text(contact, private_allowed=False) == "Your details: hidden information"
    assert spoken_text(contact, private_allowed=True) == (
        "Your details: Jeanne Martin j dot martin at example dot fr 0 6, 12, 34, 56, 78")


def test_pin_digits_are_always_private_and_the_towns_phone_never() -> None:
    typed = Utterance.of("fr", "Vous avez tapé", pin_digit("7"))
    assert typed.has_private_parts and spoken_text(typed, private_allowed=False) == "Vous avez tapé information masquée"
    town = Utterance.of("fr", "Appelez la mairie au", phone("02 41 39 52 10", personal=False))
    assert not town.has_private_parts
    assert spoken_text(town, private_allowed=False) == "Appelez la mairie au 0 2, 41, 39, 52, 10"


def test_an_utterance_in_a_language_without_speech_is_refused() -> None:
    with pytest.raises(ValueError, match="no speech in language 'de'"):
        Utterance.of("de", "Hallo")
