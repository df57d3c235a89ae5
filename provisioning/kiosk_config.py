"""kiosk.toml as kiosk-provision sees it: validated by the kiosk's own models, with the same lines.

A technician must get the very sentence ``kiosk check-config`` would print, whichever tool found
the problem, so this module never words a problem itself: it hands the text to kiosk.config.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from provisioning.common import Paths

if TYPE_CHECKING:
    from kiosk.config import KioskConfig


def parse_and_validate(text: str, path: Path) -> tuple[KioskConfig | None, list[str]]:
    """The configuration ``text`` would give once written at ``path`` (relative paths resolve there)."""
    from kiosk.config import ConfigError, config_from_dict
    from kiosk.config.errors import toml_problem

    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        return None, [toml_problem(path, exc)]
    try:
        return config_from_dict(data, path), []
    except ConfigError as err:
        return None, list(err.problems)


def validate_text(text: str, path: Path) -> list[str]:
    """The problem lines of ``text`` as the configuration at ``path`` (empty: valid)."""
    return parse_and_validate(text, path)[1]


def config_path(paths: Paths, given: str | None) -> Path:
    return Path(given).resolve() if given else paths.config


def load(paths: Paths, given: str | None) -> tuple[KioskConfig | None, list[str]]:
    """The target's kiosk.toml (or ``--config``), or the lines saying why it cannot be used."""
    from kiosk.config import ConfigError, load_config

    path = config_path(paths, given)
    try:
        return load_config(path), []
    except ConfigError as err:
        return None, list(err.problems)
