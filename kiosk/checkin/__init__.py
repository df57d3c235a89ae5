"""kiosk/checkin."""
