"""Offline queue numbers, taken from the block the central API reserved for this terminal.

Why blocks: terminals that lose the network together must never print the same number. The
server reserves for each terminal, per day, a block of numbers counted down from 999 that its
own counter never reaches (``GET /v1/number-blocks``: 960–999 for the first terminal that asks,
920–959 for the next…). The sync worker keeps today's and tomorrow's blocks in the cache; offline,
this module hands out the block's numbers in order, per letter (``A960, A961…`` and ``B960…``
independently), and the check-in or walk-in sent later carries its ``offline_number``: the server
keeps it because it lies in this terminal's block.

Taking a number is one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` in its own ``BEGIN
IMMEDIATE`` transaction, committed before the number is shown or printed: two threads never get
the same number, and a terminal killed at any moment never hands a number out twice (at worst
one is skipped, which costs nothing). No block for the day, or a block used up: ``None`` — no
number is invented; the ticket then sends the person to the reception desk.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from offline_cache.catalog import utc_text
from offline_cache.db import write_transaction

NUMBER = re.compile(r"^[A-Z][0-9]{3}$")
#: A block is kept this many days after its day: then it is purged with the day's tickets.
KEEP_DAYS = 2


@dataclass(frozen=True)
class Block:
    day: date
    first: int
    last: int

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last <= 999:
            raise ValueError(f"a number block runs within 1..999, first ≤ last (got {self.first}–{self.last})")


def format_number(letter: str, value: int) -> str:
    """``("A", 7)`` → ``"A007"``: the contract's ``<letter><3 digits>``."""
    text = f"{letter}{value:03d}"
    if not NUMBER.fullmatch(text):
        raise ValueError(f"not a queue number: {letter!r} {value!r}")
    return text


def store_block(conn: sqlite3.Connection, block: Block, fetched_at: datetime) -> bool:
    """Keep the block the server gave for its day; returns whether anything changed.

    The server gives the same block for (terminal, day) on every call, so a second call with the
    same bounds changes nothing. A *different* block for a day already numbered from (the town
    reset its reservations) replaces it, and the counters of that day move into the new block —
    never back into numbers already handed out of the old one, should the two overlap.
    """
    day = block.day.isoformat()
    with write_transaction(conn):
        old = conn.execute("SELECT first, last FROM number_blocks WHERE day = ?", (day,)).fetchone()
        if old is not None and (old[0], old[1]) == (block.first, block.last):
            return False
        conn.execute("INSERT INTO number_blocks (day, first, last, fetched_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(day) DO UPDATE SET first = excluded.first, last = excluded.last, "
                     "fetched_at = excluded.fetched_at", (day, block.first, block.last, utc_text(fetched_at)))
        if old is None:
            return True
        # Counters move into the new block. Numbers handed out of the old block run from its first
        # to next - 1: where they overlap the new block, carry on above them (never hand one out
        # twice, at worst skip some); where they do not, start at the new block's first.
        conn.execute("UPDATE queue_numbers SET next = CASE WHEN ? <= next - 1 AND ? <= ? "
                     "THEN max(next, ?) ELSE ? END WHERE day = ?",
                     (block.first, int(old[0]), block.last, block.first, block.first, day))
    return True


def block_for(conn: sqlite3.Connection, day: date) -> Block | None:
    row = conn.execute("SELECT first, last FROM number_blocks WHERE day = ?", (day.isoformat(),)).fetchone()
    return Block(day, int(row[0]), int(row[1])) if row else None


def allocate(conn: sqlite3.Connection, day: date, letter: str) -> str | None:
    """The next number of this terminal's block for (``day``, ``letter``), committed before it is
    returned; ``None`` when there is no block for that day or it is used up (nothing is taken)."""
    if not re.fullmatch(r"[A-Z]", letter):
        raise ValueError(f"a queue letter is one capital letter, not {letter!r}")
    key = day.isoformat()
    with write_transaction(conn):
        block = conn.execute("SELECT first, last FROM number_blocks WHERE day = ?", (key,)).fetchone()
        if block is None:
            return None
        first, last = int(block[0]), int(block[1])
        row = conn.execute(
            "INSERT INTO queue_numbers (day, letter, next) VALUES (?, ?, ? + 1) "
            "ON CONFLICT(day, letter) DO UPDATE SET next = next + 1 WHERE next <= ? "
            "RETURNING next - 1", (key, letter, first, last)).fetchone()
        if row is None:            # the block is used up: the counter stays where it is
            return None
        taken = int(row[0])
        if taken > last:           # defensive: a first insert into an exhausted range cannot happen
            raise sqlite3.IntegrityError("queue number outside the block")
    return format_number(letter, taken)


def remaining(conn: sqlite3.Connection, day: date, letter: str) -> int:
    """How many numbers of the day's block are left for ``letter`` (0 without a block)."""
    block = block_for(conn, day)
    if block is None:
        return 0
    row = conn.execute("SELECT next FROM queue_numbers WHERE day = ? AND letter = ?",
                       (day.isoformat(), letter)).fetchone()
    following = int(row[0]) if row else block.first
    return max(0, block.last - following + 1)


def purge_before(conn: sqlite3.Connection, day: date) -> None:
    """Forget blocks and counters of days before ``day`` (they are worth nothing any more)."""
    key = day.isoformat()
    with write_transaction(conn):
        conn.execute("DELETE FROM number_blocks WHERE day < ?", (key,))
        conn.execute("DELETE FROM queue_numbers WHERE day < ?", (key,))
