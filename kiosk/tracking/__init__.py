"""kiosk/tracking."""
