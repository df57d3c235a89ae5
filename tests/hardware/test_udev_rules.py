"""systemd/70-kiosk-devices.rules: well-formed udev rules, each explained, giving access the unit expects."""

from __future__ import annotations

import re

from tests.conftest import REPO

RULES = REPO / "systemd" / "70-kiosk-devices.rules"
ITEM = re.compile(r'^(?P<key>[A-Z]+)(\{(?P<attr>[A-Za-z_]+)\})?(?P<op>==|!=|\+=|=)"(?P<value>[^"]*)"$')
MATCH_KEYS = {"SUBSYSTEM", "KERNEL", "ATTR", "ATTRS", "ENV"}
ASSIGN_KEYS = {"GROUP", "MODE", "SYMLINK"}


def rules():
    lines = RULES.read_text().splitlines()
    return [(i, line) for i, line in enumerate(lines) if line and not line.startswith("#")], lines


def test_every_rule_is_well_formed_and_explained():
    found, lines = rules()
    assert len(found) == 3
    for i, line in found:
        assert lines[i - 1].startswith("#"), f"rule on line {i + 1} has no comment above it"
        items = [ITEM.match(part.strip()) for part in line.split(",")]
        assert all(items), line
        matches = [m for m in items if m["op"] in ("==", "!=")]
        assigns = [m for m in items if m["op"] in ("=", "+=")]
        assert matches and assigns, line
        assert {m["key"] for m in matches} <= MATCH_KEYS and {m["key"] for m in assigns} <= ASSIGN_KEYS, line
        assert all(re.fullmatch(r"[0-9a-f]{4}", m["value"]) for m in items if m["attr"] in ("idVendor", "idProduct"))


def test_groups_given_are_groups_the_service_runs_with():
    unit = (REPO / "systemd" / "kiosk.service").read_text()
    groups = set(re.search(r"^SupplementaryGroups=(.*)$", unit, re.M).group(1).split())
    given = set(re.findall(r'GROUP="([^"]+)"', RULES.read_text()))
    assert given and given <= groups
