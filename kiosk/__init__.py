"""Kiosk: the touch-terminal channel of a town's citizen-relation platform."""

import os as _os

# pygame prints a banner on import; a kiosk's journal has no use for it.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"
