"""Every custom pygame event type of the app, declared in one place with its fields.

Driver and network threads never touch screens: they post one of these into the pygame
queue (thread-safe in SDL) and the UI thread reacts. Each event is a frozen dataclass: the
poster builds it and calls :meth:`KioskEvent.post`; the reader gets it back, typed, from a
pygame event with :meth:`KioskEvent.of` (None when the event is of another type). On the
queue it is still a plain pygame event of the type integer below (``NETWORK_STATUS``…) whose
attributes are the dataclass's fields, so ``event.type == events.PRINT_DONE`` keeps working.

Posting goes through a :data:`Poster` — ``post(event_type, **attrs)``, :func:`post` by
default — which a test or a driver may replace by a recorder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self

import pygame

if TYPE_CHECKING:
    from kiosk.booking.cancel_answer import CancelCheck
    from kiosk.services.outcomes import Outcome
    from kiosk.tracking.answer import TrackingAnswer
    from kiosk.waiting_room.board import Board
    from kiosk.walkin.answer import BoardAnswer

NETWORK_STATUS = pygame.event.custom_type()
SYNC_STATUS = pygame.event.custom_type()
DEVICE_STATE = pygame.event.custom_type()
SCAN_READ = pygame.event.custom_type()
SCAN_REJECTED = pygame.event.custom_type()
PRINT_DONE = pygame.event.custom_type()
PRINT_FAILED = pygame.event.custom_type()
SERVICE_STATE = pygame.event.custom_type()
TRACKING_RESULT = pygame.event.custom_type()
ACTION_DONE = pygame.event.custom_type()
QUEUE_BOARD = pygame.event.custom_type()
CANCEL_CHECKED = pygame.event.custom_type()
CALL_BOARD = pygame.event.custom_type()
CALL_FEED_DOWN = pygame.event.custom_type()
SPEECH_ENDED = pygame.event.custom_type()
KEYPAD_KEY = pygame.event.custom_type()
HEADSET_JACK = pygame.event.custom_type()

Poster = Callable[..., Any]
"""``post(event_type: int, **attrs)``: the queue's entry; returns False when the event was lost."""


def post(event_type: int, **attrs: Any) -> bool:
    """Post from any thread. Returns False if the queue is full or pygame is not running."""
    try:
        return bool(pygame.event.post(pygame.event.Event(event_type, attrs)))
    except pygame.error:
        return False


@dataclass(frozen=True)
class KioskEvent:
    """The base of the app's events: ``TYPE`` is the pygame type integer it travels as."""

    TYPE: ClassVar[int]

    def attrs(self) -> dict[str, Any]:
        """The fields as the pygame event's attributes (shallow: values are shared, not copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def post(self, via: Poster | None = None) -> bool:
        """Post this event from any thread (through ``via`` if given); False if it was lost."""
        sent = (post if via is None else via)(self.TYPE, **self.attrs())
        return sent is not False

    @classmethod
    def of(cls, event: pygame.event.Event) -> Self | None:
        """This event read back from a pygame event, or None if ``event`` is of another type."""
        if event.type != cls.TYPE:
            return None
        return cls(**{f.name: getattr(event, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class NetworkStatus(KioskEvent):
    """The sync worker's view of the link to the central API changed."""

    TYPE: ClassVar[int] = NETWORK_STATUS
    online: bool


@dataclass(frozen=True)
class SyncStatus(KioskEvent):
    """After each sync round, for the admin screen (no personal data)."""

    TYPE: ClassVar[int] = SYNC_STATUS
    last_success: datetime | None
    outbox_depth: int
    failed: int
    clock_skew_s: float | None
    clock_skew_flagged: bool
    online: bool
    revoked: bool
    refusals: list[dict[str, Any]]   # newest first: kind, at, status, error, message
    storage: dict[str, Any] = field(default_factory=dict)   # offline_cache.health.storage_state()


@dataclass(frozen=True)
class DeviceState(KioskEvent):
    """A device changed state (posted once per change): ``device`` printer, scanner, touch…"""

    TYPE: ClassVar[int] = DEVICE_STATE
    device: str
    state: str
    detail: str


@dataclass(frozen=True)
class ScanRead(KioskEvent):
    """A code was read (``source``: hid, camera, simulated)."""

    TYPE: ClassVar[int] = SCAN_READ
    text: str
    source: str


@dataclass(frozen=True)
class ScanRejected(KioskEvent):
    """A scan that cannot be used: ``reason`` "unreadable" or "too_long"; never the text."""

    TYPE: ClassVar[int] = SCAN_REJECTED
    reason: str
    source: str


