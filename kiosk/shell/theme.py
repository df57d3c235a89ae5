"""Colours of the interface, and the contrast arithmetic that keeps them readable.

Two themes: the normal one (all text at least 4.5:1 against its background,
WCAG AA) and high contrast (at least 7:1, WCAG AAA). The town's primary colour
is darkened until white text on it reaches the theme's minimum, so a town can
pick any brand colour without making its buttons unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]

NORMAL_MIN_CONTRAST = 4.5
HIGH_MIN_CONTRAST = 7.0


def parse_hex(colour: str) -> RGB:
    c = colour.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darken_until(colour: RGB, against: RGB, minimum: float) -> RGB:
    """Darken ``colour`` step by step until ``against`` text on it reaches ``minimum``."""
    r, g, b = colour
    for _ in range(100):
        if contrast_ratio((r, g, b), against) >= minimum:
            break
        r, g, b = int(r * 0.95), int(g * 0.95), int(b * 0.95)
    return (r, g, b)


@dataclass(frozen=True)
class Theme:
    name: str
    min_contrast: float
    background: RGB        # screen background
    surface: RGB           # cards, tiles, header, dialogs
    text: RGB              # body text on background and surface
    muted: RGB             # secondary text (still >= min contrast)
    primary: RGB           # primary buttons, accents
    on_primary: RGB        # text on primary
    secondary_bg: RGB      # secondary buttons
    on_secondary: RGB
    border: RGB            # outlines of controls (non-text)
    pressed: RGB           # background of a pressed tile / secondary button
    pressed_primary: RGB   # background of a pressed primary button
    disabled_bg: RGB
    on_disabled: RGB
    header_bg: RGB
    on_header: RGB
    danger: RGB            # error text on background
    ok: RGB                # success badge background
    on_ok: RGB
    warn: RGB              # warning badge background
    on_warn: RGB
    scrim: tuple[int, int, int, int]  # dims the screen behind a dialog
    focus: RGB             # caret, focus ring


def normal_theme(primary_hex: str = "#1d4e89") -> Theme:
    white, ink = (255, 255, 255), (26, 26, 26)
    primary = darken_until(parse_hex(primary_hex), white, NORMAL_MIN_CONTRAST + 0.3)
    pressed_primary: RGB = (int(primary[0] * 0.75), int(primary[1] * 0.75), int(primary[2] * 0.75))
    return Theme(
        name="normal",
        min_contrast=NORMAL_MIN_CONTRAST,
        background=(244, 244, 240),
        surface=white,
        text=ink,
        muted=(84, 84, 84),
        primary=primary,
        on_primary=white,
        secondary_bg=white,
        on_secondary=primary,
        border=(120, 120, 120),
        pressed=(214, 224, 238),
        pressed_primary=pressed_primary,
        disabled_bg=(226, 226, 226),
        on_disabled=(88, 88, 88),
        header_bg=primary,
        on_header=white,
        danger=(176, 0, 32),
        ok=(0, 102, 51),
        on_ok=white,
        warn=(140, 70, 0),
        on_warn=white,
        scrim=(0, 0, 0, 150),
        focus=primary,
    )


def high_contrast_theme() -> Theme:
    black, white, yellow = (0, 0, 0), (255, 255, 255), (255, 221, 0)
    return Theme(
        name="high_contrast",
        min_contrast=HIGH_MIN_CONTRAST,
        background=black,
        surface=(20, 20, 20),
        text=white,
        muted=(230, 230, 230),
        primary=yellow,
        on_primary=black,
        secondary_bg=black,
        on_secondary=yellow,
        border=white,
        pressed=(70, 70, 0),
        pressed_primary=(255, 255, 255),
        disabled_bg=(40, 40, 40),
        on_disabled=(200, 200, 200),
        header_bg=black,
        on_header=yellow,
        danger=(255, 150, 150),
        ok=(0, 60, 0),
        on_ok=white,
        warn=(90, 45, 0),
        on_warn=white,
        scrim=(0, 0, 0, 200),
        focus=yellow,
    )
