"""The features this kiosk offers: the tiles of the home screen.

The list is written here, in the order the tiles appear, with the terminal
profiles each belongs to; the home screen shows those of this terminal. A new
feature (check-in, queue display…) adds its line here. Nothing registers itself
by being imported: the shell depends on the screens it offers, and screens never
depend on the shell (see ``tests/test_architecture.py``).
"""

from __future__ import annotations

from kiosk.i18n import N_
from screens.base import Feature
from screens.booking.choose_service import BookingServicesScreen
from screens.checkin.arrival import CheckinScreen
from screens.city.home import CityHomeScreen
from screens.demarches import icons as demarche_icons
from screens.demarches.choose import DemarchesScreen
from screens.shell.toolkit_demo import ToolkitDemoScreen
from screens.tracking.number import TrackingScreen
from screens.walkin.choose import WalkInScreen
from screens.widgets.icons import Icon

__all__ = ["FEATURES", "Feature", "features_for"]

FEATURES: tuple[Feature, ...] = (
    Feature(id="checkin", title=N_("I have an appointment"), subtitle=N_("Scan its QR code to get your number"), icon=Icon.SCAN_QR, profiles=frozenset({"counter"}), open=CheckinScreen),  # noqa: E501
    Feature(id="walkin", title=N_("I have no appointment"), subtitle=N_("Take a number"), icon=Icon.TICKET, profiles=frozenset({"counter"}), open=WalkInScreen),  # noqa: E501
    Feature(id="booking", title=N_("Book an appointment"), subtitle=N_("At the town hall, with a printed ticket"),
            icon=Icon.CALENDAR, profiles=frozenset({"street", "counter"}), open=BookingServicesScreen),
    Feature(id="tracking", title=N_("Follow my request"), subtitle=N_("With the number on your receipt"),
            icon=Icon.TRACK, profiles=frozenset({"street", "counter"}), open=TrackingScreen),
    Feature(id="demarches", title=N_("Make a request"), subtitle=N_("Civil-status records, a problem in the street"), icon=demarche_icons.FEATURE, profiles=frozenset({"street", "counter"}), open=DemarchesScreen),  # noqa: E501
    # city information: places, hours, events, pages
    Feature(id="city", title=N_("My town"), subtitle=N_("Places, opening hours, what's on"),
            icon=Icon.TOWN, profiles=frozenset({"street"}), open=CityHomeScreen),
    # a practice screen for the touch toolkit, in demo mode only
    Feature(id="toolkit", title=N_("Try the touch screen"), subtitle=N_("Keyboard, numbers, lists"),
            icon=Icon.TOUCH, profiles=frozenset({"street", "counter"}), open=ToolkitDemoScreen, demo_only=True),
)


def features_for(profile: str, demo: bool) -> list[Feature]:
    return [f for f in FEATURES if profile in f.profiles and (demo or not f.demo_only)]
