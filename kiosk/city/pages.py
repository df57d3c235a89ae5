"""The catalog's practical pages as blocks a screen can lay out: headings, paragraphs, lists.

The catalog says each page's ``format``. Understood:

* ``text/markdown`` (or ``markdown``): the small part of Markdown a town hall writes —
  ``#`` headings, paragraphs separated by blank lines, ``-``/``*``/``1.`` lists; ``**bold**``,
  ``*emphasis*`` and ``` `code` ``` lose their marks, a link ``[text](address)`` reads
  « text (address) », an image ``![text](…)`` keeps its text only;
* ``text/plain`` (or ``text``): each non-empty line is a paragraph (addresses and telephone
  lists are written one item per line).

Anything else (``text/x-spip``, HTML…) is shown as plain text, marks included — better a
few braces than a missing page — and logged once per page.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

log = logging.getLogger(__name__)

MARKDOWN = frozenset({"text/markdown", "markdown", "md"})
PLAIN = frozenset({"text/plain", "text", "plain", ""})
_reported: set[str] = set()

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "paragraph", "list"]
    text: str = ""
    items: tuple[str, ...] = ()
    level: int = 1
    ordered: bool = False


def inline(text: str) -> str:
    """Markdown inline marks removed; what they marked stays."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(lambda m: m[1] if m[1] == m[2] else f"{m[1]} ({m[2]})", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _markdown(body: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    ordered = False

    def flush() -> None:
        nonlocal ordered
        if paragraph:
            blocks.append(Block("paragraph", inline(" ".join(paragraph))))
            paragraph.clear()
        if items:
            blocks.append(Block("list", items=tuple(inline(i) for i in items), ordered=ordered))
            items.clear()

    for line in body.splitlines():
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = None if bullet else _NUMBERED.match(line)
        listed = bullet or numbered
        if heading:
            flush()
            blocks.append(Block("heading", inline(heading[2]), level=len(heading[1])))
        elif listed:
            if paragraph or (items and ordered != bool(numbered)):
                flush()
            ordered = bool(numbered)
            items.append(listed[1])
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()          # a list item continued on the next line
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    return blocks


def _plain(body: str) -> list[Block]:
    return [Block("paragraph", " ".join(line.split())) for line in body.splitlines() if line.strip()]


def page_blocks(body: str | None, fmt: str | None, page_id: str = "") -> list[Block]:
    """The page's blocks; never raises, whatever the catalog sent."""
    body = body or ""
    fmt = (fmt or "").strip().lower().split(";")[0].strip()
    if fmt in MARKDOWN:
        return _markdown(body)
    if fmt not in PLAIN and page_id not in _reported:
        _reported.add(page_id)
        log.warning("page %s: format %r is not understood; shown as plain text", page_id or "?", fmt[:40])
    return _plain(body)


def list_pages(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Id and title of every page, in the catalog's order."""
    return [dict(r) for r in conn.execute("SELECT id, title FROM pages ORDER BY position, title")]


def get_page(conn: sqlite3.Connection, page_id: str) -> tuple[dict[str, Any], list[Block]] | None:
    """The page row and its blocks, or None when it left the catalog."""
    row = conn.execute("SELECT id, title, format, body, updated FROM pages WHERE id = ?", (page_id,)).fetchone()
    if row is None:
        return None
    return dict(row), page_blocks(row["body"], row["format"], row["id"])
