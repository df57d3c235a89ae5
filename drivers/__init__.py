"""Hardware drivers (printer, scanners, touch, hotplug), each with a simulated twin.

Drivers run in their own threads and only post events (``kiosk.events``).
"""
