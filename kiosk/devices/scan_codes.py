"""Which scanned texts are codes this kiosk knows, before any screen sees them.

Why here and not in each screen: a QR code on a poster, a product barcode or a
payment QR scanned by mistake must get the same short answer everywhere ("this code
is not one of ours"), and the scan router (screens/scan_router.py) sends each code to the flow
that handles its kind. Every scan is read once, here. The shapes come from the Kiosk
Sync API (kiosk/api/openapi.yaml): signed check-in tokens (``base64url "." base64url``),
tracking codes (``ABCD-1234``, or the portal's tracking address printed on a receipt)
and booking references (letters, digits and dashes, at most 40 characters, e.g.
``RDV-7K3P-Q9``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.i18n import N_

#: The longest text any scanner path (HID, camera, simulated) passes on, in characters. Every code
#: this terminal uses is far shorter (a check-in token is about 320 characters); a longer one is
#: refused with a reason at the scanner, and read as not ours here whatever path it took. One
#: limit for all, so that a code refused by one scanner is not accepted by another.
MAX_SCAN_LENGTH = 512

_CHECKIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
_TRACKING_CODE = re.compile(r"[A-Z]{4}-[0-9]{4}")
_REFERENCE = re.compile(r"(?=.*[0-9])(?=.*-)[A-Z0-9-]{5,40}")


class ScanKind(StrEnum):
    """What a scanned code is; the scan router's table is keyed by it."""

    CHECKIN_TOKEN = "checkin_token"    # the QR code of a booking ticket (signed)
    TRACKING_CODE = "tracking_code"    # the number or QR code of a request receipt
    REFERENCE = "reference"            # a bare booking reference
    UNKNOWN = "unknown"                # not a code this terminal can use


@dataclass(frozen=True)
class ScannedCode:
    """One scan, read once: its kind, the text as scanned, and the value a flow uses
    (the tracking code ``ABCD-1234`` for a receipt, the stripped text otherwise)."""

    kind: ScanKind
    text: str
    value: str


def read_scan(text: str) -> ScannedCode:
    """The one reading of a scanned text; never raises, whatever the text."""
    if len(text) > MAX_SCAN_LENGTH:
        return ScannedCode(ScanKind.UNKNOWN, text, "")
    stripped = text.strip()
    if _CHECKIN_TOKEN.fullmatch(stripped):
        return ScannedCode(ScanKind.CHECKIN_TOKEN, text, stripped)
    if _TRACKING_CODE.fullmatch(stripped.upper()):
        return ScannedCode(ScanKind.TRACKING_CODE, text, stripped.upper())
    if "://" in stripped:
        from kiosk.tracking.code import parse_scanned

        found = parse_scanned(stripped)
        if isinstance(found, str):   # a receipt's QR: the portal's tracking address
            return ScannedCode(ScanKind.TRACKING_CODE, text, found)
    if _REFERENCE.fullmatch(stripped.upper()):
        return ScannedCode(ScanKind.REFERENCE, text, stripped.upper())
    return ScannedCode(ScanKind.UNKNOWN, text, stripped)


def classify_scan(text: str) -> ScanKind | None:
    """The kind of a scanned text, or None for a code the kiosk cannot use."""
    kind = read_scan(text).kind
    return None if kind is ScanKind.UNKNOWN else kind


UNREADABLE = N_("The code could not be read. Please scan it again.")
NOT_OURS = N_("This code is not one this terminal can use.")
