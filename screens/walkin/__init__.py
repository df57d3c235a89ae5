"""The walk-in screens: choose a service, then the number."""
