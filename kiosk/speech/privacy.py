"""Whether personal parts may be spoken: only into a headset (EN 301 549, closed functionality).

``[speech] output`` says what the terminal has: "headset" (audio goes only to a personal
headset), "loudspeaker" (anyone near can hear) or "both". With "both", the person's headset
is used when it is plugged in; until the kiosk detects the jack (a later step of issue 15),
``headset_plugged`` is unknown and personal parts are masked: privacy is the safe side.
"""

from __future__ import annotations

from typing import Literal

OutputKind = Literal["headset", "loudspeaker", "both"]


def private_allowed(output: OutputKind, headset_plugged: bool | None = None) -> bool:
    """True when what is said reaches only the person's own ears."""
    if output == "headset":
        return True
    if output == "both":
        return headset_plugged is True
    return False
