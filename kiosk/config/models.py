"""What kiosk.toml may contain: one frozen, strict pydantic model per section.

The models are the single statement of every key, its type, its default and, in each
field's ``description``, what a technician should write there: the loader's problem lines
(:mod:`kiosk.config.errors`) quote those descriptions, so they are written as the end of
"must be ...". Loading, overrides and warnings live in :mod:`kiosk.config.loading`, which
re-exports everything here; import from there.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from kiosk.admin import pin as admin_auth
from kiosk.config.errors import os_error_text

AVAILABLE_LANGUAGES = ("fr", "en")


# --- helpers used by the models' validators -------------------------------------------

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
        raise ValueError(f"{os_error_text(exc)} ({path})") from None


def is_loopback(host: str) -> bool:
    """True for this machine's own addresses: the only hosts plain http:// may reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    profile: Literal["street", "counter", "display"] = Field(
        description='"street", "counter" or "display"')


class LocationConfig(_Section):
    address: str = Field(min_length=1, max_length=200, description="a postal address of 1 to 200 characters")
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False, description="degrees from -90 to 90")
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False, description="degrees from -180 to 180")
    facing_deg: float = Field(default=0.0, ge=0, lt=360, allow_inf_nan=False, strict=False,
                              description="a compass bearing in degrees, from 0 (north) to less than 360")


class BrandingConfig(_Section):
    town_name: str = Field(min_length=1, max_length=80, description="a name of 1 to 80 characters")
    logo: Path | None = Field(default=None, description="the path of a PNG image")
    primary_colour: str = Field(default="#1d4e89", description='a colour written "#RRGGBB", e.g. "#1d4e89"')

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
    default: str = Field(default="fr", description=f"one of {', '.join(AVAILABLE_LANGUAGES)}")
    offered: tuple[str, ...] = Field(
        default=("fr", "en"), strict=False, description='a list of language codes such as ["fr", "en"]'
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
    size: str = Field(default="auto", description='"auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920"')
    rotation: Literal[0, 90, 180, 270] = Field(default=0, description="0, 90, 180 or 270")
    fullscreen: bool = Field(default=True, description="true or false")

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
    warn_after_s: int = Field(default=45, ge=10, le=600, description="seconds from 10 to 600")
    reset_after_s: int = Field(default=20, ge=5, le=120, description="seconds from 5 to 120")
    dim_after_s: int = Field(default=120, ge=30, le=3600, description="seconds from 30 to 3600")


class ApiConfig(_Section):
    base_url: str = Field(default="http://127.0.0.1:8765/",
                          description='an https:// address, e.g. "https://gru.example.fr/kiosk/"')
    ca_bundle: Path | None = Field(default=None, description="the path of a PEM file of CA certificates")
    credentials_path: Path = Field(default=Path("/var/lib/kiosk/credentials.json"), description="a file path")
    connect_timeout_s: float = Field(default=3.0, ge=0.5, le=30, allow_inf_nan=False,
                                     description="seconds from 0.5 to 30")
    read_timeout_s: float = Field(default=10.0, ge=1, le=120, allow_inf_nan=False, description="seconds from 1 to 120")
    action_timeout_s: float = Field(default=5.0, ge=1, le=30, allow_inf_nan=False, description="seconds from 1 to 30")

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
        if parts.scheme == "http" and not is_loopback(host):
            raise ValueError("must use https:// (plain http:// is only allowed for this machine: "
                             "127.0.0.1, ::1 or localhost)")
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
# Printer ``type`` -> (keys it needs, other keys it accepts); the other keys are the backend's arguments.
PRINTER_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "none": ((), ()), "simulated": ((), ()),
    "usb": (("vendor_id", "product_id"), ("in_ep", "out_ep", "timeout_s")),
    "serial": (("device",), ("baudrate", "flow_control", "timeout_s")),
    "network": (("host",), ("port", "timeout_s", "connect_timeout_s")),
    "file": (("device",), ()),
}
_PRINTER_COMMON = ("type", "profile", "qr", "poll_interval_s", "status_timeout_s")


