"""kiosk.toml loading: valid files load, every mistake becomes one plain line, no traceback."""

from __future__ import annotations

import copy
import json
import math
import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from kiosk.admin.pin import hash_pin, verify_pin
from kiosk.config import (
    AVAILABLE_LANGUAGES,
    ConfigError,
    KioskConfig,
    config_from_dict,
    config_warnings,
    load_config,
    resolve_config_path,
)
from kiosk.config import loading as config

PIN_HASH = hash_pin("97531", salt=b"test-salt-000001", iterations=1_000)
SECTIONS = ("terminal, location, branding, languages, display, idle, api, sync, printer, scanner, "
            "touch, keypad, tracking, city, demarches, booking, checkin, queue, waiting_room, accessibility, "
            "speech, admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16  # only the signature is checked

MINIMAL = {
    "terminal": {"id": "test-01", "name": "Terminal de test", "profile": "street"},
    "location": {"address": "1 rue de la Paix, 49000 Angers", "latitude": 47.47, "longitude": -0.55},
    "branding": {"town_name": "Testville"},
    "admin": {"pin_hash": PIN_HASH},
}


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are valid TOML basic strings
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def to_toml(data: dict) -> str:
    """Just enough TOML writing for these tests: top-level keys, then one table per section."""
    lines = [f"{k} = {toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for name, section in data.items():
        if isinstance(section, dict):
            lines.append(f"\n[{name}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in section.items() if not isinstance(v, dict)]
            lines += [f"[{name}.{k}]\na = 1" for k, v in section.items() if isinstance(v, dict)]
    return "\n".join(lines) + "\n"


def minimal() -> dict:
    return copy.deepcopy(MINIMAL)


def write(tmp_path: Path, data: dict | str | bytes, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    if isinstance(data, dict):
        data = to_toml(data)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def problems_of(path: Path, overrides=None) -> list[str]:
    """Load a file that must fail; check the lines are plain, single and free of internals."""
    with pytest.raises(ConfigError) as info:
        load_config(path, overrides)
    error = info.value
    assert error.path == Path(os.path.abspath(path))
    assert error.problems, "a ConfigError without problems helps nobody"
    for line in error.problems:
        assert "\n" not in line
        assert "Traceback" not in line
        assert "errors.pydantic.dev" not in line
        assert "Input should" not in line and "Value error," not in line  # pydantic's own phrasing
    assert str(error) == "\n".join(error.problems)
    return error.problems


def problems_with(tmp_path: Path, section: str | None, key: str, value) -> list[str]:
    data = minimal()
    if section is None:
        data[key] = value
    else:
        data.setdefault(section, {})[key] = value
    return problems_of(write(tmp_path, data))


# --- valid files ---------------------------------------------------------------------

def test_minimal_file_gets_documented_defaults(tmp_path):
    cfg = load_config(write(tmp_path, minimal()))
    assert isinstance(cfg, KioskConfig)
    assert cfg.source == tmp_path / "kiosk.toml"
    assert cfg.terminal.id == "test-01"
    assert cfg.branding.logo is None
    assert cfg.branding.primary_colour == "#1d4e89"
    assert (cfg.languages.default, cfg.languages.offered) == ("fr", ("fr", "en"))
    assert (cfg.display.size, cfg.display.size_px, cfg.display.rotation, cfg.display.fullscreen) == (
        "auto", None, 0, True)
    assert (cfg.idle.warn_after_s, cfg.idle.reset_after_s, cfg.idle.dim_after_s) == (45, 20, 120)
    assert cfg.api.base_url == "http://127.0.0.1:8765/"
    assert cfg.api.ca_bundle is None
    assert cfg.api.credentials_path == Path("/var/lib/kiosk/credentials.json")
    assert (cfg.api.connect_timeout_s, cfg.api.read_timeout_s) == (3.0, 10.0)
    assert (cfg.printer.type, cfg.scanner.type, cfg.touch.type) == ("none", "none", "sdl")
    assert not (cfg.accessibility.large_text or cfg.accessibility.high_contrast or cfg.accessibility.low_reach)
    assert AVAILABLE_LANGUAGES == ("fr", "en")


def test_config_is_frozen(tmp_path):
    cfg = load_config(write(tmp_path, minimal()))
    with pytest.raises(ValidationError):
        cfg.idle.warn_after_s = 10  # type: ignore[misc]
    hash(cfg)  # frozen all the way down, so usable as a dict key


def test_repository_kiosk_toml_loads_cleanly():
    cfg = load_config(config.REPO_CONFIG_PATH)
    assert cfg.terminal.id == "demo-totem-01"
    assert cfg.terminal.profile == "street"
    assert cfg.branding.town_name == "Saint-Clément-des-Vignes"
    assert cfg.display.size_px == (1080, 1920)
    assert (cfg.display.rotation, cfg.display.fullscreen) == (0, True)
    assert (cfg.printer.type, cfg.scanner.type) == ("simulated", "simulated")
    assert 47 < cfg.location.latitude < 48 and -1.3 < cfg.location.longitude < 0  # Maine-et-Loire
    assert verify_pin("1234", cfg.admin.pin_hash)


def test_demo_configuration_warns_about_its_demo_settings():
    cfg = load_config(config.REPO_CONFIG_PATH)
    warnings = config_warnings(cfg)
    assert warnings[0].startswith("kiosk.toml: admin.pin_hash: still the demo PIN 1234")
    assert "kiosk hash-pin" in warnings[0]
    assert any(w.startswith("kiosk.toml: api.base_url = 'http://127.0.0.1:8765/': points at this machine")
               for w in warnings)
    assert "kiosk.toml: printer.type = 'simulated': no real printer is used (demo setting)" in warnings
    assert "kiosk.toml: scanner.type = 'simulated': no real scanner is used (demo setting)" in warnings


def test_production_like_configuration_has_no_warnings(tmp_path):
    data = minimal()
    data["api"] = {"base_url": "https://gru.example.fr/kiosk/"}
    assert config_warnings(load_config(write(tmp_path, data))) == []


def test_pale_primary_colour_gets_a_contrast_warning(tmp_path):
    data = minimal()
    data["branding"]["primary_colour"] = "#FFCC00"
    data["api"] = {"base_url": "https://gru.example.fr/"}
    cfg = load_config(write(tmp_path, data))
    assert cfg.branding.primary_colour == "#ffcc00"
    [warning] = config_warnings(cfg)
    assert warning.startswith("kiosk.toml: branding.primary_colour = '#ffcc00': white text on it has a contrast of")
    assert "at least 4.5:1" in warning


def _model_keys() -> dict[str, list[str]]:
    return {
        section: list(field.annotation.model_fields)
        for section, field in KioskConfig.model_fields.items()
        if section != "source"
    }


def test_every_key_is_documented_in_kiosk_toml():
    """Each section and key appears (commented out only if optional) under a comment saying what it is."""
    lines = config.REPO_CONFIG_PATH.read_text(encoding="utf-8").splitlines()
    where: dict[tuple[str, str], int] = {}
    section = None
    for number, line in enumerate(lines):
        if m := re.fullmatch(r"\[([a-z_]+)\]\s*", line):
            section = m[1]
            where[(section, "")] = number
        elif m := re.match(r"(#\s*)?([a-z][a-z0-9_]*)\s*=", line):
            where.setdefault((section, m[2]), number)

    for section, keys in _model_keys().items():
        assert (section, "") in where, f"[{section}] is missing from kiosk.toml"
        assert lines[where[(section, "")] - 1].startswith("#"), f"[{section}] has no comment above it"
        model = KioskConfig.model_fields[section].annotation
        for key in keys:
            assert (section, key) in where, f"{section}.{key} is missing from kiosk.toml"
            number = where[(section, key)]
            if lines[number].startswith("#"):
                assert model.model_fields[key].default is None, f"{section}.{key} is required yet commented out"
            above = []
            while number > 0 and lines[number - 1].startswith("#"):
                number -= 1
                above.append(lines[number])
            explanations = [c for c in above if not re.match(rf"#\s*{key}\s*=", c) and c.strip("# !")]
            assert explanations, f"{section}.{key} has no explaining comment above it"


# --- the error classes, one plain line each ------------------------------------------

@pytest.mark.parametrize(
    ("section", "key", "value", "line"),
    [
        # unknown keys
        (None, "colour", "x", f"colour = 'x': unknown key (allowed here: {SECTIONS})"),
        (None, "source", "/tmp/x", f"source = '/tmp/x': unknown key (allowed here: {SECTIONS})"),
        ("terminal", "colour", "x", "terminal.colour = 'x': unknown key (allowed here: id, name, profile)"),
        ("location", "port", "/dev/usb/lp0",
         "location.port = '/dev/usb/lp0': unknown key (allowed here: address, latitude, longitude, facing_deg)"),
        # wrong types
        ("idle", "warn_after_s", "45", "idle.warn_after_s = '45': must be a whole number (write it without quotes)"),
        ("idle", "warn_after_s", 45.5, "idle.warn_after_s = 45.5: must be a whole number"),
        ("idle", "warn_after_s", True, "idle.warn_after_s = True: must be a whole number"),
        ("display", "fullscreen", 1, "display.fullscreen = 1: must be true or false"),
        ("display", "fullscreen", "false",
         "display.fullscreen = 'false': must be true or false (write it without quotes)"),
        ("accessibility", "large_text", "yes", "accessibility.large_text = 'yes': must be true or false"),
        ("location", "latitude", "47.4", "location.latitude = '47.4': must be a number (write it without quotes)"),
        ("terminal", "name", 42, "terminal.name = 42: must be text in quotes"),
        ("languages", "offered", "fr",
         'languages.offered = \'fr\': must be a list of language codes such as ["fr", "en"]'),
        # out of range
        ("idle", "warn_after_s", 5, "idle.warn_after_s = 5: must be at least 10"),
        ("idle", "reset_after_s", 121, "idle.reset_after_s = 121: must be at most 120"),
        ("idle", "dim_after_s", 29, "idle.dim_after_s = 29: must be at least 30"),
        ("location", "latitude", 91.0, "location.latitude = 91.0: must be at most 90"),
        ("location", "longitude", -180.5, "location.longitude = -180.5: must be at least -180"),
        ("location", "latitude", float("nan"), "location.latitude = nan: must be a finite number"),
        ("api", "connect_timeout_s", 0.1, "api.connect_timeout_s = 0.1: must be at least 0.5"),
        ("api", "read_timeout_s", 600, "api.read_timeout_s = 600: must be at most 120"),
        ("terminal", "name", "", "terminal.name = '': must not be empty"),
        ("terminal", "name", "N" * 81, "terminal.name = 'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN...: "
                                        "must be at most 80 characters"),
        # bad enums
        ("display", "rotation", 45, "display.rotation = 45: must be one of 0, 90, 180, 270"),
        ("display", "rotation", "90",
         "display.rotation = '90': must be one of 0, 90, 180, 270 (write it without quotes)"),
        ("terminal", "profile", "kiosk", 'terminal.profile = \'kiosk\': must be one of "street", "counter", "display"'),
        ("printer", "type", "escpos", 'printer.type = \'escpos\': must be one of "none", "simulated", "usb", '
                                      '"serial", "network", "file"'),
        ("scanner", "type", "usb", 'scanner.type = \'usb\': must be one of "none", "simulated", "hid", "camera"'),
        ("touch", "type", "mouse", 'touch.type = \'mouse\': must be one of "sdl", "evdev"'),
        # patterns and formats
        ("terminal", "id", "Demo Totem", 'terminal.id = \'Demo Totem\': must be an identifier such as "town-hall-01": '
                                         '1 to 64 lower-case letters, digits or "-", not starting with "-"'),
        ("terminal", "id", "-x", None),
        ("terminal", "id", "a" * 65, None),
        ("terminal", "id", "abc\n", None),
        ("branding", "primary_colour", "blue",
         'branding.primary_colour = \'blue\': must be a colour written "#RRGGBB" in hexadecimal, e.g. "#1d4e89"'),
        ("branding", "primary_colour", "#1d4e8", None),
        ("display", "size", "1080*1920",
         'display.size = \'1080*1920\': must be "auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920"'),
        ("display", "size", "Auto", None),
        ("display", "size", "1080 x 1920", None),
        ("display", "size", "100x1920",
         "display.size = '100x1920': width and height must each be from 320 to 7680 pixels"),
        ("display", "size", "1080x8000",
         "display.size = '1080x8000': width and height must each be from 320 to 7680 pixels"),
        # languages
        ("languages", "offered", ["fr", "de"],
         "languages.offered = ['fr', 'de']: 'de' is not available (available: fr, en)"),
        ("languages", "offered", ["de", "it"],
         "languages.offered = ['de', 'it']: 'de', 'it' are not available (available: fr, en)"),
        ("languages", "offered", [], 'languages.offered = []: must list at least one language, e.g. ["fr"]'),
        ("languages", "offered", ["fr", "en", "fr"],
         "languages.offered = ['fr', 'en', 'fr']: 'fr' listed more than once"),
        ("languages", "offered", ["en"],
         "languages.offered = ['en']: must include the default language 'fr' (languages.default)"),
        ("languages", "offered", ["fr", 3], "languages.offered[1] = 3: must be text in quotes"),
        ("languages", "default", "de", "languages.default = 'de': 'de' is not available (available: fr, en)"),
        # the central API's address
        ("api", "base_url", "http://gru.example.fr/kiosk/",
         "api.base_url = 'http://gru.example.fr/kiosk/': must use https:// (plain http:// is only allowed for this "
         "machine: 127.0.0.1, ::1 or localhost)"),
        ("api", "base_url", "http://10.0.0.5:8765/", None),
        ("api", "base_url", "http://localhost.evil.example/", None),
        ("api", "base_url", "gru.example.fr", 'api.base_url = \'gru.example.fr\': must be a full https:// address, '
                                              'e.g. "https://gru.example.fr/kiosk/"'),
        ("api", "base_url", "ftp://gru.example.fr/", None),
        ("api", "base_url", "https://user:secret@gru.example.fr/", None),
        ("api", "base_url", "https://gru.example.fr:99999/", None),
        ("api", "base_url", "https://gru.example.fr/?x=1", None),
        ("api", "base_url", "https://gru example.fr/",
         "api.base_url = 'https://gru example.fr/': must not contain spaces"),
        # a section written as a value
        (None, "display", 5, "display = 5: must be a section written [display]"),
    ],
)
def test_one_plain_line_per_problem(tmp_path, section, key, value, line):
    problems = problems_with(tmp_path, section, key, value)
    assert len(problems) == 1, problems
    dotted = key if section is None else f"{section}.{key}"
    assert problems[0].startswith(f"kiosk.toml: {dotted}")
    if line is not None:
        assert problems[0] == f"kiosk.toml: {line}"


def test_unknown_section_and_nested_table(tmp_path):
    data = minimal()
    data["extra"] = {"a": 1}
    data["terminal"]["screen"] = {"a": 1}  # written as [terminal.screen]
    assert problems_of(write(tmp_path, data)) == [
        "kiosk.toml: terminal.screen = {'a': 1}: unknown key (allowed here: id, name, profile)",
        f"kiosk.toml: extra = {{'a': 1}}: unknown section (allowed here: {SECTIONS})",
    ]


@pytest.mark.parametrize(
    ("section", "key", "line"),
    [
        ("terminal", "profile", 'terminal.profile: missing (required): "street", "counter" or "display"'),
        ("terminal", "id", 'terminal.id: missing (required): an identifier such as "town-hall-01": 1 to 64 '
                           'lower-case letters, digits or "-", not starting with "-"'),
        ("location", "latitude", "location.latitude: missing (required): degrees from -90 to 90"),
        ("branding", "town_name", "branding.town_name: missing (required): a name of 1 to 80 characters"),
        ("admin", "pin_hash", 'admin.pin_hash: missing (required): a PIN hash "pbkdf2_sha256$<iterations>$<salt>$'
                              '<hash>" (as printed by "kiosk hash-pin")'),
    ],
)
def test_missing_required_key(tmp_path, section, key, line):
    data = minimal()
    del data[section][key]
    assert problems_of(write(tmp_path, data)) == [f"kiosk.toml: {line}"]


@pytest.mark.parametrize("section", ["terminal", "location", "branding", "admin"])
def test_missing_required_section(tmp_path, section):
    data = minimal()
    del data[section]
    [line] = problems_of(write(tmp_path, data))
    assert line.startswith(f"kiosk.toml: {section}: missing (required): a")
    assert f"[{section}] section" in line


def test_all_problems_reported_at_once(tmp_path):
    data = minimal()
    data["idle"] = {"warn_after_s": 5, "reset_after_s": 500}
    data["display"] = {"rotation": 45, "size": "big"}
    del data["terminal"]["name"]
    assert problems_of(write(tmp_path, data)) == [
        "kiosk.toml: terminal.name: missing (required): a name of 1 to 80 characters",
        'kiosk.toml: display.size = \'big\': must be "auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920"',
        "kiosk.toml: display.rotation = 45: must be one of 0, 90, 180, 270",
        "kiosk.toml: idle.warn_after_s = 5: must be at least 10",
        "kiosk.toml: idle.reset_after_s = 500: must be at most 120",
    ]


def test_long_values_are_truncated(tmp_path):
    [line] = problems_with(tmp_path, "display", "size", "x" * 500)
    assert len(line) < 200
    assert "'" + "x" * 56 + "..." in line


# --- malformed admin.pin_hash: explained, never echoed -------------------------------

def test_nothing_under_admin_is_echoed(tmp_path):
    data = minimal()
    data["admin"]["pin"] = "8642"
    assert problems_of(write(tmp_path, data)) == [
        "kiosk.toml: admin.pin = (hidden): unknown key (allowed here: pin_hash)"
    ]
    data = minimal()
    data["admin"] = "8642"
    [line] = problems_of(write(tmp_path, data))
    assert line == "kiosk.toml: admin = (hidden): must be a section written [admin]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nonsense", "must have 4 parts separated by '$'"),
        ("1234", 'must be the hash printed by "kiosk hash-pin", not the PIN itself'),
        (PIN_HASH.replace("pbkdf2_sha256", "sha1"), "must start with 'pbkdf2_sha256$'"),
        (PIN_HASH[:-8], "hash (fourth part)"),
        (1234, "must be text in quotes"),
    ],
)
def test_malformed_pin_hash(tmp_path, value, expected):
    [line] = problems_with(tmp_path, "admin", "pin_hash", value)
    assert line.startswith("kiosk.toml: admin.pin_hash = (hidden): ")
    assert expected in line
    assert str(value) not in line


# --- files: logo, CA bundle, credentials ---------------------------------------------

def test_logo_relative_to_the_config_folder_is_stored_absolute(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(PNG)
    data = minimal()
    data["branding"]["logo"] = "img/logo.png"
    cfg = load_config(write(tmp_path, data))
    assert cfg.branding.logo == tmp_path / "img" / "logo.png"
    assert cfg.branding.logo.is_absolute()


def test_logo_not_found(tmp_path):
    [line] = problems_with(tmp_path, "branding", "logo", "logo.png")
    assert line == f"kiosk.toml: branding.logo = 'logo.png': file not found ({tmp_path / 'logo.png'})"


def test_logo_is_a_folder(tmp_path):
    (tmp_path / "logos").mkdir()
    [line] = problems_with(tmp_path, "branding", "logo", "logos")
    assert line == f"kiosk.toml: branding.logo = 'logos': is a folder, not a file ({tmp_path / 'logos'})"


def test_logo_not_a_png(tmp_path):
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    [line] = problems_with(tmp_path, "branding", "logo", "logo.jpg")
    assert line == f"kiosk.toml: branding.logo = 'logo.jpg': not a PNG image ({tmp_path / 'logo.jpg'})"


def test_logo_empty_string(tmp_path):
    [line] = problems_with(tmp_path, "branding", "logo", "")
    assert line == "kiosk.toml: branding.logo = '': must not be empty (leave the key out instead)"


def test_ca_bundle_must_exist(tmp_path):
    [line] = problems_with(tmp_path, "api", "ca_bundle", "/nonexistent/town-ca.pem")
    assert line == "kiosk.toml: api.ca_bundle = '/nonexistent/town-ca.pem': file not found (/nonexistent/town-ca.pem)"
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    data = minimal()
    data["api"] = {"ca_bundle": "ca.pem"}
    assert load_config(write(tmp_path, data)).api.ca_bundle == tmp_path / "ca.pem"


def test_credentials_path_need_not_exist(tmp_path):
    data = minimal()
    data["api"] = {"credentials_path": "state/credentials.json"}
    cfg = load_config(write(tmp_path, data))
    assert cfg.api.credentials_path == tmp_path / "state" / "credentials.json"
    assert not cfg.api.credentials_path.exists()
    (tmp_path / "state" / "credentials.json").mkdir(parents=True)
    [line] = problems_of(write(tmp_path, data))
    assert line.startswith("kiosk.toml: api.credentials_path = 'state/credentials.json': is a folder")


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://gru.example.fr/api/kiosk", "https://gru.example.fr/api/kiosk/"),
        ("HTTPS://gru.example.fr/", "HTTPS://gru.example.fr/"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765/"),
        ("http://localhost:8765", "http://localhost:8765/"),
        ("http://[::1]:8765/", "http://[::1]:8765/"),
    ],
)
def test_accepted_api_urls(tmp_path, url, stored):
    data = minimal()
    data["api"] = {"base_url": url}
    assert load_config(write(tmp_path, data)).api.base_url == stored


# --- the file itself -----------------------------------------------------------------

def test_toml_syntax_error_gives_line_and_column(tmp_path):
    path = write(tmp_path, '[terminal]\nid = "a"\nname = \n')
    assert problems_of(path) == ["kiosk.toml line 3, column 8: Invalid value"]


def test_toml_syntax_error_at_end_of_file(tmp_path):
    path = write(tmp_path, '[languages]\noffered = ["fr", "en"')
    assert problems_of(path) == ["kiosk.toml at the end of the file: Unclosed array"]


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    assert problems_of(path) == [f"nowhere.toml: file not found ({path})"]


def test_directory_instead_of_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.mkdir()
    assert problems_of(path) == [f"kiosk.toml: is a folder, not a file ({path})"]


def test_path_through_a_file(tmp_path):
    (tmp_path / "etc").write_text("")
    path = tmp_path / "etc" / "kiosk.toml"
    assert problems_of(path) == [f"kiosk.toml: cannot be read: Not a directory ({path})"]


def test_not_utf8(tmp_path):
    # "Mairie d'été" saved as Latin-1 by an old editor: é is the single byte 0xe9
    path = write(tmp_path, b'[terminal]\nid = "t-01"\nname = "Mairie d\'\xe9t\xe9"\n')
    assert problems_of(path) == [
        f"kiosk.toml line 3, column 18: not valid UTF-8 text (byte 0xe9); save the file as UTF-8 ({path})"
    ]


def test_unreadable_file(tmp_path):
    """chmod 000 only stops a non-root user; as root (CI containers) the file stays
    readable and must simply load. Both outcomes are asserted; nothing is skipped."""
    path = write(tmp_path, minimal())
    path.chmod(0)
    try:
        try:
            path.read_bytes()
            readable = True
        except PermissionError:
            readable = False
        if readable:
            assert load_config(path).terminal.id == "test-01"
        else:
            assert problems_of(path) == [f"kiosk.toml: permission denied ({path})"]
    finally:
        path.chmod(0o644)


def test_utf8_bom_is_tolerated(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + to_toml(minimal()).encode("utf-8"))
    assert load_config(path).terminal.id == "test-01"


def test_relative_config_path_is_made_absolute(tmp_path, monkeypatch):
    write(tmp_path, minimal(), name="site.toml")
    monkeypatch.chdir(tmp_path)
    assert load_config("site.toml").source == tmp_path / "site.toml"


# --- config_from_dict ----------------------------------------------------------------

def test_config_from_dict_validates_like_a_file(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG)
    data = minimal()
    data["branding"]["logo"] = "logo.png"
    cfg = config_from_dict(data, tmp_path / "virtual.toml")
    assert cfg.source == tmp_path / "virtual.toml"
    assert cfg.branding.logo == tmp_path / "logo.png"
    data["idle"] = {"warn_after_s": 5}
    with pytest.raises(ConfigError) as info:
        config_from_dict(data, tmp_path / "virtual.toml")
    assert info.value.problems == ["virtual.toml: idle.warn_after_s = 5: must be at least 10"]


# --- overrides -----------------------------------------------------------------------

def test_overrides_apply_on_top_of_the_file(tmp_path):
    path = write(tmp_path, minimal())
    cfg = load_config(path, {"display.size": "1920x1080", "accessibility.large_text": True,
                             "terminal.profile": "counter"})
    assert cfg.display.size_px == (1920, 1080)
    assert cfg.accessibility.large_text is True
    assert cfg.terminal.profile == "counter"
    assert load_config(path).display.size_px is None  # the file is untouched


def test_override_none_restores_the_default(tmp_path):
    data = minimal()
    data["display"] = {"rotation": 90}
    cfg = load_config(write(tmp_path, data), {"display.rotation": None})
    assert cfg.display.rotation == 0


def test_bad_override_is_labelled(tmp_path):
    path = write(tmp_path, minimal())
    assert problems_of(path, {"display.size": "huge", "display.sise": "1920x1080"}) == [
        'kiosk.toml: display.size = \'huge\': must be "auto" or WIDTHxHEIGHT in pixels, e.g. "1080x1920" '
        "(set by an override)",
        "kiosk.toml: display.sise = '1920x1080': unknown key (allowed here: size, rotation, fullscreen) "
        "(set by an override)",
    ]


def test_override_cannot_descend_into_a_value(tmp_path):
    path = write(tmp_path, minimal())
    assert problems_of(path, {"terminal.id.x": 1, "display..size": "auto"}) == [
        "kiosk.toml: override 'terminal.id.x': terminal.id is not a section",
        "kiosk.toml: override 'display..size': not a dotted key such as 'display.size'",
    ]


# --- which file ----------------------------------------------------------------------

def test_resolve_config_path_precedence(tmp_path, monkeypatch):
    system = tmp_path / "etc-kiosk.toml"
    monkeypatch.setattr(config, "SYSTEM_CONFIG_PATH", system)
    env = {"KIOSK_CONFIG": "/srv/env.toml"}

    assert resolve_config_path("/srv/cli.toml", env) == Path("/srv/cli.toml")
    assert resolve_config_path(None, env) == Path("/srv/env.toml")
    assert resolve_config_path(None, {}) == config.REPO_CONFIG_PATH
    assert resolve_config_path(None, {"KIOSK_CONFIG": ""}) == config.REPO_CONFIG_PATH
    system.write_text("")
    assert resolve_config_path(None, {}) == system
    assert resolve_config_path(None, env) == Path("/srv/env.toml")
    assert resolve_config_path("", env) == Path("/srv/env.toml")


def test_repository_config_path_is_the_checkout_kiosk_toml():
    assert Path(config.__file__).parents[2] / "kiosk.toml" == config.REPO_CONFIG_PATH
    assert config.REPO_CONFIG_PATH.is_file()


def test_not_utf8_after_a_byte_order_mark_points_at_the_right_byte(tmp_path):
    text = config.REPO_CONFIG_PATH.read_bytes().replace(b'town_name = "Saint-Cl\xc3\xa9ment',
                                                        b'town_name = "Saint-Cl\xe9ment', 1)
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text)
    with pytest.raises(config.ConfigError) as err:
        config.load_config(path)
    [line] = err.value.problems
    assert "(byte 0xe9)" in line
    line_no = text[: text.index(b"\xe9ment")].count(b"\n") + 1
    assert f"line {line_no}, column 22:" in line


# --- [demarches] ---------------------------------------------------------------------

def test_demarches_defaults_and_the_open311_route(tmp_path):
    assert load_config(write(tmp_path, minimal())).demarches.reports_to == "contract"
    data = minimal()
    data["demarches"] = {"reports_to": "open311", "open311_url": "https://signalements.ville.fr/open311/v2"}
    cfg = load_config(write(tmp_path, data)).demarches
    assert (cfg.reports_to, cfg.open311_url) == ("open311", "https://signalements.ville.fr/open311/v2")


@pytest.mark.parametrize(("key", "value", "says"), [
    ("reports_to", "email", 'must be one of "contract", "open311"'),
    ("reports_to", 1, 'must be one of "contract", "open311"'),
    ("open311_url", "signalements.ville.fr", 'an address such as "https://signalements.ville.fr/open311/v2"'),
    ("open311_url", "https://signalements.ville.fr/open311/v2/", '(no final "/")'),
    ("open311_url", "", 'must be at least 8 characters'),
])
def test_bad_demarches_values_are_said_plainly(tmp_path, key, value, says):
    [line] = problems_with(tmp_path, "demarches", key, value)
    assert line.startswith(f"kiosk.toml: demarches.{key} = ") and says in line
