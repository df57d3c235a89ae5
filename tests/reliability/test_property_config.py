"""Configuration files a technician (or a broken disk) can leave behind (property tests, hypothesis):
the documented kiosk.toml with any key set to any TOML value, unknown keys and sections added,
sections replaced by values, and files of random bytes. ``load_config`` gives a configuration or
a ConfigError of plain one-line problems naming the file, never another exception."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, config_warnings, load_config

REPO = Path(__file__).resolve().parents[2]
DOCUMENTED = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
SECTIONS = sorted(DOCUMENTED)
KEYS = sorted((section, key) for section, body in DOCUMENTED.items() if isinstance(body, dict) for key in body)
# keys the documented file leaves commented out, and a few that exist nowhere
OTHER_KEYS = ["type", "device", "vendor_id", "product_id", "layout", "suffix", "max_length", "socket", "fifo",
              "decoder", "max_fps", "path", "port", "baudrate", "width", "pin", "source", "colour", "size", ""]

scalars = st.one_of(
    st.text(max_size=30), st.sampled_from(["auto", "1080x1920", "0x0", "99999x1", "-1x-1", "#zzzzzz", "#1d4e89",
                                           "/dev/null", "relative/path.png", "http://[::1", "https://", "none",
                                           "hid", "camera", "simulated", "usb", "fr", "xx", "\x00", "🙂"]),
    st.integers(), st.sampled_from([0, -1, 2**63 - 1, -(2**63), 90, 270, 45]),
    st.floats(), st.booleans(),
    st.datetimes(timezones=st.sampled_from([None, UTC])), st.dates(), st.times(),
)
toml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=8)

edits = st.lists(st.one_of(
    st.tuples(st.just("set"), st.sampled_from(KEYS), toml_values),
    st.tuples(st.just("set"), st.tuples(st.sampled_from(SECTIONS), st.sampled_from(OTHER_KEYS)), toml_values),
    st.tuples(st.just("replace section"), st.tuples(st.sampled_from(SECTIONS), st.just("")), toml_values),
    st.tuples(st.just("new section"), st.tuples(st.text(max_size=12), st.just("")), toml_values),
    st.tuples(st.just("drop"), st.sampled_from(KEYS), st.none()),
), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("config")


def loads_or_explains(path: Path) -> None:
    try:
        config = load_config(path)
    except ConfigError as err:
        assert err.problems, "a ConfigError says what is wrong"
        for line in err.problems:
            assert isinstance(line, str) and "\n" not in line and line.startswith(path.name), line
        return
    for warning in config_warnings(config):
        assert warning.startswith(path.name) and "\n" not in warning


def apply(data: dict, edit: tuple) -> None:
    action, (section, key), value = edit
    if action == "set":
        body = data.setdefault(section, {})
        if isinstance(body, dict):
            body[key] = value
    elif action in ("replace section", "new section"):
        data[section] = value
    else:
        body = data.get(section)
        if isinstance(body, dict):
            body.pop(key, None)


def plain(value):
    """tomlkit writes dates and times only as their exact types (not subclasses)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return datetime(*value.timetuple()[:6], value.microsecond, tzinfo=value.tzinfo)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, time):
        return time(value.hour, value.minute, value.second, value.microsecond)
    return value


@settings(max_examples=settings.default.max_examples * 2)
@given(changes=edits)
def test_any_value_anywhere_gives_a_config_or_plain_problems(config_dir, changes):
    data = plain(tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8")))
    for edit in changes:
        apply(data, edit)
    try:
        text = tomlkit.dumps(plain(data))
        tomllib.loads(text)
    except Exception:                      # noqa: BLE001 - a value TOML cannot write (e.g. a "" table name)
        return
    path = config_dir / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    loads_or_explains(path)


@settings(max_examples=settings.default.max_examples)
@given(raw=st.one_of(st.binary(max_size=400),
                     st.binary(max_size=60).map(lambda b: (REPO / "kiosk.toml").read_bytes()[:2000] + b)))
def test_any_bytes_give_a_config_or_plain_problems(config_dir, raw):
    path = config_dir / "kiosk.toml"
    path.write_bytes(raw)
    loads_or_explains(path)
