"""From raw evdev axis values to coordinates normalised to the *display panel* (0..1).

Why a module of its own: this is the part a technician tunes on site (the touch
overlay glued rotated or mirrored relative to the LCD, a resistive panel whose
edges are off), so it is pure arithmetic that tests check point by point.

The order, fixed and documented in ``kiosk.toml``:

1. scale each raw value with the device's absinfo: ``(raw - min) / (max - min)``;
2. ``swap_xy`` then ``invert_x`` / ``invert_y`` (the mirror flags of the Xorg evdev
   driver, which technicians know from xinput);
3. ``rotation`` 0/90/180/270: how far the touch coordinates must be turned
   *clockwise* to match the panel — the same convention as ``[display] rotation``,
   so a sensor that reports upright (logical) coordinates is fixed with the display's
   rotation;
4. the affine calibration matrix ``[a b c; d e f]`` in libinput's convention
   (``x' = a·x + b·y + c``, ``y' = d·x + e·y + f`` on normalised coordinates), so a
   ``LIBINPUT_CALIBRATION_MATRIX`` measured with rotation 0 can be copied as is;
5. clamp to 0..1: a panel reports a little beyond its absinfo range at the edges and
   the app must never see a point off the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

IDENTITY: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def normalise(raw: float, lo: float, hi: float) -> float:
    """``raw`` scaled to 0..1 over [lo, hi], unclamped (a degenerate range gives 0)."""
    return (raw - lo) / (hi - lo) if hi != lo else 0.0


def clamp01(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


@dataclass(frozen=True)
class Axes:
    """The raw ranges the device declares (its absinfo), and which protocol it speaks.

    ``multitouch`` is true for protocol B devices (they have ``ABS_MT_SLOT``); protocol A
    and single-touch devices are read through their ``BTN_TOUCH`` + ``ABS_X``/``ABS_Y``
    emulation, which every such driver also sends.
    """

    x: tuple[int, int]
    y: tuple[int, int]
    pressure: tuple[int, int] | None = None
    multitouch: bool = False

    @classmethod
    def from_absinfo(cls, absinfo: dict[int, Any]) -> Axes:
        """Build from ``{abs code: evdev.AbsInfo}`` (``InputDevice.capabilities(absinfo=True)[EV_ABS]``).

        Raises ValueError for a device that has no X/Y axes (not a touch screen).
        """
        from evdev import ecodes as e

        def rng(code: int) -> tuple[int, int] | None:
            info = absinfo.get(code)
            return None if info is None else (info.min, info.max)

        mt_x, mt_y = rng(e.ABS_MT_POSITION_X), rng(e.ABS_MT_POSITION_Y)
        if e.ABS_MT_SLOT in absinfo and mt_x and mt_y:
            return cls(mt_x, mt_y, rng(e.ABS_MT_PRESSURE), True)
        x, y = rng(e.ABS_X), rng(e.ABS_Y)
        if x and y:
            return cls(x, y, rng(e.ABS_PRESSURE), False)
        raise ValueError("the device has no ABS_X/ABS_Y or ABS_MT_POSITION_X/Y axes (not a touch screen?)")

    def pressure_of(self, raw: int | None) -> float:
        """0..1; 1.0 when the device has no pressure axis or has not reported it yet."""
        if raw is None or self.pressure is None:
            return 1.0
        return clamp01(normalise(raw, *self.pressure))


@dataclass(frozen=True)
class Calibration:
    """Steps 2 to 5 above; ``apply`` takes device-normalised (u, v) and returns panel (x, y)."""

    rotation: int = 0
    matrix: tuple[float, ...] = IDENTITY
    swap_xy: bool = False
    invert_x: bool = False
    invert_y: bool = False

    def __post_init__(self) -> None:
        if self.rotation not in (0, 90, 180, 270):
            raise ValueError("rotation must be 0, 90, 180 or 270")
        if len(self.matrix) != 6:
            raise ValueError("the calibration matrix has 6 numbers: a, b, c, d, e, f")
        object.__setattr__(self, "matrix", tuple(float(m) for m in self.matrix))

    @classmethod
    def of(cls, rotation: int = 0, matrix: Sequence[float] | None = None, swap_xy: bool = False,
           invert_x: bool = False, invert_y: bool = False) -> Calibration:
        return cls(rotation, tuple(matrix) if matrix is not None else IDENTITY, swap_xy, invert_x, invert_y)

    def apply(self, u: float, v: float) -> tuple[float, float]:
        if self.swap_xy:
            u, v = v, u
        if self.invert_x:
            u = 1.0 - u
        if self.invert_y:
            v = 1.0 - v
        r = self.rotation
        if r == 90:
            u, v = 1.0 - v, u
        elif r == 180:
            u, v = 1.0 - u, 1.0 - v
        elif r == 270:
            u, v = v, 1.0 - u
        a, b, c, d, e, f = self.matrix
        return clamp01(a * u + b * v + c), clamp01(d * u + e * v + f)

    def point(self, axes: Axes, raw_x: int, raw_y: int) -> tuple[float, float]:
        """Raw device values straight to the panel-normalised point."""
        return self.apply(normalise(raw_x, *axes.x), normalise(raw_y, *axes.y))