class PrinterConfig(_Section):
    """The ticket printer; ``type`` picks the backend (drivers.printer.backends), like python-escpos."""

    type: Literal["none", "simulated", "usb", "serial", "network", "file"] = Field(
        default="none", description='"none", "simulated", "usb", "serial", "network" or "file"')
    profile: Literal["TM-T88V", "TM-T20II"] = Field(
        default="TM-T88V", description='a printer capability profile: "TM-T88V" (80 mm, 42 columns) or '
        '"TM-T20II" (80 mm, 48 columns)')
    qr: Literal["auto", "native", "raster"] = Field(
        default="auto",
        description='"auto" (the printer\'s own QR command when the profile has one), "native" or "raster"')
    poll_interval_s: float = Field(default=2.0, ge=0.2, le=60, description="seconds between status checks, 0.2 to 60")
    status_timeout_s: float = Field(default=0.5, ge=0.05, le=5,
                                    description="seconds to wait for a status answer, 0.05 to 5")
    vendor_id: int | None = Field(default=None, ge=0, le=0xFFFF, description="the USB vendor id, e.g. 0x04b8 (Epson)")
    product_id: int | None = Field(default=None, ge=0, le=0xFFFF, description="the USB product id, e.g. 0x0202")
    in_ep: int | None = Field(default=None, ge=0x80, le=0x8F, description="the USB IN endpoint, e.g. 0x82")
    out_ep: int | None = Field(default=None, ge=0x00, le=0x0F, description="the USB OUT endpoint, e.g. 0x01")
    device: str | None = Field(default=None, min_length=1,
                                  description='a device path such as "/dev/ttyUSB0" or "/dev/usb/lp0"')
    baudrate: Literal[9600, 19200, 38400, 57600, 115200] | None = Field(
        default=None, description="9600, 19200, 38400, 57600 or 115200")
    flow_control: Literal["dsrdtr", "xonxoff", "none"] | None = Field(
        default=None, description='"dsrdtr" (the default), "xonxoff" or "none"')
    host: str | None = Field(default=None, min_length=1, description='a host name or IP address such as "192.168.1.50"')
    port: int | None = Field(default=None, ge=1, le=65535, description="a TCP port, 1 to 65535 (printers use 9100)")
    connect_timeout_s: float | None = Field(default=None, gt=0, le=10,
                                            description="seconds, more than 0 and at most 10")
    timeout_s: float | None = Field(default=None, gt=0, le=60, description="seconds, more than 0 and at most 60")

    @field_validator("device")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError('must be an absolute device path such as "/dev/usb/lp0"')
        return value

    @model_validator(mode="after")
    def _keys_for_type(self) -> PrinterConfig:
        needed, optional = PRINTER_KEYS[self.type]
        given = {k for k in type(self).model_fields if k not in _PRINTER_COMMON and getattr(self, k) is not None}
        missing = [k for k in needed if k not in given]
        if missing:
            raise ValueError(f'type = "{self.type}" needs {", ".join(missing)}')
        extra = sorted(given - set(needed) - set(optional))
        if extra:
            raise ValueError(f'{", ".join(extra)} cannot be used with type = "{self.type}" '
                             f'(allowed for it: {", ".join((*needed, *optional)) or "no other key"})')
        return self


# Scanner ``type`` -> (keys it needs, other keys it accepts); the other keys are the backend's arguments
# (drivers.scanner.make_scanner). A hid scanner needs device, or vendor_id and product_id (checked below).
SCANNER_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "none": ((), ()),
    "simulated": ((), ("socket", "fifo")),
    "hid": ((), ("device", "vendor_id", "product_id", "layout", "variant", "suffix", "inter_key_timeout_s")),
    "camera": ((), ("device", "width", "height", "decoder", "max_fps", "repeat_after_s")),
}


