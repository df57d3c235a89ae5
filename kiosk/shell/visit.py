"""Everything that belongs to the person at the terminal, in one place to wipe.

Typed fields (names, phone, e-mail, request numbers), per-feature drafts, and
the language and accessibility choices. When the visit ends (idle reset,
« Accueil » after a flow, a failsafe) ``wipe`` drops it all, so the next person
finds nothing of the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settings:
    language: str
    large_text: bool = False
    high_contrast: bool = False
    low_reach: bool = False
    speech: bool = False        # speech on for this visit (held 5, the headset jack, « Guidage vocal »)


@dataclass
class Visit:
    defaults: Settings
    settings: Settings = field(init=False)   # the visit's own choices: the defaults until changed
    fields: dict[str, str] = field(default_factory=dict)   # what was typed, by field key
    drafts: dict[str, Any] = field(default_factory=dict)   # per-feature state (e.g. a booking in progress)

    def __post_init__(self) -> None:
        self.settings = self.defaults

    @property
    def has_personal_data(self) -> bool:
        return any(self.fields.values()) or bool(self.drafts)

    @property
    def is_active(self) -> bool:
        """Something would be lost or left behind if the person walked away."""
        return self.has_personal_data or self.settings != self.defaults

    def wipe(self) -> None:
        # Overwrite before clearing: the dict may be referenced by a live widget.
        for key in list(self.fields):
            self.fields[key] = ""
        self.fields.clear()
        for draft in list(self.drafts.values()):   # a draft that holds typed data forgets it itself
            wipe = getattr(draft, "wipe", None)      # (a démarche's Session), whoever still holds it
            if callable(wipe):
                wipe()
        self.drafts.clear()
        self.settings = self.defaults
