"""The glyphs of the démarche tiles, in one place: a form names a symbolic icon, the terminal
draws its own (an unknown name gets the default). When the toolkit's icon font arrives, only
this table changes."""

from __future__ import annotations

FEATURE = "✎"          # the home tile « Faire une démarche »
DEFAULT = "✎"
BY_NAME = {
    "article": "▤",     # a document asked for (a civil-status record)
    "report": "⚠",      # something wrong in the street
    "description": "▤",
    "warning": "⚠",
}


def icon_for(name: str | None) -> str:
    """The glyph for a form's symbolic icon name (``DEFAULT`` when unknown or absent)."""
    return BY_NAME.get(name or "", DEFAULT)
