"""evdev touch events → finger events (down / move / up) in panel coordinates.

Why a pure state machine, apart from the reader thread: the kernel's protocols are
subtle (values only sent when they change, frames closed by ``SYN_REPORT``, events
lost on ``SYN_DROPPED``), and tests must be able to feed recorded or synthetic
``evdev.InputEvent`` sequences and read back exactly what the app would receive.

* **Multitouch protocol B** (``ABS_MT_SLOT``): each slot holds one contact;
  ``ABS_MT_TRACKING_ID`` ≥ 0 starts a contact, −1 lifts it. The tracking id becomes
  the ``finger_id``, so two fingers (and a new contact reusing a slot) stay apart in
  the app's pointer tracker. Raw positions are kept per slot across contacts: the
  kernel does not resend a value that did not change.
* **Single touch** (``BTN_TOUCH`` + ``ABS_X``/``ABS_Y``), including resistive panels
  that send no motion between down and up, or down and up in one frame; its
  ``finger_id`` is always 0, like SDL's.
* Contacts already on the glass when the device was opened are unknown: their moves
  and lift are ignored, never turned into a half gesture.
* ``SYN_DROPPED``: everything up to and including the next ``SYN_REPORT`` is dropped
  and every known contact is released (``release_all``), so a lost lift can never
  leave a finger "stuck" down — the app follows only the first finger and would
  ignore every later tap. The same release is used when the device disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from evdev import ecodes as e

from drivers.touch.transform import Axes, Calibration

Kind = Literal["down", "move", "up"]


@dataclass(frozen=True)
class Finger:
    """One finger event, as the app's FINGERDOWN/FINGERMOTION/FINGERUP want it (panel-normalised)."""

    kind: Kind
    finger_id: int
    x: float
    y: float
    dx: float = 0.0
    dy: float = 0.0
    pressure: float = 1.0


@dataclass
class _Slot:
    raw_x: int = 0
    raw_y: int = 0
    raw_p: int | None = None
    active: int | None = None                 # finger id of the contact we reported down
    last: tuple[float, float] = (0.0, 0.0)       # last reported panel position
    ops: list[int] = field(default_factory=list)  # tracking ids seen in the current frame
    moved: bool = False


IDENTITY = Calibration()   # raw coordinates, as the device reports them


class TouchDecoder:
    """Feed ``InputEvent``s (``feed`` / ``feed_all``); get the ``Finger`` events each frame completes."""

    def __init__(self, axes: Axes, calibration: Calibration = IDENTITY, *, current_slot: int = 0) -> None:
        self.axes, self.calibration = axes, calibration
        self.slots: dict[int, _Slot] = {}
        self.slot = current_slot   # protocol B: the slot later ABS_MT_* events refer to
        self.dropping = False

    # -- input ------------------------------------------------------------------
    def feed_all(self, events: Iterable) -> list[Finger]:
        out: list[Finger] = []
        for event in events:
            out += self.feed(event)
        return out

    def feed(self, event) -> list[Finger]:
        t, code, value = event.type, event.code, event.value
        if t == e.EV_SYN:
            if code == e.SYN_DROPPED:
                self.dropping = True
                return []
            if code == e.SYN_REPORT:
                if self.dropping:
                    self.dropping = False
                    return self.release_all()
                return self._frame()
            return []
        if self.dropping:
            return []
        if self.axes.multitouch:
            self._mt(t, code, value)
        else:
            self._single(t, code, value)
        return []

    def release_all(self) -> list[Finger]:
        """Lift every known contact (after SYN_DROPPED, or when the device is gone); forget the frame."""
        out = []
        for slot in self._ordered():
            if slot.active is not None:
                out.append(Finger("up", slot.active, *slot.last, pressure=0.0))
                slot.active = None
            slot.ops.clear()
            slot.moved = False
        return out

    @property
    def active(self) -> dict[int, tuple[float, float]]:
        """finger id → last reported position, for the contacts currently down."""
        return {s.active: s.last for s in self._ordered() if s.active is not None}

    # -- protocols ----------------------------------------------------------------
    def _get(self, index: int) -> _Slot:
        slot = self.slots.get(index)
        if slot is None:
            slot = self.slots[index] = _Slot()
        return slot

    def _ordered(self) -> list[_Slot]:
        return [self.slots[i] for i in sorted(self.slots)]

    def _mt(self, t: int, code: int, value: int) -> None:
        if t != e.EV_ABS:
            return                                   # BTN_TOUCH etc.: the single-touch emulation
        if code == e.ABS_MT_SLOT:
            self.slot = value
            return
        slot = self._get(self.slot)
        if code == e.ABS_MT_TRACKING_ID:
            slot.ops.append(value)
        elif code == e.ABS_MT_POSITION_X:
            slot.raw_x, slot.moved = value, True
        elif code == e.ABS_MT_POSITION_Y:
            slot.raw_y, slot.moved = value, True
        elif code == e.ABS_MT_PRESSURE:
            slot.raw_p = value

    def _single(self, t: int, code: int, value: int) -> None:
        slot = self._get(0)
        if t == e.EV_KEY and code == e.BTN_TOUCH:
            slot.ops.append(0 if value else -1)     # the same ops as protocol B, finger id 0
        elif t == e.EV_ABS and code == e.ABS_X:
            slot.raw_x, slot.moved = value, True
        elif t == e.EV_ABS and code == e.ABS_Y:
            slot.raw_y, slot.moved = value, True
        elif t == e.EV_ABS and code == e.ABS_PRESSURE:
            slot.raw_p = value

    def _frame(self) -> list[Finger]:
        out: list[Finger] = []
        for slot in self._ordered():
            pos = self.calibration.point(self.axes, slot.raw_x, slot.raw_y)
            pressure = self.axes.pressure_of(slot.raw_p)
            began = False
            for op in slot.ops:
                if slot.active is not None and op != slot.active:      # a lift, or a new id without one
                    out.append(Finger("up", slot.active, *slot.last, pressure=0.0))
                    slot.active = None
                if op >= 0 and slot.active is None:
                    out.append(Finger("down", op, *pos, pressure=pressure))
                    slot.active, slot.last, began = op, pos, True
            if slot.active is not None and not began and slot.moved and pos != slot.last:
                out.append(Finger("move", slot.active, *pos, pos[0] - slot.last[0], pos[1] - slot.last[1],
                                  pressure))
                slot.last = pos
            slot.ops.clear()
            slot.moved = False
        return out
