"""Request tracking numbers as people type and scan them (property tests, hypothesis): any text
gives the contract's code or a reason the screen can word, never an exception; every way of
writing a real number (case, separators, O/I/l for 0/1, the portal's address) gives that number;
and any sequence of keys on the tracking screen's keypad keeps the field a well-grouped number."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.tracking.code import CODE_RE, SEPARATORS, CodeProblem, parse_scanned, parse_typed

REASONS = {"empty", "bad_characters", "too_short", "too_long", "bad_shape", "not_a_receipt"}
LOOKALIKES = {"0": "0Oo", "1": "1IiLl"}

codes = st.tuples(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4),
                  st.text(alphabet="0123456789", min_size=4, max_size=4)).map("-".join)


def answer_ok(found) -> bool:
    return (isinstance(found, str) and CODE_RE.match(found) is not None) or \
        (isinstance(found, CodeProblem) and found.reason in REASONS)


@settings(max_examples=settings.default.max_examples * 3)
@given(text=st.one_of(st.text(max_size=40), st.text(max_size=700),
                      st.text(alphabet="ABCDOIL0123456789abcdoil" + SEPARATORS, max_size=14)))
def test_any_text_gives_a_code_or_a_reason(text):
    assert answer_ok(parse_typed(text))
    assert answer_ok(parse_scanned(text))


@given(code=codes, data=st.data())
def test_every_way_of_writing_a_number_gives_it(code, data):
    chars = []
    for i, ch in enumerate(code.replace("-", "")):
        spelt = data.draw(st.sampled_from(LOOKALIKES.get(ch, ch) if i >= 4 else ch + ch.lower()), label="char")
        chars.append(spelt + data.draw(st.sampled_from(["", "", *SEPARATORS]), label="separator"))
    typed = data.draw(st.sampled_from(["", " ", "\u00a0"]), label="before") + "".join(chars)
    assert parse_typed(typed) == code, typed
    host = data.draw(st.sampled_from(["demarches.ville.fr", "portail.example.fr:8443"]), label="host")
    address = data.draw(st.sampled_from([f"https://{host}/suivi/{code}", f"http://{host}/suivi/{code.lower()}",
                                         f"https://{host}/suivi?code={code}", f"https://{host}/a/b/{code}/"]))
    assert parse_scanned(address) == code, address
    assert parse_scanned(code) == code


def test_keypad_sequences_keep_the_field_a_grouped_number(make_pilot):
    pilot = make_pilot()
    pilot.tap("feature-tracking")
    assert pilot.screen.name == "tracking"
    keys = st.sampled_from([*"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "layer", "backspace", "enter"])

    @settings(max_examples=max(10, settings.default.max_examples // 4))
    @given(presses=st.lists(keys, max_size=14))
    def keypad(presses):
        if pilot.screen.name != "tracking":
            pilot.app.end_visit("next example")
            pilot.settle()
            pilot.tap("feature-tracking")
        for key in presses:
            if pilot.screen.name != "tracking" or not pilot.has(f"key-{key}"):
                break                       # looking up, a result, or that key not on this layer
            pilot.tap(f"key-{key}")
            value = pilot.app.visit.fields.get("tracking_code", "")
            assert re.fullmatch(r"[A-Z0-9]{0,4}(-[A-Z0-9]{0,4})?", value), value
        assert pilot.app.errors == []

    keypad()
