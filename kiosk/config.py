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
"""

from __future__ import annotations

import copy
import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Collection, Literal, Mapping, Optional, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from kiosk import admin_auth

AVAILABLE_LANGUAGES = ("fr", "en")
SYSTEM_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
REPO_CONFIG_PATH = Path(__file__).parent.parent / "kiosk.toml"
DEMO_PIN = "1234"  # the PIN whose hash ships in the repository's kiosk.toml
_SECRET_SECTION = "admin"  # values under it are never echoed: a mangled hash, or a PIN typed there
_MAX_SHOWN = 60


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` are ready-to-print lines."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = [p.replace("\n", "\\n") for p in problems]  # one problem, one line
        super().__init__("\n".join(self.problems))


# --- helpers used by the models' validators -------------------------------------------

def _os_error_text(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot be read: {exc.strerror or exc}"


def _config_path(value: Any, info: ValidationInfo) -> Path:
    """Turn a TOML path string into an absolute Path relative to the config's folder."""
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("must be a file path in quotes")
    if not value.strip():
        raise ValueError("must not be empty (leave the key out instead)")
    base = Path((info.context or {}).get("base_dir") or Path.cwd())
    return Path(os.path.normpath(base / value))


def _read_head(path: Path, size: int) -> bytes:
    """Open the file for real (os.access lies for root) and return its first bytes."""
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except OSError as exc:
        raise ValueError(f"{_os_error_text(exc)} ({path})") from None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``#rrggbb``."""
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


# --- the models ----------------------------------------------------------------------

class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class TerminalConfig(_Section):
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,63}$",
        description='an identifier such as "town-hall-01": 1 to 64 lower-case letters, digits '
        'or "-", not starting with "-"',
    )
    name: str = Field(min_length=1, max_length=80, description="a name of 1 to 80 characters")
    profile: Literal["street", "counter"] = Field(description='"street" or "counter"')


class LocationConfig(_Section):
    address: str = Field(min_length=1, max_length=200, description="a postal address of 1 to 200 characters")
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False, description="degrees from -90 to 90")
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False, description="degrees from -180 to 180")


class BrandingConfig(_Section):
    town_name: str = Field(min_length=1, max_length=80, description="a name of 1 to 80 characters")
    logo: Optional[Path] = Field(None, description="the path of a PNG image")
    primary_colour: str = Field("#1d4e89", description='a colour written "#RRGGBB", e.g. "#1d4e89"')

    @field_validator("logo", mode="before")
    @classmethod
    def _logo_png(cls, value: Any, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = _config_path(value, info)
        if _read_head(path, 8) != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"not a PNG image ({path})")
        return path

    @field_validator("primary_colour")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError('must be a colour written "#RRGGBB" in hexadecimal, e.g. "#1d4e89"')
        return value.lower()


