"""Kiosk Sync API v1: the contract between a terminal and the town's central system.

``openapi.yaml`` is the authoritative document; ``models`` mirrors it as pydantic classes
so the client validates every response and the reference server validates every request
with the same definitions.
"""

from pathlib import Path

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
# the Open311 GeoReport v2 side for reports (an extension: see ``x-open311`` in openapi.yaml)
OPEN311_SPEC_PATH = Path(__file__).with_name("open311.yaml")
API_VERSION = "1.0.0"
