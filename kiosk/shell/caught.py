"""The exceptions the failsafe caught: the last few, and how many in all.

Tests read them (the pilot's ``take_errors``, which fails a test on an unexpected one);
nothing on a terminal does, since every one is logged with its traceback when caught. A
traceback holds the frames of the screen that failed, and through their local variables
the screen's widgets and surfaces: a terminal that failed now and then for weeks kept
them all. So only the last :data:`ERRORS_KEPT` are kept, with their frames' variables
released (the traceback still prints, file and line, as the log showed it).
"""

from __future__ import annotations

import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from typing import overload

# Enough for any test (one that provokes failures takes them after each one, or reads the last
# few) and for a developer after a soak run (its report keeps the first traceback of each kind).
ERRORS_KEPT = 5


class CaughtErrors(Sequence[BaseException]):
    def __init__(self, keep: int = ERRORS_KEPT) -> None:
        self._recent: deque[BaseException] = deque(maxlen=keep)
        self.total = 0          # caught since the start, kept or not

    def append(self, exc: BaseException) -> None:
        self.total += 1
        _release_frames(exc)
        self._recent.append(exc)

    def since(self, seen: int) -> list[BaseException]:
        """The exceptions caught after the first ``seen`` (those of them still kept)."""
        new = min(max(0, self.total - seen), len(self._recent))
        return list(self._recent)[len(self._recent) - new:]

    def __len__(self) -> int:
        return len(self._recent)

    @overload
    def __getitem__(self, index: int) -> BaseException: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[BaseException]: ...

    def __getitem__(self, index: int | slice) -> BaseException | Sequence[BaseException]:
        if isinstance(index, slice):
            return list(self._recent)[index]
        return self._recent[index]

    def __iter__(self) -> Iterator[BaseException]:
        return iter(list(self._recent))

    def __eq__(self, other: object) -> bool:
        """Equal to a list of exceptions when those are all it ever caught: ``app.errors == []``
        still means « nothing failed », even after older exceptions were let go."""
        if isinstance(other, CaughtErrors):
            return self.total == other.total and list(self._recent) == list(other._recent)
        if isinstance(other, list | tuple):
            return self.total == len(other) and list(self._recent) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content: not hashable

    def __repr__(self) -> str:
        return f"CaughtErrors({list(self._recent)!r}, total={self.total})"


def _release_frames(exc: BaseException) -> None:
    """Drop the local variables of the finished frames in ``exc``'s traceback and in those of
    the exceptions it was raised from or during (frames still running are left alone)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        traceback.clear_frames(e.__traceback__)
        todo += [e.__cause__, e.__context__]
