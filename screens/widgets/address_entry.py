"""A postal address in three fields — number and street, postcode, town — for a delivery.

Three fields rather than one: the postcode is typed on the number keypad and checked as
five digits, and the town hall's post room reads each part where it expects it. The
values live in the visit's store under ``f"{key}.street"``, ``f"{key}.postcode"`` and
``f"{key}.city"`` (wiped with the visit); the screen sends the keys to the field in focus.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from functools import partial

from screens.widgets.containers import Column
from screens.widgets.text_field import TextField

PARTS = ("street", "postcode", "city")
LIMITS = {"street": 120, "postcode": 5, "city": 60}


class AddressEntry(Column):
    def __init__(self, store: MutableMapping[str, str], key: str, *, captions: dict[str, str],
                 focused: str | None, errors: dict[str, str], on_focus: Callable[[str], None], id: str) -> None:
        self.fields: dict[str, TextField] = {}
        for part in PARTS:
            field = TextField(store, f"{key}.{part}", caption=captions[part], max_length=LIMITS[part],
                              allowed=str.isdigit if part == "postcode" else None, id=f"{id}-{part}",
                              on_tap=partial(on_focus, part))
            field.focused = part == focused
            field.error = errors.get(part, "")
            self.fields[part] = field
        super().__init__(list(self.fields.values()), gap=16, id=id)

    @staticmethod
    def value(store: MutableMapping[str, str], key: str) -> dict[str, str] | None:
        """The address as the form's answer (None while nothing is typed)."""
        parts = {part: store.get(f"{key}.{part}", "").strip() for part in PARTS}
        return parts if any(parts.values()) else None
