"""Every custom pygame event type of the app, declared in one place.

Driver and network threads never touch screens: they post one of these into
the pygame queue (thread-safe in SDL) and the UI thread reacts. Attributes
each event carries are listed beside it.
"""

from __future__ import annotations

import pygame

NETWORK_STATUS = pygame.event.custom_type()   # online: bool
SYNC_STATUS = pygame.event.custom_type()      # last_success: datetime|None, outbox_depth: int, failed: int,
                                              # clock_skew_s: float|None, clock_skew_flagged: bool, online: bool,
                                              # revoked: bool, refusals: list[dict] (newest first: kind,
                                              # at, status, error, message; no personal data)
DEVICE_STATE = pygame.event.custom_type()     # device: str, state: str, detail: str
SCAN_READ = pygame.event.custom_type()        # text: str, source: str
SCAN_REJECTED = pygame.event.custom_type()    # reason: "unreadable" | "too_long", source: str (never the text)
PRINT_DONE = pygame.event.custom_type()       # job_id: str
PRINT_FAILED = pygame.event.custom_type()     # job_id: str, reason: str (a state or error code), detail: str
SERVICE_STATE = pygame.event.custom_type()    # in_service: bool, reason: str (out-of-service screen)
TRACKING_RESULT = pygame.event.custom_type()  # answer: kiosk.tracking.service.TrackingAnswer
ACTION_DONE = pygame.event.custom_type()      # request_id: int, outcome: kiosk.services.Outcome (booking,
                                              # booking request, cancellation, check-in; see kiosk/services)

NAMES = {
    NETWORK_STATUS: "NETWORK_STATUS", SYNC_STATUS: "SYNC_STATUS", DEVICE_STATE: "DEVICE_STATE",
    SCAN_READ: "SCAN_READ", SCAN_REJECTED: "SCAN_REJECTED", PRINT_DONE: "PRINT_DONE", PRINT_FAILED: "PRINT_FAILED",
    SERVICE_STATE: "SERVICE_STATE", TRACKING_RESULT: "TRACKING_RESULT", ACTION_DONE: "ACTION_DONE",
}


def post(event_type: int, **attrs) -> bool:
    """Post from any thread. Returns False if the queue is full or pygame is not running."""
    try:
        return bool(pygame.event.post(pygame.event.Event(event_type, attrs)))
    except pygame.error:
        return False
