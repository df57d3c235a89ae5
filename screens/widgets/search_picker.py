"""A field typed on the keyboard with the matches under it, refreshed at every key: a street.

Used where a person must name one thing of a known list (the town's streets, the city
guide's places) without spelling it exactly: the matches follow each key, and touching one
picks it. The search itself is the feature service's (a few milliseconds over a few hundred
rows); this widget shows what it answers. The typed text is kept in the visit's store (a
rebuild keeps it, the end of the visit wipes it), like any :class:`TextField`.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from functools import partial

from kiosk.shell.ui import TEXT_SMALL
from screens.widgets.base import Widget
from screens.widgets.containers import Column
from screens.widgets.label import Label
from screens.widgets.list_row import ListRow
from screens.widgets.text_field import TextField


@dataclass(frozen=True)
class Match:
    """One thing the search found: what is kept (``key``), and the words shown for it."""

    key: str
    title: str
    detail: str = ""


class SearchPicker(Column):
    """``field`` (typed into through the screen's keyboard) and, below it, up to ``shown`` matches
    of ``search(typed)``; ``on_pick(match)`` when one is touched. Match rows are ``f"{id}-match-{i}"``."""

    def __init__(self, store: MutableMapping[str, str], key: str, *, caption: str, placeholder: str,
                 search: Callable[[str], Sequence[Match]], on_pick: Callable[[Match], None],
                 hint: str, none_found: str, shown: int = 5, max_length: int = 60, id: str,
                 matches_apart: bool = False) -> None:
        self.prefix = id
        self.search, self.on_pick = search, on_pick
        self.hint, self.none_found, self.shown = hint, none_found, shown
        self.field = TextField(store, key, caption=caption, placeholder=placeholder, max_length=max_length,
                               id=f"{id}-field", on_change=lambda _value: self.refresh())
        self.matches = Column(self._rows(), gap=12, id=f"{id}-matches")
        # ``matches_apart``: the screen shows the matches elsewhere (beside the keyboard, on a wide screen).
        super().__init__([self.field] if matches_apart else [self.field, self.matches], id=id, gap=16)

    def _rows(self) -> list[Widget]:
        typed = self.field.value.strip()
        if not typed:
            return [Label(self.hint, size=TEXT_SMALL, colour="muted", id=f"{self.prefix}-hint")]
        found = list(self.search(typed))[: self.shown]
        if not found:
            return [Label(self.none_found.format(typed=typed), size=TEXT_SMALL, bold=True,
                          id=f"{self.prefix}-none")]
        return [ListRow(m.title, [m.detail], id=f"{self.prefix}-match-{i}", on_tap=partial(self.on_pick, m))
                for i, m in enumerate(found)]

    def refresh(self) -> None:
        """Search again for what is typed now (called at every key)."""
        self.matches.items = self._rows()
        for row in self.matches.items:
            row.parent = self.matches
            for w in row.walk():
                w.owner = self.owner
        self.request_layout()      # the rows may grow or shrink: the screen lays out and redraws
