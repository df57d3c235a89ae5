"""The words speech adds to what a widget shows: its role (« bouton », « champ ») and its state.

Why here and not in each widget: the same few words — what a control is, whether it is chosen or
cannot be used — are said by buttons, tiles, keys, fields and list rows, and must be said the same
way everywhere, in the visit's language (they are msgids translated when said, like the labels).
The characters a key shows but a voice would skip or mangle (« ' », « @ », « - ») get a name.
"""

from __future__ import annotations

from kiosk.i18n import N_, _
from kiosk.speech.personal import NOT_PERSONAL_KEYS
from kiosk.speech.utterance import Part, PartKind

BUTTON = N_("button")
FIELD = N_("field")
SELECTED = N_("selected")
UNAVAILABLE = N_("unavailable")
EMPTY = N_("empty")
QR_CODE = N_("QR code")
FREE_TIMES = N_("free times")
NO_FREE_TIME = N_("no free time")

#: Key characters a voice does not say as they are written, by msgid.
KEY_NAMES: dict[str, str] = {
    "'": N_("apostrophe"), "-": N_("hyphen"), "@": N_("at sign"), ".": N_("dot"), "_": N_("underscore"),
    "+": N_("plus"), "/": N_("slash"), " ": N_("space"),
}
#: Buttons labelled with a sign only (a calendar's ‹ and ›), said by what they do.
SIGN_NAMES: dict[str, str] = {"‹": N_("previous"), "›": N_("next"), "<": N_("previous"), ">": N_("next")}


def words(*msgids: str) -> list[Part]:
    """Each msgid translated into the visit's language, as plain parts."""
    return [Part(_(m)) for m in msgids if m]


def texts(*shown: str | None) -> list[Part]:
    """What a widget shows, as plain parts (the empty ones left out)."""
    return [Part(t) for t in shown if t and t.strip()]


def label_words(label: str) -> str:
    """A button's label as said: a sign alone (« › ») by its meaning (« suivant »)."""
    named = SIGN_NAMES.get(label.strip())
    return _(named) if named is not None else label


def key_name(label: str) -> str:
    """How a key of a keyboard is said: a letter as its capital (« a » is a verb in French, « A »
    the letter), a sign by its name, anything else (« Effacer », « 123 ») as shown."""
    if len(label) == 1:
        named = KEY_NAMES.get(label)
        if named is not None:
            return _(named)
        return label.upper() if label.isalpha() else label
    return label


_KIND_HINTS: tuple[tuple[str, PartKind], ...] = (
    ("phone", "phone"), ("mail", "email"), ("reference", "reference"), ("code", "reference"), ("name", "name"),
)


def typed_part(key: str, value: str, *, masked: bool = False, kind: PartKind | None = None) -> Part:
    """A typed value as speech says it: personal (masked on a loudspeaker) unless it is a search,
    read by its kind — guessed from the field's store key (``booking_phone``, ``tracking_code``…)
    unless the screen gave it (``TextField.speech_kind``). A masked field's value is PIN digits."""
    lowered = key.lower()
    if masked:
        return Part(value, "pin", True)
    guessed: PartKind = next((k for hint, k in _KIND_HINTS if hint in lowered), "text")
    said_as = kind if kind is not None else guessed
    personal = not any(hint in lowered for hint in NOT_PERSONAL_KEYS)
    return Part(value, said_as, personal)
