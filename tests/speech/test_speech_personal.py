"""What a screen shows of the person, found in its plain text: typed values (however the screen
formats them again) and references become personal parts, masked on a loudspeaker."""

from __future__ import annotations

from kiosk.speech.personal import marked, personal_typed
from kiosk.speech.utterance import Part, Utterance, spoken_text, text


def said(parts: list[Part], *, private: bool, language: str = "fr") -> str:
    return spoken_text(Utterance(language, tuple(parts)), private_allowed=private)


def test_a_typed_phone_number_is_found_as_the_screen_groups_it_and_read_in_pairs_into_a_headset() -> None:
    parts = marked([text("Contact : 06 12 34 56 78.")], ["0612345678"])
    assert said(parts, private=False) == "Contact : information masquée."
    assert said(parts, private=True) == "Contact : 0 6, 12, 34, 56, 78."


def test_typed_names_are_found_whatever_their_case_the_longest_first_and_said_once_when_masked() -> None:
    parts = marked([text("Nom : ÈVE LEFÈVRE-MÜLLER, ou Lefèvre.")], ["Lefèvre", "Ève", "Lefèvre-Müller"])
    assert said(parts, private=False) == "Nom : information masquée, ou information masquée."
    assert "LEFÈVRE-MÜLLER" in said(parts, private=True)


def test_a_typed_value_inside_a_longer_word_is_not_taken_for_it() -> None:
    assert said(marked([text("Martinique")], ["Martin"]), private=False) == "Martinique"


def test_references_are_personal_even_when_nobody_typed_them() -> None:
    parts = marked([text("Référence RDV-K7QM-4P, numéro KXPT-4821.")])
    assert said(parts, private=False) == "Référence information masquée, numéro information masquée."
    assert said(parts, private=True) == "Référence R D V, K 7 Q M, 4 P, numéro K X P T, 4 8 2 1."


def test_a_queue_number_or_a_date_is_no_reference() -> None:
    assert said(marked([text("Ticket A012, le 2026-12-03")]), private=False) == "Ticket A012, le jeudi 3 décembre 2026"


def test_parts_already_of_a_kind_are_left_as_they_are() -> None:
    parts = [Part("A012", "reference", False), text("appelé")]
    assert marked(parts, ["A012"]) == parts


def test_what_was_searched_for_is_not_the_persons() -> None:
    fields = {"booking_search": "passeport", "city_query": "mairie", "booking_last_name": "Martin", "x": ""}
    assert personal_typed(fields) == ["Martin", ""]
    assert said(marked([text("Passeport : Martin")], personal_typed(fields)), private=False) == \
        "Passeport : information masquée"
