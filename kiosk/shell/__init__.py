"""kiosk/shell."""
