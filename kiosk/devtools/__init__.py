"""kiosk/devtools."""
