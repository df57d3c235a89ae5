"""kiosk/booking."""
