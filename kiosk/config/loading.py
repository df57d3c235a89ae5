"""The terminal's configuration: kiosk.toml read into frozen, validated models.

Technicians edit kiosk.toml over SSH on many terminals, so a mistake must come back
as a short list of plain sentences, never a traceback. ``load_config`` raises
``ConfigError`` whose ``problems`` holds one line per problem, always in one of these
shapes (``<file>`` is the configuration file's name, e.g. ``kiosk.toml``)::

    <file>: <dotted.key> = <value repr, max ~60 chars>: <what is expected>
    <file>: <dotted.key>: missing (required): <what is expected>
    <file> line <L>, column <C>: <TOML syntax problem, or "not valid UTF-8 text ...">
    <file>: <why the file cannot be used> (<full path>)
    <file>: override '<dotted.key>': <why it cannot be applied>

A line about a value that came from an override (``load_config(..., overrides)``, i.e.
a command-line flag) ends with " (set by an override)". ``config_warnings`` returns
non-fatal advice in the same shapes.

Values under ``admin`` are shown as ``(hidden)``: a mangled hash, or a PIN typed where
the hash belongs, must not end up in the journal.

Models are strict (``strict=True`` on top of ``extra="forbid"``): a TOML value must
already have the right type, so ``rotation = "90"`` or ``fullscreen = 1`` is refused
with a hint instead of being silently converted. Overrides must be typed likewise.
Relative paths (logo, CA bundle, credentials) are relative to the configuration
file's folder and are stored absolute (normalised, symlinks not followed).

This module is the loader and the one place to import from: the models live in
:mod:`kiosk.config.models` (re-exported here) and the wording of problem lines in
:mod:`kiosk.config.errors`.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from kiosk.admin import pin as admin_auth
from kiosk.config.errors import (
    allowed_keys,
    os_error_text,
    shown,
    toml_problem,
    utf8_problem,
    validation_lines,
)
from kiosk.config.models import KioskConfig, is_loopback

SYSTEM_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
REPO_CONFIG_PATH = Path(__file__).parents[2] / "kiosk.toml"
DEMO_PIN = "1234"  # the PIN whose hash ships in the repository's kiosk.toml


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` are ready-to-print lines."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = [p.replace("\n", "\\n") for p in problems]  # one problem, one line
        super().__init__("\n".join(self.problems))


# --- public API ------------------------------------------------------------------------

def resolve_config_path(cli_path: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """--config, else $KIOSK_CONFIG (if not empty), else /etc/kiosk/kiosk.toml if it
    exists, else the repository's demo kiosk.toml (so a fresh checkout just runs)."""
    if cli_path:
        return Path(cli_path)
    if env.get("KIOSK_CONFIG"):
        return Path(env["KIOSK_CONFIG"])
    if SYSTEM_CONFIG_PATH.exists():
        return SYSTEM_CONFIG_PATH
    return REPO_CONFIG_PATH


def _validate(data: Mapping[str, Any], source: Path, override_keys: Collection[str] = ()) -> KioskConfig:
    source = Path(os.path.abspath(source))
    data = dict(data)
    lines: list[tuple[str, str]] = []
    if "source" in data:  # a real field of the model, but not something a file may set
        lines.append(("source", f"source = {shown(data.pop('source'), 'source')}: unknown key "
                                f"(allowed here: {allowed_keys(KioskConfig, KioskConfig)})"))
    try:
        cfg = KioskConfig.model_validate({**data, "source": source}, context={"base_dir": source.parent})
    except ValidationError as exc:
        lines += validation_lines(exc, KioskConfig)
    if lines:
        raise ConfigError(source, [
            f"{source.name}: {line}" + (" (set by an override)" if key in override_keys else "")
            for key, line in lines
        ])
    return cfg


def config_from_dict(data: Mapping[str, Any], source: Path) -> KioskConfig:
    """Validate already-parsed TOML data as if it had been read from ``source``."""
    return _validate(data, Path(source))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, [f"{path.name}: {os_error_text(exc)} ({path})"]) from None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # tolerate a BOM from Windows editors
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [utf8_problem(path, raw, exc)]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [toml_problem(path, exc)]) from None


def _apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any], name: str) -> list[str]:
    """Set dotted keys in ``data``; a None value removes the key (back to its default)."""
    problems = []
    for dotted, value in overrides.items():
        parts = dotted.split(".") if isinstance(dotted, str) else [""]
        if not all(parts):
            problems.append(f"{name}: override {dotted!r}: not a dotted key such as 'display.size'")
            continue
        node = data
        for depth, part in enumerate(parts[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                problems.append(f"{name}: override {dotted!r}: {'.'.join(parts[:depth + 1])} is not a section")
                break
            node = child
        else:
            if value is None:
                node.pop(parts[-1], None)
            else:
                node[parts[-1]] = value
    return problems


def load_config(path: Path | str, overrides: Mapping[str, Any] | None = None) -> KioskConfig:
    """Read, override and validate a configuration file; raise ConfigError on any problem."""
    path = Path(os.path.abspath(path))
    data = _read_toml(path)
    overrides = dict(overrides or {})
    data = copy.deepcopy(data)
    problems = _apply_overrides(data, overrides, path.name)
    try:
        cfg = _validate(data, path, set(overrides))
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(path, problems)
    return cfg


def config_warnings(cfg: KioskConfig) -> list[str]:
    """Non-fatal advice for the startup log and the provisioning check, same line format."""
    name, warnings = cfg.source.name, []
    if admin_auth.verify_pin(DEMO_PIN, cfg.admin.pin_hash):
        warnings.append(f"{name}: admin.pin_hash: still the demo PIN {DEMO_PIN} that everyone can read in the "
                        'documentation; choose a PIN and paste the line printed by "kiosk hash-pin"')
    host = urlsplit(cfg.api.base_url).hostname or ""
    if is_loopback(host):
        warnings.append(f"{name}: api.base_url = {cfg.api.base_url!r}: points at this machine, as in the demo; "
                        "a town's terminal needs the https:// address of its central server")
    for section in ("printer", "scanner"):
        if getattr(cfg, section).type == "simulated":
            warnings.append(f"{name}: {section}.type = 'simulated': no real {section} is used (demo setting)")
    ratio = _contrast_with_white(cfg.branding.primary_colour)
    if ratio < 4.5:
        warnings.append(f"{name}: branding.primary_colour = {cfg.branding.primary_colour!r}: white text on it has "
                        f"a contrast of {ratio:.1f}:1; the accessibility rule asks for at least 4.5:1")
    return warnings


def _contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``#rrggbb``."""
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
