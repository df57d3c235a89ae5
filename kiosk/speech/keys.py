"""The keys a person who cannot see the screen uses, and what each one does (EN 301 549 5.1.6).

Why one table for two sources: a tactile USB keypad reaches the kiosk through evdev (grabbed,
like the scanners, so no other program reads it) and a keyboard through SDL; both give the
same :class:`KeyAction`, so the focus, speech and start rules never ask where a key came from.

The layout is the one blind people know from cash machines and phones: a numeric keypad with
a raised dot on 5. Arrows or 2/4/6/8 move the focus, 5 or Entrée activates, 0 or Retour goes
back, * repeats, # (/ on a plain numeric keypad, which has no #) gives help, + and - set the
volume. Holding 5 for ``HOLD_TO_START_S`` starts speech from any screen, without having to find
anything on the glass first.
"""

from __future__ import annotations

from enum import StrEnum

import pygame


class KeyAction(StrEnum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    ACTIVATE = "activate"
    BACK = "back"
    REPEAT = "repeat"
    HELP = "help"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"


#: Holding the activate key (5) this long starts speech, from any screen.
HOLD_TO_START_S = 2.0
#: The key whose hold starts speech.
HOLD_TO_START_ACTION = KeyAction.ACTIVATE

#: SDL key codes (a keyboard, or a keypad SDL sees) -> action. Digits of the main row are not
#: here: on a keyboard they type; only the numeric keypad's navigate.
PYGAME_KEYS: dict[int, KeyAction] = {
    pygame.K_UP: KeyAction.UP, pygame.K_KP8: KeyAction.UP,
    pygame.K_DOWN: KeyAction.DOWN, pygame.K_KP2: KeyAction.DOWN,
    pygame.K_LEFT: KeyAction.LEFT, pygame.K_KP4: KeyAction.LEFT,
    pygame.K_RIGHT: KeyAction.RIGHT, pygame.K_KP6: KeyAction.RIGHT,
    pygame.K_KP5: KeyAction.ACTIVATE, pygame.K_RETURN: KeyAction.ACTIVATE, pygame.K_KP_ENTER: KeyAction.ACTIVATE,
    pygame.K_KP0: KeyAction.BACK, pygame.K_BACKSPACE: KeyAction.BACK, pygame.K_ESCAPE: KeyAction.BACK,
    pygame.K_KP_MULTIPLY: KeyAction.REPEAT, pygame.K_ASTERISK: KeyAction.REPEAT,
    pygame.K_HASH: KeyAction.HELP, pygame.K_KP_DIVIDE: KeyAction.HELP, pygame.K_F1: KeyAction.HELP,
    pygame.K_KP_PLUS: KeyAction.VOLUME_UP, pygame.K_PLUS: KeyAction.VOLUME_UP,
    pygame.K_KP_MINUS: KeyAction.VOLUME_DOWN, pygame.K_MINUS: KeyAction.VOLUME_DOWN,
}

#: Linux input key codes (linux/input-event-codes.h, as python-evdev's ``ecodes``) -> action,
#: for a keypad read through evdev. Numbers, not ``evdev.ecodes``, so this table loads anywhere.
EVDEV_KEYS: dict[int, KeyAction] = {
    103: KeyAction.UP, 72: KeyAction.UP,              # KEY_UP, KEY_KP8
    108: KeyAction.DOWN, 80: KeyAction.DOWN,          # KEY_DOWN, KEY_KP2
    105: KeyAction.LEFT, 75: KeyAction.LEFT,          # KEY_LEFT, KEY_KP4
    106: KeyAction.RIGHT, 77: KeyAction.RIGHT,        # KEY_RIGHT, KEY_KP6
    76: KeyAction.ACTIVATE, 96: KeyAction.ACTIVATE, 28: KeyAction.ACTIVATE,   # KEY_KP5, KEY_KPENTER, KEY_ENTER
    82: KeyAction.BACK, 14: KeyAction.BACK, 1: KeyAction.BACK,                # KEY_KP0, KEY_BACKSPACE, KEY_ESC
    55: KeyAction.REPEAT, 522: KeyAction.REPEAT,      # KEY_KPASTERISK, KEY_NUMERIC_STAR
    523: KeyAction.HELP, 98: KeyAction.HELP,          # KEY_NUMERIC_POUND (#), KEY_KPSLASH (a plain keypad has no #)
    138: KeyAction.HELP, 59: KeyAction.HELP,          # KEY_HELP, KEY_F1
    78: KeyAction.VOLUME_UP, 115: KeyAction.VOLUME_UP,        # KEY_KPPLUS, KEY_VOLUMEUP
    74: KeyAction.VOLUME_DOWN, 114: KeyAction.VOLUME_DOWN,    # KEY_KPMINUS, KEY_VOLUMEDOWN
}


def action_for_pygame_key(key: int) -> KeyAction | None:
    return PYGAME_KEYS.get(key)


def action_for_evdev_code(code: int) -> KeyAction | None:
    return EVDEV_KEYS.get(code)
