"""A booking reference typed from a ticket, read as printed (issue 14, defect 8: « rdvqxngsr »
went to the central API as RDVQXNGSR and matched nothing)."""

from __future__ import annotations

import pytest

from kiosk.api.references import ALPHABET, check_character, is_terminal_reference, terminal_reference
from kiosk.booking.cancel_check import normalised_reference, reference_typo


@pytest.mark.parametrize("typed, printed", [
    ("rdvqxngsr", "RDV-QXNG-SR"),
    ("RDV-QXNG-SR", "RDV-QXNG-SR"),
    (" rdv qxng sr ", "RDV-QXNG-SR"),
    ("rdv-qxngsr", "RDV-QXNG-SR"),
    ("RDV\u2013QXNG\u2013SR", "RDV-QXNG-SR"),     # a dash from a copied text
    ("dem4h8nt2", "DEM-4H8N-T2"),
    ("k7mq4hpxre", "K7M-Q4HP-XRE"),              # a terminal's own reference (issue 14, defect 1)
    ("K7M Q4HP XRE", "K7M-Q4HP-XRE"),
    ("k7m-q4hpxre", "K7M-Q4HP-XRE"),
    ("k-3f9a-0012", "K-3F9A-0012"),              # a shape this terminal does not know: its own groups
    ("abc", "ABC"),
    ("", ""),
])
def test_references_are_read_as_printed(typed, printed):
    assert normalised_reference(typed) == printed


def test_other_characters_are_kept_for_the_shape_check_to_refuse():
    assert normalised_reference("rdv_12") == "RDV_12"


def test_a_terminals_references_are_short_unambiguous_and_carry_a_check_character():
    import random

    rng = random.Random(2026)
    made = {terminal_reference("K7M", rng) for _ in range(500)}
    assert len(made) == 500                                        # random: none repeats here
    for reference in made:
        assert is_terminal_reference(reference) and reference.startswith("K7M-") and len(reference) == 12
        assert not set(reference) & set("O0I1") and not reference_typo(reference)


def test_a_mistyped_character_is_caught_by_the_check_character():
    reference = "K7M-Q4HP-XRE"
    assert check_character("K7MQ4HPXR") == "E" and not reference_typo(reference)
    compact = reference.replace("-", "")
    for i, right in enumerate(compact):
        for wrong in ALPHABET.replace(right, ""):
            typed = normalised_reference((compact[:i] + wrong + compact[i + 1:]).lower())
            assert reference_typo(typed), typed
    assert reference_typo(normalised_reference("k7m4qhpxre"))      # two neighbours swapped
    assert not reference_typo("RDV-QXNG-SR")                        # the server's own have no check character
