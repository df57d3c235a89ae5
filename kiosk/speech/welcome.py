"""What speech says when it starts or when help is asked, and the short text of the keys the
accessibility screen shows.

Why here and not in a screen: the same words are said whatever started speech (holding 5,
plugging a headset, « Guidage vocal »), and they describe the keys of
:mod:`kiosk.speech.keys`; one place keeps what is said and what the keys do together. The
words are the visit's language through the catalog (English msgids, French translations).
"""

from __future__ import annotations

from kiosk.i18n import _


def welcome_words() -> list[str]:
    """The spoken welcome: speech is on, then each key, then touch. Said when speech starts and
    again when it is asked to start while it is on (the person may have missed it)."""
    return [_("Voice guidance is on."), *keys_words()]


def keys_words() -> list[str]:
    """Each key, then touch, a sentence each: the welcome's and the help key's (« # ») words,
    so what a person is told at the start and when they ask again can never differ."""
    return [
        _("Move with the arrow keys, or with the keys 2, 4, 6 and 8."),
        _("Key 5, or Enter, activates."),
        _("Key 0 goes back."),
        _("Star repeats. Hash gives help; on a keypad without a hash key, use the slash key."),
        _("Plus and minus set the volume."),
        _("On the screen, touch once to hear, touch twice to activate."),
    ]


def keys_summary() -> str:
    """The keys in one short paragraph, for the eye (the accessibility screen)."""
    return _("Keypad: arrows or 2 4 6 8 move, 5 or Enter activates, 0 goes back, * repeats, # (or /) gives help, "
             "+ and − set the volume. On the screen: touch once to hear, twice to activate.")