class LanguagesConfig(_Section):
    default: str = Field("fr", description=f"one of {', '.join(AVAILABLE_LANGUAGES)}")
    offered: tuple[str, ...] = Field(
        ("fr", "en"), strict=False, description='a list of language codes such as ["fr", "en"]'
    )

    @field_validator("default")
    @classmethod
    def _available(cls, value: str) -> str:
        if value not in AVAILABLE_LANGUAGES:
            raise ValueError(f"{value!r} is not available (available: {', '.join(AVAILABLE_LANGUAGES)})")
        return value

    @field_validator("offered")
    @classmethod
    def _offered(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if not value:
            raise ValueError('must list at least one language, e.g. ["fr"]')
        unknown = [c for c in value if c not in AVAILABLE_LANGUAGES]
        if unknown:
            verb = "is" if len(unknown) == 1 else "are"
            raise ValueError(
                f"{', '.join(map(repr, unknown))} {verb} not available (available: {', '.join(AVAILABLE_LANGUAGES)})"
            )
        twice = sorted({c for c in value if value.count(c) > 1})
        if twice:
            raise ValueError(f"{', '.join(map(repr, twice))} listed more than once")
        default = info.data.get("default")
        if default is not None and default not in value:
            raise ValueError(f"must include the default language {default!r} (languages.default)")
        return value


class DisplayConfig(_Section):
    size: str = Field("auto", description='"auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920"')
    rotation: Literal[0, 90, 180, 270] = Field(0, description="0, 90, 180 or 270")
    fullscreen: bool = Field(True, description="true or false")

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if value == "auto":
            return value
        match = re.fullmatch(r"([0-9]{1,5})[xX]([0-9]{1,5})", value)
        if not match:
            raise ValueError('must be "auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920"')
        if not all(320 <= int(n) <= 7680 for n in match.groups()):
            raise ValueError("width and height must each be from 320 to 7680 pixels")
        return f"{int(match[1])}x{int(match[2])}"

    @property
    def size_px(self) -> tuple[int, int] | None:
        """(width, height) in pixels, or None for "auto" (use the screen's own size)."""
        if self.size == "auto":
            return None
        width, height = self.size.split("x")
        return int(width), int(height)


class IdleConfig(_Section):
    warn_after_s: int = Field(45, ge=10, le=600, description="seconds from 10 to 600")
    reset_after_s: int = Field(20, ge=5, le=120, description="seconds from 5 to 120")
    dim_after_s: int = Field(120, ge=30, le=3600, description="seconds from 30 to 3600")


class ApiConfig(_Section):
    base_url: str = Field("http://127.0.0.1:8765/", description='an https:// address, e.g. "https://gru.example.fr/kiosk/"')
    ca_bundle: Optional[Path] = Field(None, description="the path of a PEM file of CA certificates")
    credentials_path: Path = Field(Path("/var/lib/kiosk/credentials.json"), description="a file path")
    connect_timeout_s: float = Field(3.0, ge=0.5, le=30, allow_inf_nan=False, description="seconds from 0.5 to 30")
    read_timeout_s: float = Field(10.0, ge=1, le=120, allow_inf_nan=False, description="seconds from 1 to 120")

    @field_validator("base_url")
    @classmethod
    def _https(cls, value: str) -> str:
        example = 'e.g. "https://gru.example.fr/kiosk/"'
        if any(c.isspace() for c in value):
            raise ValueError("must not contain spaces")
        parts = urlsplit(value)
        try:
            host, _ = parts.hostname, parts.port
        except ValueError:
            raise ValueError(f"has an invalid port number; expected an address {example}") from None
        if parts.scheme not in ("https", "http") or not host:
            raise ValueError(f"must be a full https:// address, {example}")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not contain a user name or password (the terminal uses its enrolment credentials)")
        if parts.query or parts.fragment:
            raise ValueError("must not contain a '?' or '#' part")
        if parts.scheme == "http" and not _is_loopback(host):
            raise ValueError("must use https:// (plain http:// is only allowed for this machine: 127.0.0.1, ::1 or localhost)")
        return value if value.endswith("/") else value + "/"  # so relative API paths join under it

    @field_validator("ca_bundle", mode="before")
    @classmethod
    def _existing_file(cls, value: Any, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = _config_path(value, info)
        _read_head(path, 1)
        return path

    @field_validator("credentials_path", mode="before")
    @classmethod
    def _credentials(cls, value: Any, info: ValidationInfo) -> Path:
        path = _config_path(value, info)  # created at enrolment: need not exist yet
        if path.is_dir():
            raise ValueError(f"is a folder; expected a file path ({path})")
        return path


# Each device section is a model with a `type` Literal so that, when real drivers arrive,
# the three can become discriminated unions (the other keys being the driver's arguments).
class PrinterConfig(_Section):
    type: Literal["none", "simulated"] = Field("none", description='"none" or "simulated"')


class ScannerConfig(_Section):
    type: Literal["none", "simulated"] = Field("none", description='"none" or "simulated"')


class TouchConfig(_Section):
    type: Literal["sdl"] = Field("sdl", description='"sdl"')


class AccessibilityConfig(_Section):
    large_text: bool = Field(False, description="true or false")
    high_contrast: bool = Field(False, description="true or false")
    low_reach: bool = Field(False, description="true or false")


class AdminConfig(_Section):
    pin_hash: str = Field(description=f"a PIN hash {admin_auth.HASH_FORMAT}")

    @field_validator("pin_hash")
    @classmethod
    def _shape(cls, value: str) -> str:
        admin_auth.parse_pin_hash(value)  # its ValueError text is written for technicians
        return value


class KioskConfig(_Section):
    terminal: TerminalConfig = Field(description="a [terminal] section with id, name and profile")
    location: LocationConfig = Field(description="a [location] section with address, latitude and longitude")
    branding: BrandingConfig = Field(description="a [branding] section with at least town_name")
    languages: LanguagesConfig = Field(default_factory=LanguagesConfig, description="a [languages] section")
    display: DisplayConfig = Field(default_factory=DisplayConfig, description="a [display] section")
    idle: IdleConfig = Field(default_factory=IdleConfig, description="an [idle] section")
    api: ApiConfig = Field(default_factory=ApiConfig, description="an [api] section")
    printer: PrinterConfig = Field(default_factory=PrinterConfig, description="a [printer] section")
    scanner: ScannerConfig = Field(default_factory=ScannerConfig, description="a [scanner] section")
    touch: TouchConfig = Field(default_factory=TouchConfig, description="a [touch] section")
    accessibility: AccessibilityConfig = Field(default_factory=AccessibilityConfig, description="an [accessibility] section")
    admin: AdminConfig = Field(description="an [admin] section with pin_hash")
    source: Path = Field(description="the file this configuration came from (set by the loader, not a TOML key)")


# --- turning pydantic's errors into technicians' sentences ---------------------------

def _keys_of(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if not (model is KioskConfig and name == "source")]


def _walk(loc: tuple) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model holding the last key of ``loc`` and that key's field, when known."""
    parent: type[BaseModel] | None = None
    model: type[BaseModel] | None = KioskConfig
    field = None
    for part in loc:
        if model is None or not isinstance(part, str):
            return None, None
        parent, field = model, model.model_fields.get(part)
        if field is None:
            return parent, None
        ann = field.annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return parent, field


def _dotted(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _shown(value: Any, key: str) -> str:
    if key == _SECRET_SECTION or key.startswith(_SECRET_SECTION + "."):
        return "(hidden)"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _num(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def _fits_unquoted(value: Any, kind: str, field: FieldInfo | None) -> bool:
    """True when a quoted string would be right without its quotes ("90", "true")."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if kind == "bool_type":
        return text in ("true", "false")
    if kind == "int_type":
        return re.fullmatch(r"[+-]?[0-9]+", text) is not None
    if kind == "float_type":
        return re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text) is not None
    if kind == "literal_error" and field is not None:
        return text in [str(c) for c in get_args(field.annotation) if not isinstance(c, str)]
    return False


def _problem(err: dict, key: str, parent: type[BaseModel] | None, field: FieldInfo | None) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err["input"]
    unquote = " (write it without quotes)" if _fits_unquoted(value, kind, field) else ""
    if kind == "extra_forbidden":
        what = "section" if parent is KioskConfig and isinstance(value, dict) else "key"
        return f"unknown {what} (allowed here: {', '.join(_keys_of(parent or KioskConfig))})"
    if kind == "literal_error" and field is not None and get_origin(field.annotation) is Literal:
        choices = ", ".join(f'"{c}"' if isinstance(c, str) else str(c) for c in get_args(field.annotation))
        return f"must be one of {choices}" + unquote
    simple = {
        "greater_than_equal": lambda: f"must be at least {_num(ctx.get('ge'))}",
        "less_than_equal": lambda: f"must be at most {_num(ctx.get('le'))}",
        "greater_than": lambda: f"must be more than {_num(ctx.get('gt'))}",
        "less_than": lambda: f"must be less than {_num(ctx.get('lt'))}",
        "finite_number": lambda: "must be a finite number",
        "int_type": lambda: "must be a whole number" + unquote,
        "float_type": lambda: "must be a number" + unquote,
        "bool_type": lambda: "must be true or false" + unquote,
        "string_type": lambda: "must be text in quotes",
        "model_type": lambda: f"must be a section written [{key}]",
        "string_too_short": lambda: "must not be empty" if ctx.get("min_length") == 1
        else f"must be at least {ctx.get('min_length')} characters",
        "string_too_long": lambda: f"must be at most {ctx.get('max_length')} characters",
        "value_error": lambda: str(ctx.get("error", err["msg"])),
    }
    if kind in simple:
        return simple[kind]()
    if field is not None and field.description:  # pattern mismatch, tuple_type, ...
        return f"must be {field.description}"
    return str(err["msg"])  # pydantic's short message (its URL lives elsewhere)


def _lines_from(exc: ValidationError) -> list[tuple[str, str]]:
    """(dotted key, line without file prefix) for each validation error."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        key = _dotted(loc)
        parent, field = _walk(loc)
        if err["type"] == "missing":
            expected = field.description if field is not None and field.description else "a value"
            lines.append((key, f"{key}: missing (required): {expected}"))
        else:
            lines.append((key, f"{key} = {_shown(err['input'], key)}: {_problem(err, key, parent, field)}"))
    return lines


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


def _validate(data: dict, source: Path, override_keys: Collection[str] = ()) -> KioskConfig:
    source = Path(os.path.abspath(source))
    data = dict(data)
    lines: list[tuple[str, str]] = []
    if "source" in data:  # a real field of the model, but not something a file may set
        lines.append(("source", f"source = {_shown(data.pop('source'), 'source')}: unknown key "
                                f"(allowed here: {', '.join(_keys_of(KioskConfig))})"))
    try:
        cfg = KioskConfig.model_validate({**data, "source": source}, context={"base_dir": source.parent})
    except ValidationError as exc:
        lines += _lines_from(exc)
    if lines:
        raise ConfigError(source, [
            f"{source.name}: {line}" + (" (set by an override)" if key in override_keys else "")
            for key, line in lines
        ])
    return cfg


def config_from_dict(data: dict, source: Path) -> KioskConfig:
    """Validate already-parsed TOML data as if it had been read from ``source``."""
    return _validate(data, Path(source))


def _read_toml(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, [f"{path.name}: {_os_error_text(exc)} ({path})"]) from None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # tolerate a BOM from Windows editors
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, column = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        raise ConfigError(path, [
            f"{path.name} line {line}, column {column}: not valid UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x}); save the file as UTF-8 ({path})"
        ]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if m := re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message, re.S):
            where, message = f" line {m[2]}, column {m[3]}", m[1]
        elif m := re.fullmatch(r"(.*) \(at end of document\)", message, re.S):
            where, message = " at the end of the file", m[1]
        else:
            where = ""
        raise ConfigError(path, [f"{path.name}{where}: {message}"]) from None


def _apply_overrides(data: dict, overrides: Mapping[str, Any], name: str) -> list[str]:
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
    if _is_loopback(host):
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
