"""A configuration section as the plain keys its driver takes.

The drivers are built from the typed sections of ``kiosk.config`` (pydantic models) on a
terminal, and from plain dicts in demo mode and in tests; every factory (printer, scanner,
touch, hotplug rules) needs the same dict of keys, so the conversion is made here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Dumpable(Protocol):
    """A pydantic model, or anything else that gives its fields as a dict."""

    def model_dump(self) -> Mapping[str, Any]: ...


def section_values(section: Mapping[str, Any] | Dumpable) -> dict[str, Any]:
    """A new dict of the section's keys (the caller may pop from it)."""
    return dict(section.model_dump() if isinstance(section, Dumpable) else section)
