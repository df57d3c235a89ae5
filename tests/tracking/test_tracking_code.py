"""What people type or scan as a request number: accepted forms and each kind of bad input."""

from __future__ import annotations

import pytest

from kiosk.tracking.code import CodeProblem, grouped, kind_at, parse_scanned, parse_typed, tracking_address


@pytest.mark.parametrize("typed", ["ABCD-1234", "abcd-1234", "ABCD1234", " ab cd 12 34 ", "abcd–1234", "ABCD_1234",
                                   "ABCD-I234", "ABCD-12O4", "abcd-l234"])
def test_typed_forms_people_use_are_accepted(typed):
    expected = "ABCD-1234" if "O" not in typed.upper() else "ABCD-1204"
    assert parse_typed(typed) == expected


@pytest.mark.parametrize("typed, reason", [
    ("", "empty"), ("   ", "empty"), ("- -", "empty"),
    ("ABC", "too_short"), ("ABCD-123", "too_short"),
    ("ABCD-12345", "too_long"), ("X" * 600, "too_long"),
    ("ABCD-12€4", "bad_characters"), ("ÉBCD-1234", "bad_characters"), ("AB;D-1234", "bad_characters"),
    ("1234-ABCD", "bad_shape"), ("ABC1-2345", "bad_shape"), ("ABCD-12X4", "bad_shape"),
])
def test_bad_typed_numbers_say_why(typed, reason):
    assert parse_typed(typed) == CodeProblem(reason)


@pytest.mark.parametrize("scanned", [
    "ABCD-1234", "abcd1234\n", "https://demarches.ville.fr/suivi/ABCD-1234",
    "https://demarches.ville.fr/suivi/abcd-1234/", "http://portail.example/suivi?code=ABCD-1234&lang=fr",
    "HTTPS://DEMARCHES.VILLE.FR/SUIVI/ABCD%2D1234",
])
def test_receipt_qr_codes_give_the_number(scanned):
    assert parse_scanned(scanned) == "ABCD-1234"


@pytest.mark.parametrize("scanned", [
    "https://demarches.ville.fr/suivi/", "https://demarches.ville.fr/rdv/XK3P9Q",
    "ftp://demarches.ville.fr/suivi/ABCD-1234", "https:///ABCD-1234",
    "eyJhbGciOiJFZERTQSJ9.eyJib29raW5nIjoiYmstMSJ9.c2lnbmF0dXJl",   # a check-in token
    "WIFI:S:mairie;T:WPA;P:secret;;", "ABCD-1234\x07", "ABCD-1234" + "9" * 600,
])
def test_other_qr_codes_are_not_receipts(scanned):
    assert parse_scanned(scanned) == CodeProblem("not_a_receipt")


def test_empty_scan():
    assert parse_scanned("  \n") == CodeProblem("empty")


def test_grouping_as_it_is_typed_and_what_comes_next():
    assert [grouped(x) for x in ("", "ab", "ABCD", "ABCD1", "abcd1234")] == ["", "AB", "ABCD", "ABCD-1", "ABCD-1234"]
    assert [kind_at(i) for i in range(8)] == ["letter"] * 4 + ["digit"] * 4


def test_tracking_address_joins_portal_and_number():
    assert tracking_address("https://demarches.ville.fr/suivi/", "ABCD-1234") == "https://demarches.ville.fr/suivi/ABCD-1234"
    assert tracking_address("https://demarches.ville.fr/suivi", "ABCD-1234") == "https://demarches.ville.fr/suivi/ABCD-1234"