class ScannerConfig(_Section):
    """The QR-code scanner; ``type`` picks the backend (drivers.scanner.make_scanner), like the printer."""

    type: Literal["none", "simulated", "hid", "camera"] = Field(
        default="none", description='"none", "simulated", "hid" (a USB scanner that types like a keyboard) or "camera"')
    device: str | None = Field(default=None, min_length=1, description='a device path such as '
                                  '"/dev/input/by-id/usb-…-event-kbd" (hid) or "/dev/video0" (camera)')
    vendor_id: int | None = Field(default=None, ge=0, le=0xFFFF,
                                  description="the USB vendor id, e.g. 0x0c2e (Honeywell)")
    product_id: int | None = Field(default=None, ge=0, le=0xFFFF, description="the USB product id, e.g. 0x0b61")
    layout: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$",
                                  description='the keyboard layout the scanner is set to, such as "fr" or "us"')
    variant: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,32}$",
                                   description='a layout variant such as "oss" or "mac" (usually left out)')
    suffix: str | None = Field(default=None, min_length=1, max_length=8,
                                  description='"enter", "tab", "none" or up to 8 characters such as "#"')
    inter_key_timeout_s: float | None = Field(default=None, ge=0.02, le=2,
                                                 description="seconds, 0.02 to 2")
    width: int | None = Field(default=None, ge=160, le=3840, description="pixels, 160 to 3840 (e.g. 1280)")
    height: int | None = Field(default=None, ge=120, le=2160, description="pixels, 120 to 2160 (e.g. 720)")
    decoder: Literal["zxing", "zbar"] | None = Field(default=None, description='"zxing" or "zbar"')
    max_fps: float | None = Field(default=None, ge=1, le=30, description="frames decoded per second, 1 to 30")
    repeat_after_s: float | None = Field(default=None, ge=0.5, le=60, description="seconds, 0.5 to 60")
    socket: str | None = Field(default=None, min_length=1,
                               description='a socket path such as "/run/kiosk/scanner.sock"')
    fifo: str | None = Field(default=None, min_length=1,
                             description='a named pipe path such as "/run/kiosk/scanner.fifo"')

    @field_validator("device", "socket", "fifo")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError('must be an absolute path such as "/dev/video0"')
        return value

    @model_validator(mode="after")
    def _keys_for_type(self) -> ScannerConfig:
        needed, optional = SCANNER_KEYS[self.type]
        given = {k for k in type(self).model_fields if k != "type" and getattr(self, k) is not None}
        extra = sorted(given - set(needed) - set(optional))
        if extra:
            raise ValueError(f'{", ".join(extra)} cannot be used with type = "{self.type}" '
                             f'(allowed for it: {", ".join((*needed, *optional)) or "no other key"})')
        if self.type == "hid":
            by_id = self.vendor_id is not None or self.product_id is not None
            if self.device is None and (self.vendor_id is None or self.product_id is None):
                raise ValueError('type = "hid" needs device, or vendor_id and product_id')
            if self.device is not None and by_id:
                raise ValueError('type = "hid" takes device, or vendor_id and product_id, not both')
        return self


# Touch ``type`` -> the keys it accepts; they are the evdev backend's arguments (drivers.touch.make_touch).
TOUCH_KEYS: dict[str, tuple[str, ...]] = {
    "sdl": (),
    "evdev": ("device", "vendor_id", "product_id", "name", "rotation", "calibration", "swap_xy", "invert_x",
              "invert_y"),
}


class KeypadConfig(_Section):
    """The tactile keypad for people who cannot see the screen (drivers.keypad, issue 15)."""

    device: str = Field(default="none", pattern=r"^(auto|none|/dev/.+)$",
                        description='"auto" (the first numeric keypad plugged in), "none", or a device path '
                        'such as "/dev/input/by-id/usb-…-event-kbd"')


