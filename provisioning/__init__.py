"""kiosk-provision: the technician's command line (enrol, install, check, status, logs)."""
