"""« Prendre rendez-vous » on a service of « Ma ville » opens the booking flow on that service."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.reference_server


def test_service_page_opens_the_booking_flow_on_that_service(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-city")
    pilot.tap("city-search")
    pilot.type("passeport")
    pilot.tap("result-service-0")
    assert pilot.screen.name == "city_service"
    service_id = pilot.screen.service_id
    pilot.tap("service-book")
    assert pilot.screen.name == "booking_service" and pilot.screen.service_id == service_id
    pilot.tap("back")
    assert pilot.screen.name == "booking"            # « Retour » leads to the list of services


def test_no_booking_button_without_a_data_layer(make_pilot):
    from kiosk.devtools.screenshots import demo_city_cache

    pilot = make_pilot()
    pilot.app.city_cache = demo_city_cache()
    pilot.tap("feature-city")
    pilot.tap("city-search")
    pilot.type("passeport")
    pilot.tap("result-service-0")
    assert pilot.screen.name == "city_service" and not pilot.has("service-book")