@dataclass(frozen=True)
class PrintDone(KioskEvent):
    TYPE: ClassVar[int] = PRINT_DONE
    job_id: str


@dataclass(frozen=True)
class PrintFailed(KioskEvent):
    """``reason``: a printer state or an error code; ``detail`` for the technician."""

    TYPE: ClassVar[int] = PRINT_FAILED
    job_id: str
    reason: str
    detail: str


@dataclass(frozen=True)
class ServiceState(KioskEvent):
    """In or out of service (the out-of-service screen shows when ``in_service`` is False)."""

    TYPE: ClassVar[int] = SERVICE_STATE
    in_service: bool
    reason: str


@dataclass(frozen=True)
class TrackingResult(KioskEvent):
    TYPE: ClassVar[int] = TRACKING_RESULT
    answer: TrackingAnswer


@dataclass(frozen=True)
class ActionDone(KioskEvent):
    """A citizen's action (booking, booking request, cancellation, check-in; see kiosk/services)
    came to ``outcome``; ``request_id`` is what ``Services`` returned when it was submitted."""

    TYPE: ClassVar[int] = ACTION_DONE
    request_id: int
    outcome: Outcome


@dataclass(frozen=True)
class QueueBoardRead(KioskEvent):
    """The walk-in screen's live read of the queues came back (see kiosk/walkin/service.py)."""

    TYPE: ClassVar[int] = QUEUE_BOARD
    answer: BoardAnswer


@dataclass(frozen=True)
class CancelChecked(KioskEvent):
    """Which appointment a typed reference and name would cancel (kiosk.booking.cancel_check)."""

    TYPE: ClassVar[int] = CANCEL_CHECKED
    check: CancelCheck


@dataclass(frozen=True)
class CallBoardReceived(KioskEvent):
    """The waiting-room feed's latest answer (kiosk.waiting_room.feed): today's last calls and
    the people waiting, whole; ``received_at`` on the terminal's clock."""

    TYPE: ClassVar[int] = CALL_BOARD
    board: Board
    received_at: datetime


@dataclass(frozen=True)
class CallFeedDown(KioskEvent):
    """The waiting-room feed cannot reach the central API (posted once per interruption);
    ``since``: its last answer, None if it never had one; ``reason`` for the log only."""

    TYPE: ClassVar[int] = CALL_FEED_DOWN
    since: datetime | None
    reason: str


@dataclass(frozen=True)
class SpeechEnded(KioskEvent):
    """The speech player is done with utterance ``number``: ``how`` is "finished" (heard whole),
    "cut" (stopped, or interrupted by the next one), "silent" (no audio output) or "failed"
    (the engine gave no sound); ``detail`` for the log, never the words said."""

    TYPE: ClassVar[int] = SPEECH_ENDED
    number: int
    how: str
    detail: str = ""


@dataclass(frozen=True)
class KeypadKey(KioskEvent):
    """A key of a tactile keypad read through evdev (drivers.keypad): ``action`` is a
    ``kiosk.speech.keys.KeyAction`` value, ``down`` True when pressed, False when released
    (holding 5 starts speech, so both edges matter). SDL keys arrive as pygame's own KEYDOWN/KEYUP."""

    TYPE: ClassVar[int] = KEYPAD_KEY
    action: str
    down: bool


@dataclass(frozen=True)
class HeadsetJack(KioskEvent):
    """A headset was plugged into (``plugged`` True) or pulled out of the terminal's jack
    (an evdev switch SW_HEADPHONE_INSERT, read by drivers.audio.jack)."""

    TYPE: ClassVar[int] = HEADSET_JACK
    plugged: bool


EVENT_CLASSES: tuple[type[KioskEvent], ...] = (
    NetworkStatus, SyncStatus, DeviceState, ScanRead, ScanRejected, PrintDone, PrintFailed, ServiceState,
    TrackingResult, ActionDone, CancelChecked, QueueBoardRead, CallBoardReceived, CallFeedDown, SpeechEnded,
    KeypadKey, HeadsetJack,
)
BY_TYPE: Mapping[int, type[KioskEvent]] = {cls.TYPE: cls for cls in EVENT_CLASSES}
# type integer -> its class's name, for messages and logs
NAMES: Mapping[int, str] = {cls.TYPE: cls.__name__ for cls in EVENT_CLASSES}


def read(event: pygame.event.Event) -> KioskEvent | None:
    """Any of the app's events read back, typed; None for pygame's own events."""
    cls = BY_TYPE.get(event.type)
    return None if cls is None else cls.of(event)
