"""A booking reference typed from a ticket, read as printed (issue 14, defect 8: « rdvqxngsr »
went to the central API as RDVQXNGSR and matched nothing)."""

from __future__ import annotations

import pytest

from kiosk.booking.cancel_check import normalised_reference


@pytest.mark.parametrize("typed, printed", [
    ("rdvqxngsr", "RDV-QXNG-SR"),
    ("RDV-QXNG-SR", "RDV-QXNG-SR"),
    (" rdv qxng sr ", "RDV-QXNG-SR"),
    ("rdv-qxngsr", "RDV-QXNG-SR"),
    ("RDV\u2013QXNG\u2013SR", "RDV-QXNG-SR"),     # a dash from a copied text
    ("dem4h8nt2", "DEM-4H8N-T2"),
    ("k-3f9a-0012", "K-3F9A-0012"),              # a shape this terminal does not know: its own groups
    ("abc", "ABC"),
    ("", ""),
])
def test_references_are_read_as_printed(typed, printed):
    assert normalised_reference(typed) == printed


def test_other_characters_are_kept_for_the_shape_check_to_refuse():
    assert normalised_reference("rdv_12") == "RDV_12"
