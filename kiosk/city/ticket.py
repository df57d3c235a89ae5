"""The tickets « Imprimer » gives: for a place, where it is, its hours this week, a map link;
for an event, what, when and where, with the venue's map link.

A passer-by without a smartphone leaves with the address and the hours on paper; the QR
code (a map link) is for whoever they hand it to. Words follow the visitor's language.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.city.agenda import Event, event_when_long
from kiosk.city.geo import has_coordinates
from kiosk.city.listing import PlaceDetail
from kiosk.city.wording import day_hours_words, day_label, day_note, state_words
from kiosk.formatting import format_datetime_long
from kiosk.i18n import _
from kiosk.printing.document import Marked, Ticket, TicketBuilder


def map_link(lat: float, lon: float) -> str:
    """A public map centred on the place (OpenStreetMap), readable by any phone."""
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"


def place_ticket(detail: PlaceDetail, now: datetime, town: str) -> Ticket:
    row = detail.row
    b = TicketBuilder(row.name)
    if row.address:
        b.line(row.address)
    if detail.phone:
        b.line(_("Telephone: {number}").format(number=detail.phone),
               marked=Marked(detail.phone, "phone", personal=False))     # the place's own number
    b.rule()
    b.line(state_words(row.state, now), bold=True)
    if detail.week is None:
        b.line(_("Opening hours: please ask"))
    else:
        for day in detail.week:
            note = day_note(day)
            text = _("{day}: {hours}").format(day=day_label(day), hours=day_hours_words(day))
            b.line(text + (f" ({note})" if note else ""))
    if detail.latitude is not None and detail.longitude is not None \
            and has_coordinates(detail.latitude, detail.longitude):
        b.rule()
        b.qr(map_link(detail.latitude, detail.longitude))
        b.line(_("Scan to see the place on a map."), align="center")
    b.rule()
    b.line(_("Printed on {when} — {town}").format(when=format_datetime_long(now), town=town), align="center")
    return b.build()


def event_ticket(event: Event, venue: PlaceDetail | None, now: datetime, town: str) -> Ticket:
    """What, when (in words, with the year: the paper outlives the day) and where; the venue's
    map link when it has a position. The description is printed whole: it says what to bring."""
    b = TicketBuilder(event.title)
    b.line(event_when_long(event), bold=True)
    if venue is not None:
        b.line(venue.row.name)
        if venue.row.address:
            b.line(venue.row.address)
    elif event.place_name:
        b.line(event.place_name)
    if event.description:
        b.rule()
        b.line(event.description)
    if venue is not None and venue.latitude is not None and venue.longitude is not None \
            and has_coordinates(venue.latitude, venue.longitude):
        b.rule()
        b.qr(map_link(venue.latitude, venue.longitude))
        b.line(_("Scan to see the place on a map."), align="center")
    b.rule()
    b.line(_("Printed on {when} — {town}").format(when=format_datetime_long(now), town=town), align="center")
    return b.build()
