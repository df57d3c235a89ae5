"""Reference server of Kiosk Sync API v1 (``kiosk/api/openapi.yaml``).

Standard library only for serving (``http.server.ThreadingHTTPServer``: no framework to
install on a terminal that embeds it in demo mode) and ``sqlite3`` for persistence, whose
``BEGIN IMMEDIATE`` write lock is what serialises concurrent bookings of the same slot.
Start it with :func:`kiosk.demo_api.server.serve` or ``kiosk demo-api``.
"""
