"""What the booking form lets a person type, the central API accepts: every name, e-mail and
phone the form's rules take passes the contract's schema (issue 17: the server now refuses
implausible names, so the form must not offer what it would refuse)."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.api import contract
from kiosk.booking import form

PERSON = contract.validator("Person")
LATIN = [chr(c) for c in range(sys.maxunicode + 1)
         if unicodedata.category(chr(c)) in ("Lu", "Ll", "Lt") and unicodedata.name(chr(c), "").startswith("LATIN")]


def test_every_letter_the_form_takes_the_contract_takes():
    taken = [ch for ch in LATIN if form.name_problem(ch, "last_name") is None]
    assert "é" in taken and "ß" in taken and "ễ" in taken
    refused_by_contract = [ch for ch in taken if not PERSON.is_valid({"last_name": ch, "first_name": ch})]
    assert refused_by_contract == []


def test_a_latin_letter_outside_the_contract_is_refused_by_the_form_not_by_the_server():
    assert form.name_problem("ⱡ", "last_name") == "name_characters"   # U+2C61, Latin Extended-C


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(last=st.text(st.sampled_from("aZéœ-'’ \u00a0\x01.ⱡ"), max_size=20),
       email=st.text(st.sampled_from("ab.@-_\x01\x85\ufeff\u2028é"), max_size=20),
       phone=st.text(st.sampled_from("0123456789 .-+"), max_size=20))
def test_what_the_form_accepts_the_contract_accepts(last, email, phone):
    checked = form.check({"last_name": last, "first_name": "Jo", "phone": phone, "email": email},
                         contact_required=False)
    if checked.ok:
        assert PERSON.is_valid(checked.person), checked.person
