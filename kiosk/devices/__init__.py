"""kiosk/devices."""
