"""Whether personal parts may be spoken: only into a headset (EN 301 549, closed functionality).

``[speech] output`` says what the terminal has: "headset" (audio goes only to a personal
headset), "loudspeaker" (anyone near can hear) or "both". With "both", the person's headset
is used when it is plugged in, as the jack's switch says (:mod:`drivers.audio.jack`); while
the jack is not known (no switch found, not read yet) ``headset_plugged`` is None and personal
parts are masked: privacy is the safe side.
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