class TouchConfig(_Section):
    """The touch screen; ``type`` picks the input backend (drivers.touch.make_touch), like the scanner."""

    type: Literal["sdl", "evdev"] = Field(
        default="sdl", description='"sdl" (the system\'s touch events) or "evdev" (the kiosk reads the panel itself)')
    device: str | None = Field(default=None, min_length=1, description='a device path such as '
                                  '"/dev/input/by-id/usb-ILITEK_Multi-Touch-event-if00"')
    vendor_id: int | None = Field(default=None, ge=0, le=0xFFFF, description="the USB vendor id, e.g. 0x222a (ILITEK)")
    product_id: int | None = Field(default=None, ge=0, le=0xFFFF, description="the USB product id, e.g. 0x0001")
    name: str | None = Field(default=None, min_length=1, max_length=128,
                                description='the input device name as evtest shows it, e.g. '
                                '"Goodix Capacitive TouchScreen"')
    rotation: Literal[0, 90, 180, 270] | None = Field(default=None, description="0, 90, 180 or 270")
    calibration: tuple[float, float, float, float, float, float] | None = Field(
        default=None, strict=False, description="a list of 6 numbers [a, b, c, d, e, f], e.g. [1, 0, 0, 0, 1, 0]")
    swap_xy: bool | None = Field(default=None, description="true or false")
    invert_x: bool | None = Field(default=None, description="true or false")
    invert_y: bool | None = Field(default=None, description="true or false")

    @field_validator("device")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError('must be an absolute device path such as "/dev/input/event3"')
        return value

    @field_validator("calibration")
    @classmethod
    def _matrix(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is None:
            return None
        if not all(math.isfinite(v) and abs(v) <= 10 for v in value):
            raise ValueError("must be 6 numbers from -10 to 10")
        a, b, _, d, e, _ = value
        if abs(a * e - b * d) < 1e-6:
            raise ValueError("would put every touch on one line (a·e − b·d is 0); start from [1, 0, 0, 0, 1, 0]")
        return value

    @model_validator(mode="after")
    def _keys_for_type(self) -> TouchConfig:
        allowed = TOUCH_KEYS[self.type]
        given = {k for k in type(self).model_fields if k != "type" and getattr(self, k) is not None}
        extra = sorted(given - set(allowed))
        if extra:
            raise ValueError(f'{", ".join(extra)} cannot be used with type = "{self.type}" '
                             f'(allowed for it: {", ".join(allowed) or "no other key"})')
        if self.type == "evdev":
            by_id = self.vendor_id is not None or self.product_id is not None
            if self.device is None and not by_id and self.name is None:
                raise ValueError('type = "evdev" needs device, or vendor_id and product_id, or name')
            if self.device is not None and (by_id or self.name is not None):
                raise ValueError('type = "evdev" takes device, or vendor_id/product_id/name, not both')
            if by_id and (self.vendor_id is None or self.product_id is None):
                raise ValueError('type = "evdev" needs both vendor_id and product_id')
        return self


class SyncConfig(_Section):
    """How the sync worker (kiosk.sync) keeps the cache current and sends the outbox."""

    catalog_interval_s: int = Field(default=300, ge=30, le=86400, description="seconds from 30 to 86400")
    slots_interval_s: int = Field(default=120, ge=30, le=3600, description="seconds from 30 to 3600")
    keys_interval_s: int = Field(default=3600, ge=300, le=86400, description="seconds from 300 to 86400")
    slot_days: int = Field(default=30, ge=1, le=92, description="days from 1 to 92")
    offline_backoff_cap_s: int = Field(default=300, ge=30, le=3600, description="seconds from 30 to 3600")
    push_parallel: int = Field(default=4, ge=1, le=16, description="a number from 1 to 16")
    clock_skew_limit_s: int = Field(default=60, ge=5, le=3600, description="seconds from 5 to 3600")
    heartbeat_interval_s: int = Field(default=300, ge=30, le=86400, description="seconds from 30 to 86400")
    cache_path: Path = Field(default=Path("/var/lib/kiosk/cache.sqlite3"), description="a file path")
    state_file: Path = Field(default=Path("/run/kiosk/state.json"), description="a file path")

    @field_validator("cache_path", "state_file", mode="before")
    @classmethod
    def _cache_file(cls, value: Any, info: ValidationInfo) -> Path:
        path = _config_path(value, info)  # created at first start: need not exist yet
        if path.is_dir():
            raise ValueError(f"is a folder; expected a file path ({path})")
        return path


class TrackingConfig(_Section):
    """« Suivre ma demande »: privacy and anti-guessing rules of the request-tracking screens."""

    wipe_after_s: int = Field(default=60, ge=20, le=300, description="seconds from 20 to 300")
    max_unknown: int = Field(default=10, ge=3, le=100, description="a number from 3 to 100")
    window_s: int = Field(default=60, ge=10, le=3600, description="seconds from 10 to 3600")
    cooldown_s: int = Field(default=120, ge=10, le=3600, description="seconds from 10 to 3600")
    lookup_timeout_s: float = Field(default=4.0, ge=1, le=30, allow_inf_nan=False, description="seconds from 1 to 30")
    offline_keep_days: int = Field(default=60, ge=1, le=365, description="days from 1 to 365")
    portal_url: str = Field(default="https://demarches.example.fr/suivi/", min_length=8, max_length=200,
                            pattern=r"^https?://[^\s]+$",
                            description='an address such as "https://demarches.ville.fr/suivi/"')


class DemarchesConfig(_Section):
    """« Faire une démarche » (kiosk.demarches): where reports go. Requests always take the
    contract's ``POST /v1/demarches``; a report (a form of kind "report") may go to an Open311
    GeoReport v2 endpoint instead."""

    reports_to: Literal["contract", "open311"] = Field(
        default="contract", description='"contract" (the central API\'s own call) or "open311" (GeoReport v2)')
    open311_url: str | None = Field(
        default=None, min_length=8, max_length=200, pattern=r"^https?://[^\s]+[^/\s]$",
        description='an address such as "https://signalements.ville.fr/open311/v2" (no final "/"); '
                    'unset: the [api] base_url followed by "/open311/v2"')


class CityConfig(_Section):
    """City information (kiosk.city): places, opening hours, events, practical pages."""

    closing_soon_min: int = Field(default=30, ge=5, le=180, description="minutes from 5 to 180")
    near_radius_m: int = Field(default=800, ge=100, le=20000, description="metres from 100 to 20000")
    events_days: int = Field(default=14, ge=1, le=92, description="days from 1 to 92")
    stale_after_h: int = Field(default=24, ge=1, le=720, description="hours from 1 to 720")
class BookingConfig(_Section):
    """« Prendre rendez-vous »: how long the confirmation stays on screen."""

    done_home_after_s: int = Field(default=60, ge=15, le=300, description="seconds from 15 to 300")
    phone: str | None = Field(default=None, max_length=40, description='a phone number such as "02 41 39 52 10"')


class CheckinConfig(_Section):
    """Check-in at the counter (kiosk.checkin): the window around an appointment's start in which
    a scanned booking is checked in. The server checks the day only; this rule is the terminal's."""

    early_min: int = Field(default=30, ge=0, le=240, description="minutes from 0 to 240")
    late_grace_min: int = Field(default=15, ge=0, le=120, description="minutes from 0 to 120")
    done_home_after_s: int = Field(default=30, ge=10, le=300, description="seconds from 10 to 300")


class QueueConfig(_Section):
    """Queue tickets (kiosk.queue): the address printed as a QR code to follow one's turn."""

    follow_url: str = Field(default="", max_length=200,
                            description='empty, or an address template such as '
                            '"https://www.ville.fr/file?n={number}&j={day}" ({number} and {day} optional)')

    @field_validator("follow_url")
    @classmethod
    def _template(cls, value: str) -> str:
        if not value:
            return value
        if not re.fullmatch(r"https?://[^\s]+", value):
            raise ValueError('must be empty or a full address such as "https://www.ville.fr/file?n={number}"')
        try:
            value.format(number="A001", day="2026-12-04")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may hold only the placeholders {number} and {day}") from None
        return value


class WaitingRoomConfig(_Section):
    """The waiting-room display (``profile = "display"``): what it shows and how it listens."""

    calls_shown: int = Field(default=6, ge=1, le=10, description="a number from 1 to 10")
    chime: bool = Field(default=True, description="true or false")
    languages: tuple[str, ...] = Field(
        default=("fr", "en"), strict=False, description='a list of language codes such as ["fr", "en"]')
    poll_wait_s: int = Field(default=20, ge=1, le=25, description="seconds from 1 to 25")
    announce: Literal["speech", "text"] = Field(default="speech", description='"speech" or "text"')

    @field_validator("languages")
    @classmethod
    def _spoken(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in value if c not in AVAILABLE_LANGUAGES]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} not available "
                             f"(available: {', '.join(AVAILABLE_LANGUAGES)})")
        if len(set(value)) != len(value):
            raise ValueError("lists a language more than once")
        return value


