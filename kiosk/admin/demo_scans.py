"""Codes to scan from the demo's admin screen, and how to make the two that need the town.

Why: the demo has no scanner, and a person trying it has no receipt or ticket in hand. The
admin screen offers a few sample codes, each one a case the scan router must handle — a
request receipt's number, a genuine appointment ticket, a forged one, a code that is not the
town's — and sends them through the simulated scanner (``Devices.scan_by_hand``), so they
take the very path of a real scan.

A genuine ticket is what the central API signs when a booking is made: none can be made up
on the terminal. So the demo books the first free time of the seeded town through the normal
booking action (the same outbox row, the same request) for a sample person, and scans the
``checkin_token`` it gets back. The forged ticket is that ticket's content signed again with a
key the town never issued: it looks right and must be refused.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from kiosk.api.checkin_token import b64url

if TYPE_CHECKING:
    from kiosk.booking.availability import Availability, DaySlot

#: A poster's link: a well-formed QR code that is not one of the town's.
NOT_OURS = "https://example.org/affiche-fete-des-vendanges"
#: Who the sample appointment is for (a name, no contact: the demo sends nothing to anyone).
SAMPLE_PERSON: dict[str, Any] = {"last_name": "Démonstration", "first_name": "Camille"}


def first_bookable(availability: Availability) -> tuple[str, DaySlot] | None:
    """The first free time of the first service that has one (service id, slot); None when
    the cache holds nothing bookable yet (first synchronisation not done, or all taken)."""
    for service in availability.services():
        start = service.get("next_free")
        if start is None:
            continue
        slots = availability.day_slots(service["id"], start.date())
        if slots:
            return service["id"], slots[0]
    return None


def forged(token: str) -> str:
    """``token``'s content with a signature by a key the town never issued (made from the
    content itself, so the same ticket always gives the same forgery)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = token.split(".", 1)[0]
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"not the town's key " + body.encode()).digest())
    return f"{body}.{b64url(key.sign(body.encode('ascii')))}"
