"""The feature tiles of the home screen.

A feature registers itself here when it exists (booking, request tracking,
city information, check-in…), with the terminal profiles it belongs to; the
home screen shows exactly the registered ones for this terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.shell.app import App
    from screens.base import Screen


@dataclass(frozen=True)
class Feature:
    id: str
    title: str                  # msgid, translated when shown
    subtitle: str               # msgid
    icon: str
    profiles: frozenset[str]    # "street", "counter"
    open: Callable[[App], Screen]
    demo_only: bool = False


_REGISTRY: list[Feature] = []


def register(feature: Feature) -> Feature:
    if any(f.id == feature.id for f in _REGISTRY):
        raise ValueError(f"feature {feature.id!r} registered twice")
    _REGISTRY.append(feature)
    return feature


def features_for(profile: str, demo: bool) -> list[Feature]:
    _load_builtin()
    return [f for f in _REGISTRY if profile in f.profiles and (demo or not f.demo_only)]


_loaded = False


def _load_builtin() -> None:
    """Import the modules that register features (each does so at import)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import screens.booking.choose_service  # noqa: F401  (« Prendre rendez-vous »)
    import screens.city.home  # noqa: F401  (city information: places, hours, events, pages)
    import screens.shell.toolkit_demo  # noqa: F401  (demo-only practice screen)
    import screens.tracking.number  # noqa: F401  (« Suivre ma demande »)
