"""Whole visits with the tactile keypad alone, no finger at all (issue 15): a booking to its done
screen, a request followed by its number, a place's opening hours. Every control is reached with
« 6 » (next) and activated with « 5 », through the real app, data layer and reference server."""

from __future__ import annotations

import pytest
from booking_town import NoFinger, said, to_person_step, tracking_code
from city_support import SEEDED_AT, seeded_cache

from kiosk.clock import ManualClock

pytestmark = pytest.mark.reference_server



def test_a_whole_booking_with_the_keypad_alone(town, make_pilot):
    pilot = town.pilot(make_pilot)
    NoFinger(pilot)
    first = to_person_step(pilot, by_keys=True)
    assert pilot.screen.name == "booking_person"
    for field, value in (("last_name", "Lefèvre"), ("first_name", "Ève")):
        pilot.activate(f"field-{field}")
        pilot.type(value, by_keys=True)
    assert pilot.widget("field-last_name").value == "Lefèvre" and pilot.widget("field-first_name").value == "Ève"
    pilot.activate("continue")
    assert pilot.screen.name == "booking_confirm", said(pilot)
    pilot.activate("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    assert pilot.has("reference") and pilot.screen.draft.slot.start == first.start
    assert pilot.app.focus.shown and pilot.app.frames > 0



def test_a_request_followed_by_its_number_with_the_keypad_alone(town, make_pilot):
    code = tracking_code(town, "waiting_citizen")
    pilot = town.start(make_pilot)
    pilot.wait_until(lambda: pilot.app.data.client is not None)
    NoFinger(pilot)
    pilot.activate("feature-tracking")
    pilot.type(code, by_keys=True)
    assert pilot.app.visit.fields["tracking_code"] == code
    pilot.activate("key-enter")
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    assert pilot.widget("step-0").state == "done" and "Message du service" in pilot.text()


def test_a_places_opening_hours_with_the_keypad_alone(make_pilot, tmp_path):
    pilot = make_pilot(clock=ManualClock(SEEDED_AT))
    pilot.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    NoFinger(pilot)
    pilot.activate("feature-city")
    pilot.activate("city-near")
    pilot.activate("place-0")
    assert pilot.screen.name == "city_place"
    assert pilot.has("place-state") and pilot.widget("place-state").text
    assert "Horaires" in said(pilot)
    pilot.key("back")
    assert pilot.screen.name == "city_list"

