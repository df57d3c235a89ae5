"""« Horaires d'il y a 2 heures »: the note the booking screens show over free times read offline.

Apart from the screens that show it (the list of services, the days), so that each imports it
without importing the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import _, ngettext

if TYPE_CHECKING:
    from screens.base import ScreenHost


def availability_age(app: ScreenHost) -> str:
    """« Horaires d'il y a 2 heures » while offline: the person knows they may have changed."""
    from kiosk.booking import flow as booking_flow  # when shown: it brings the services (~50 ms)

    if app.services is None or not booking_flow.contact_required(app):
        return ""
    age = app.services.availability.cache_age_s()
    if age is None:
        return _("Offline: the free times shown may have changed.")
    minutes = int(age // 60)
    if minutes < 60:
        return ngettext("Offline: free times as of {n} minute ago; they may have changed.",
                        "Offline: free times as of {n} minutes ago; they may have changed.", max(1, minutes)
                        ).format(n=max(1, minutes))
    hours = minutes // 60
    return ngettext("Offline: free times as of {n} hour ago; they may have changed.",
                    "Offline: free times as of {n} hours ago; they may have changed.", hours).format(n=hours)
