"""The tactile keypad's reader: one thread holds the keypad and posts ``KEYPAD_KEY`` events.

Why evdev and a grab, like the HID scanner: a numeric keypad seen by SDL would also type its
digits into whatever the system thinks has the keyboard focus, and its keys would depend on
Num Lock; grabbed, every key reaches the kiosk once, as the same
:class:`~kiosk.speech.keys.KeyAction` whatever Num Lock says. Both edges are posted (holding 5
starts speech: the app times the hold itself, so auto-repeat is ignored here).

Which key does what is the app's rule (``kiosk.speech.keys``, shared with the SDL keyboard):
the reader is given it as ``actions``, a driver knowing no feature.

``device = "auto"`` takes the first input device that has the keypad's 5 (KEY_KP5) and no
letter keys: a full keyboard (a technician's, or a keyboard-wedge scanner, which says it is
one) stays with SDL or the scanner reader. Cheap keypads get pulled out: the thread reports
``DEVICE_STATE(device="keypad", state="disconnected")`` and opens the keypad again when it
comes back, through :class:`~drivers.evdev_input.GrabbedReaderLoop` as the scanner does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.driver_thread import DriverThread, Post, default_post
from drivers.evdev_input import DeviceGone, GrabbedInput, GrabbedReaderLoop, InputEvent, has_bit

SYS_INPUT = Path("/sys/class/input")
EV_KEY = 1
KEY_A = 30
KEY_KP5 = 76
AUTO_REPEAT = 2


class KeypadDevice(GrabbedInput):
    what = "keypad"


def find_keypad(sys_input: Path = SYS_INPUT, avoid: str | None = None) -> str | None:
    """The ``/dev/input/eventN`` of the first numeric keypad: KEY_KP5 without KEY_A."""
    skip = Path(avoid).resolve().name if avoid else None
    found: list[int] = []
    for node in sys_input.glob("event*"):
        try:
            keys = (node / "device" / "capabilities" / "key").read_text()
        except OSError:
            continue
        if node.name == skip or not has_bit(keys, KEY_KP5) or has_bit(keys, KEY_A):
            continue
        found.append(int(node.name[5:]) if node.name[5:].isdigit() else 1 << 30)
    return f"/dev/input/event{min(found)}" if found else None


class EvdevKeypad(GrabbedReaderLoop[GrabbedInput], DriverThread):
    """Reads one keypad in a daemon thread; posts KEYPAD_KEY (action, down) and DEVICE_STATE."""

    type = "evdev"
    device_name = "keypad"

    def __init__(self, device: str = "auto", *, actions: Callable[[int], str | None],
                 avoid: str | None = None, retry_interval: float = 1.0,
                 read_timeout: float = 0.2, post: Post = default_post,
                 open_device: Callable[[str], GrabbedInput] = KeypadDevice, sys_input: Path = SYS_INPUT) -> None:
        super().__init__(post=post)
        self.device, self.avoid = device, avoid
        self.actions = actions          # key code -> action: kiosk.speech.keys, given by the app
        self.retry_interval, self.read_timeout = retry_interval, read_timeout
        self._open_device, self._sys_input = open_device, sys_input
        self.down: set[str] = set()     # actions held now (a key's release after a replug is ignored)

    def describe(self) -> str:
        return "a numeric keypad" if self.device == "auto" else self.device

    def _path(self) -> str:
        if self.device != "auto":
            return self.device
        path = find_keypad(self._sys_input, self.avoid)
        if path is None:
            raise DeviceGone("no numeric keypad found (keypad unplugged?)")
        return path

    def _read_timeout(self) -> float:
        return self.read_timeout

    def _received(self, events: list[InputEvent]) -> None:
        from kiosk.events import KeypadKey

        for event in events:
            if event.type != EV_KEY or event.value == AUTO_REPEAT:
                continue
            action = self.actions(event.code)
            if action is None:
                continue
            down = event.value == 1
            if not down and action not in self.down:
                continue               # pressed before the keypad was (re)opened: not ours
            (self.down.add if down else self.down.discard)(action)
            KeypadKey(action=str(action), down=down).post(self._post)

    def _lost(self, stopping: bool) -> None:
        # A key held as the keypad went: forgotten, not released, so a pulled cable never
        # activates whatever had the focus.
        self.down.clear()
