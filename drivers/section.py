"""From a typed configuration section to a driver in one step, like python-escpos's printers.

Why: the ``[printer]``, ``[scanner]`` and ``[touch]`` models (:mod:`kiosk.config.models`)
already state every key, its type and which keys each ``type`` accepts. A driver factory
takes the section as it is: its ``type`` picks the class and the keys the technician set
are that class's arguments. A key left out (``None`` in the model) is not passed, so the
default lives in one place only, the driver's own constructor.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["driver_arguments"]


def driver_arguments(section: BaseModel, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The keys ``section`` sets, except ``type`` and ``exclude``: the arguments of the class its type picks.

    The values are ``Any`` because they are as many types as there are keys; the section's own
    validator has already checked each key, its type and that its ``type`` accepts it.
    """
    skipped = {"type", *exclude}
    return {name: value for name in type(section).model_fields
            if name not in skipped and (value := getattr(section, name)) is not None}
