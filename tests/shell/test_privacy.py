"""What a person types never reaches the logs, and nothing of it survives the visit."""

from __future__ import annotations

import logging


def test_typed_text_and_pins_never_reach_the_logs(pilot, caplog):
    caplog.set_level(logging.DEBUG)
    pilot.tap("feature-toolkit")
    pilot.type("Lefèvre")
    pilot.tap("tab-keypad")
    pilot.type("0612345678")
    pilot.app.open_admin()
    pilot.settle()
    pilot.type("9876")
    pilot.tap("key-enter")
    pilot.advance(70)                     # idle reset
    logged = caplog.text
    assert logged                         # screens, wrong PIN and the reset were logged…
    for secret in ("Lefèvre", "Lef", "0612345678", "061234", "9876"):
        assert secret not in logged       # …but nothing that was typed


def test_end_of_visit_leaves_no_typed_text_in_any_widget_or_store(pilot):
    pilot.tap("feature-toolkit")
    pilot.type("Dupont")
    store = pilot.app.visit.fields
    pilot.advance(65)
    assert store == {} and pilot.app.visit.drafts == {}
    for screen in pilot.app.nav.stack:
        assert all("Dupont" not in w.visible_text() for w in screen.widgets())
