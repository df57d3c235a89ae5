"""Large tiles for one answer among a few: a type of record, a category, yes or no.

A choice on a public terminal is a row of big buttons, not a drop-down list: every answer
is read at once and touched anywhere on its tile. The chosen one is filled and carries a
check mark (not colour alone, see :class:`~screens.widgets.button.Button`). Tiles keep the
order the options were given in; two per line in portrait, more when the screen is wide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from screens.widgets.button import Button
from screens.widgets.containers import Grid

TILE_HEIGHT = 112     # px at 1080 scale: a primary button's height, well above the minimum touch


class ChoiceTiles(Grid):
    """One tile per ``(value, label)``; touching one calls ``on_choose(value)``. Each tile's id is
    ``f"{id}-{value}"`` (the pilot and the tests tap them by value)."""

    def __init__(self, options: Sequence[tuple[str, str]], chosen: str | None, on_choose: Callable[[str], None],
                 *, id: str, columns: int = 2, gap: int = 16) -> None:
        self.values = [value for value, _label in options]
        tiles = [Button(label, selected=value == chosen, id=f"{id}-{value}", min_height=TILE_HEIGHT,
                        on_tap=partial(on_choose, value))
                 for value, label in options]
        super().__init__(tiles, columns=columns, min_tile_height=TILE_HEIGHT, id=id, gap=gap)


def yes_no_tiles(value: bool | None, on_choose: Callable[[bool], None], *, yes: str, no: str, id: str) -> ChoiceTiles:
    """« Oui » / « Non » as two tiles side by side (``value`` None: neither chosen yet)."""
    chosen = None if value is None else ("yes" if value else "no")
    return ChoiceTiles([("yes", yes), ("no", no)], chosen, lambda v: on_choose(v == "yes"), id=id)
