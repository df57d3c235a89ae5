"""Text made for the ear: what the screens write, as a person says it (pure functions, by table)."""

from __future__ import annotations

import pytest

from kiosk.speech.verbalise import (
    email_aloud,
    phone_in_pairs,
    spelled,
    verbalise,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("written", "said"), [
    # times as kiosk.formatting writes them (no-break spaces), and as people type them
    (f"9{NBSP}h{NBSP}30", "9 heures 30"),
    ("9h30", "9 heures 30"),
    ("12 h", "12 heures"),
    ("Ouvert de 12 h à 14 h", "Ouvert de 12 heures à 14 heures"),
    ("1 h 05", "une heure 5"),
    ("0 h 05", "zéro heure 5"),
    ("21 h", "vingt-et-une heures"),
    ("9 h 00", "9 heures"),
    ("9 habitants", "9 habitants"),
    ("25 h 30", "25 h 30"),
    # dates
    ("mardi 3 décembre 2026", "mardi 3 décembre 2026"),
    ("le 03/12/2026", "le jeudi 3 décembre 2026"),
    ("01/12/2026", "mardi 1er décembre 2026"),
    ("2026-12-03", "jeudi 3 décembre 2026"),
    ("31/02/2026", "31/02/2026"),
    # references and tracking codes, letter by letter
    ("Référence RDV-K7QM-4P", "Référence R D V, K 7 Q M, 4 P"),
    ("RDV-QXNG-SR", "R D V, Q X N G, S R"),
    ("code ABCD-1234.", "code A B C D, 1 2 3 4."),
    ("Saint-Jean", "Saint-Jean"),
    # phone numbers by pairs
    ("Tél. 02 41 39 52 10", "Tél. 0 2, 41, 39, 52, 10"),
    ("02.41.39.52.10", "0 2, 41, 39, 52, 10"),
    ("+33 2 41 39 52 10", "+33, 2, 41, 39, 52, 10"),
    ("3939", "3939"),
    # n°, euros, units, numbers
    ("n° 12", "numéro 12"),
    ("N°12", "numéro 12"),
    ("12,50 €", "12 euros 50"),
    (f"12,50{NBSP}€", "12 euros 50"),
    ("1 €", "1 euro"),
    ("0,50 €", "50 centimes"),
    ("2,5 €", "2 euros 50"),
    ("0 min", "0 minute"),
    (f"15{NBSP}min à pied, 350{NBSP}m", "15 minutes à pied, 350 mètres"),
    (f"1,2{NBSP}km", "1,2 kilomètres"),
    (f"12{NNBSP}345 habitants", "12345 habitants"),
    ("« Prendre rendez-vous »", "Prendre rendez-vous"),
    ("Touchez « Aide », en bas.", "Touchez Aide, en bas."),
    ("● jours libres. • Photo d'identité", "jours libres. Photo d'identité"),
    ("  deux   espaces ", "deux espaces"),
])
def test_french_as_it_is_said(written: str, said: str) -> None:
    assert verbalise(written, "fr") == said


@pytest.mark.parametrize(("written", "said"), [
    (f"9:30{NBSP}am", "9 30 a m"),
    (f"2:00{NBSP}pm", "2 p m"),
    ("12:05 am", "12 oh 5 a m"),
    ("14:00", "14 o'clock"),
    ("9 h 30", "9 30"),                     # the town's French hours left in an English page
    (f"1{NBSP}h 30{NBSP}min", "1 hour 30 minutes"),
    ("2 h", "2 hours"),
    ("03/12/2026", "Thursday 3 December 2026"),
    ("Reference RDV-K7QM-4P", "Reference R D V, K 7 Q M, 4 P"),
    ("No. 12", "number 12"),
    ("n° 12", "number 12"),
    ("€12.50", "12 euros 50"),
    ("0,05 €", "5 cents"),
    ("1 min", "1 minute"),
    ("0 min", "0 minutes"),
    ("350 m", "350 metres"),
])
def test_english_as_it_is_said(written: str, said: str) -> None:
    assert verbalise(written, "en") == said


@pytest.mark.parametrize(("reference", "said"), [
    ("RDV-K7QM-4P", "R D V, K 7 Q M, 4 P"),
    ("rdv-k7qm-4p", "R D V, K 7 Q M, 4 P"),
    ("ABCD-1234", "A B C D, 1 2 3 4"),
    ("A012", "A 0 1 2"),
])
def test_a_reference_is_spelled_group_by_group(reference: str, said: str) -> None:
    assert spelled(reference) == said


@pytest.mark.parametrize(("number", "said"), [
    ("06 12 34 56 78", "0 6, 12, 34, 56, 78"),
    ("0612345678", "0 6, 12, 34, 56, 78"),
    ("+33 6 12 34 56 78", "+33, 6, 12, 34, 56, 78"),
    ("115", "11, 5"),
])
def test_a_phone_number_is_said_in_pairs(number: str, said: str) -> None:
    assert phone_in_pairs(number) == said


def test_an_email_address_is_said_with_its_signs_in_words() -> None:
    assert email_aloud("jean.dupont-2@ville.fr", "fr") == "jean point dupont tiret 2 arobase ville point fr"
    assert email_aloud("jean_dupont@ville.fr", "en") == "jean underscore dupont at ville dot fr"


def test_a_language_without_rules_is_refused_plainly() -> None:
    with pytest.raises(ValueError, match="no spoken rules for language 'de'"):
        verbalise("9 h 30", "de")