class AccessibilityConfig(_Section):
    large_text: bool = Field(default=False, description="true or false")
    high_contrast: bool = Field(default=False, description="true or false")
    low_reach: bool = Field(default=False, description="true or false")


_VOICE_NAME = r"^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]{1,16})?$"
_VOICE_TEXT = 'an espeak-ng voice name such as "fr", "fr-be", "en-gb" or "en-us+f3"'


class SpeechVoicesConfig(_Section):
    """The synthesiser's voice for each language of the visit."""

    fr: str = Field(default="fr", pattern=_VOICE_NAME, description=_VOICE_TEXT)
    en: str = Field(default="en", pattern=_VOICE_NAME, description=_VOICE_TEXT)


class SpeechConfig(_Section):
    """Speech output (kiosk.speech, drivers.audio): whether the terminal offers speech, how it
    starts, and where the sound goes. ``enabled`` offers it (held 5, the headset jack, « Guidage
    vocal »); ``start = "always"`` turns it on at the start of every visit as well."""

    enabled: bool = Field(default=False, description="true or false")
    engine: Literal["espeak-ng"] = Field(default="espeak-ng", description='"espeak-ng"')
    voices: SpeechVoicesConfig = Field(default_factory=SpeechVoicesConfig,
                                       description='a table of voices by language, e.g. { fr = "fr", en = "en" }')
    rate_wpm: int = Field(default=160, ge=80, le=450, description="words per minute from 80 to 450")
    volume: int = Field(default=60, ge=10, le=100,
                        description="a volume from 10 to 100 (turn speech off with enabled = false, not with 0)")
    output: Literal["headset", "loudspeaker", "both"] = Field(
        default="loudspeaker", description='"headset", "loudspeaker" or "both"')
    device: str | None = Field(default=None, min_length=1, max_length=200,
                               description='an SDL audio output name such as "USB Audio Device Analog Stereo"')
    start: Literal["on_request", "always"] = Field(default="on_request", description='"on_request" or "always"')
    headset_switch: str = Field(default="auto", min_length=1, max_length=200,
                                description='"auto", "none" or an input device path such as "/dev/input/event5"')
    start_on_headset: bool = Field(default=True, description="true or false")

    @field_validator("headset_switch")
    @classmethod
    def _switch(cls, value: str) -> str:
        if value not in ("auto", "none") and not value.startswith("/dev/input/"):
            raise ValueError('must be "auto", "none" or a path under /dev/input/ such as "/dev/input/event5"')
        return value

    @property
    def on_from_start(self) -> bool:
        """Speech is on when each visit starts (``start = "always"``), not only once asked for."""
        return self.enabled and self.start == "always"

    @property
    def jack_path(self) -> str | None:
        """Where the headset jack's switch is read: "auto", a device path, or None (not read).
        Only a terminal with a headset output has a jack worth watching."""
        if not self.enabled or self.output == "loudspeaker" or self.headset_switch == "none":
            return None
        return self.headset_switch


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
    sync: SyncConfig = Field(default_factory=SyncConfig, description="a [sync] section")
    printer: PrinterConfig = Field(default_factory=PrinterConfig, description="a [printer] section")
    scanner: ScannerConfig = Field(default_factory=ScannerConfig, description="a [scanner] section")
    touch: TouchConfig = Field(default_factory=TouchConfig, description="a [touch] section")
    keypad: KeypadConfig = Field(default_factory=KeypadConfig, description="a [keypad] section")
    tracking: TrackingConfig = Field(default_factory=TrackingConfig, description="a [tracking] section")
    city: CityConfig = Field(default_factory=CityConfig, description="a [city] section")
    demarches: DemarchesConfig = Field(default_factory=DemarchesConfig, description="a [demarches] section")
    booking: BookingConfig = Field(default_factory=BookingConfig, description="a [booking] section")
    checkin: CheckinConfig = Field(default_factory=CheckinConfig, description="a [checkin] section")
    queue: QueueConfig = Field(default_factory=QueueConfig, description="a [queue] section")
    waiting_room: WaitingRoomConfig = Field(default_factory=WaitingRoomConfig,
                                            description="a [waiting_room] section")
    accessibility: AccessibilityConfig = Field(default_factory=AccessibilityConfig,
                                               description="an [accessibility] section")
    speech: SpeechConfig = Field(default_factory=SpeechConfig, description="a [speech] section")
    admin: AdminConfig = Field(description="an [admin] section with pin_hash")
    source: Path = Field(description="the file this configuration came from (set by the loader, not a TOML key)")
