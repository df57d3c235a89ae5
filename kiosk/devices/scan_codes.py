"""Which scanned texts are codes this kiosk knows, before any screen sees them.

Why here and not in each screen: a QR code on a poster, a product barcode or a
payment QR scanned by mistake must get the same short answer everywhere ("this code
is not one of ours"), and screens then only receive codes worth handling. The
shapes come from the Kiosk Sync API (kiosk/api/openapi.yaml): signed check-in tokens
(``base64url "." base64url``), tracking codes (``ABCD-1234``) and booking references
(letters, digits and dashes, at most 40 characters, e.g. ``RDV-7K3P-Q9``).
"""

from __future__ import annotations

import re

from kiosk import events
from kiosk.i18n import N_, _

_CHECKIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
_TRACKING_CODE = re.compile(r"[A-Z]{4}-[0-9]{4}")
_REFERENCE = re.compile(r"(?=.*[0-9])(?=.*-)[A-Z0-9-]{5,40}")


def classify_scan(text: str) -> str | None:
    """"checkin_token", "tracking_code", "reference", or None for a code the kiosk cannot use."""
    text = text.strip()
    if _CHECKIN_TOKEN.fullmatch(text):
        return "checkin_token"
    if _TRACKING_CODE.fullmatch(text.upper()):
        return "tracking_code"
    if "://" in text:
        from kiosk.tracking.code import parse_scanned

        if isinstance(parse_scanned(text), str):   # a receipt's QR: the portal's tracking address
            return "tracking_code"
    if _REFERENCE.fullmatch(text.upper()):
        return "reference"
    return None


UNREADABLE = N_("The code could not be read. Please scan it again.")
NOT_OURS = N_("This code is not one this terminal can use.")


def deliver_scan(screen, event) -> None:
    """SCAN_READ / SCAN_REJECTED in the UI thread: the screen gets a code it can use, the person
    a short message otherwise (never silence: they would scan again and again)."""
    if screen is None:
        return
    if event.type == events.SCAN_READ and (getattr(screen, "wants_all_scans", False)
                                           or classify_scan(event.text) is not None):
        screen.handle_event(event)   # a screen waiting for one kind of code explains a wrong one itself
    elif event.type == events.SCAN_REJECTED and event.reason == "unreadable":
        screen.toast(_(UNREADABLE), kind="warn")
    else:
        screen.toast(_(NOT_OURS), kind="warn")
