"""The ticket document, re-exported where the printer drivers always found it.

The model itself lives in :mod:`kiosk.printing.document` so that screens and feature
code build tickets without importing a driver.
"""

from kiosk.printing.document import (
    SIZE_FACTORS,
    Align,
    Block,
    Cut,
    Feed,
    Line,
    QrCode,
    Rule,
    Size,
    Ticket,
    TicketBuilder,
    admin_test_ticket,
)

__all__ = ["SIZE_FACTORS", "Align", "Block", "Cut", "Feed", "Line", "QrCode", "Rule", "Size", "Ticket",
           "TicketBuilder", "admin_test_ticket"]
