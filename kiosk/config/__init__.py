"""kiosk/config."""
