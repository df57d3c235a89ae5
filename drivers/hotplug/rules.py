"""Which udev events concern which configured device: rules made from the device sections.

Why rules of our own instead of asking each driver: a udev event says little — a
subsystem, a device node and its links, properties — and on "remove" the sysfs entry
is already gone, so everything a rule needs must be read from the event itself
(``DEVNAME``, ``DEVLINKS``, ``ID_VENDOR_ID``/``ID_MODEL_ID`` or the kernel's ``PRODUCT``).
The same keys that pick a backend (``device``, ``vendor_id``/``product_id``, ``name``)
describe what to watch, so nothing new is configured.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from drivers.sections import section_values

# Subsystems a device node of each printer kind shows up in: usblp's /dev/usb/lp0 is "usbmisc",
# parallel /dev/lp0 "printer", serial adapters "tty".
PRINTER_NODE_SUBSYSTEMS = ("usbmisc", "printer", "tty")


@dataclass(frozen=True)
class UdevEvent:
    """What a rule looks at in one udev event (all read from the event, so "remove" works too)."""

    action: str
    subsystem: str
    devtype: str = ""
    node: str = ""                 # DEVNAME, e.g. /dev/input/event5
    links: tuple[str, ...] = ()    # DEVLINKS, e.g. /dev/input/by-id/usb-…-event-kbd
    vendor_id: int | None = None
    product_id: int | None = None
    name: str = ""                 # an input device's name, as evtest shows it
    sys_path: str = ""


@dataclass(frozen=True)
class DeviceRule:
    """One configured device: ``device`` is the name drivers post DEVICE_STATE under."""

    device: str
    subsystems: tuple[str, ...]
    node: str | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    name: str | None = None

    def matches(self, event: UdevEvent) -> bool:
        if event.subsystem not in self.subsystems:
            return False
        if event.subsystem == "input" and not event.node.startswith("/dev/input/event"):
            return False            # the inputN parent and mouse/js nodes: the event node is the one we open
        if self.node is not None:
            return self.node in (event.node, *event.links) or _resolves_to(self.node, event.node)
        if event.subsystem == "usb" and event.devtype != "usb_device":
            return False            # its interfaces send events too: count the device once
        if self.vendor_id is not None and (event.vendor_id, event.product_id) != (self.vendor_id, self.product_id):
            return False
        if self.name is not None and event.name != self.name:
            return False
        return self.vendor_id is not None or self.name is not None


def _resolves_to(link: str, node: str) -> bool:
    """A by-id link given in the config that still resolves to the event's node (only on "add")."""
    return bool(node) and os.path.realpath(link) == node


def rules_for(printer: Any = None, scanner: Any = None, touch: Any = None) -> list[DeviceRule]:
    """The rules the ``[printer]``, ``[scanner]`` and ``[touch]`` sections (models or dicts) call for.

    Network, simulated and absent devices have none: udev says nothing about them.
    """
    rules: list[DeviceRule] = []
    p = section_values(printer) if printer is not None else {}
    if p.get("type") == "usb":
        rules.append(DeviceRule("printer", ("usb",), vendor_id=p["vendor_id"], product_id=p["product_id"]))
    elif p.get("type") in ("file", "serial"):
        rules.append(DeviceRule("printer", PRINTER_NODE_SUBSYSTEMS, node=p["device"]))
    s = section_values(scanner) if scanner is not None else {}
    if s.get("type") == "hid":
        rules.append(DeviceRule("scanner", ("input",), node=s.get("device"), vendor_id=s.get("vendor_id"),
                                product_id=s.get("product_id")))
    elif s.get("type") == "camera":
        rules.append(DeviceRule("camera", ("video4linux",), node=s.get("device") or "/dev/video0"))
    t = section_values(touch) if touch is not None else {}
    if t.get("type") == "evdev":
        rules.append(DeviceRule("touch", ("input",), node=t.get("device"), vendor_id=t.get("vendor_id"),
                                product_id=t.get("product_id"), name=t.get("name")))
    return rules


def subsystems_of(rules: Iterable[DeviceRule]) -> list[str]:
    return sorted({s for rule in rules for s in rule.subsystems})


def _hex(value: str | None) -> int | None:
    try:
        return int(value, 16) if value else None
    except ValueError:
        return None


def ids_from_properties(props: Mapping[str, str]) -> tuple[int | None, int | None]:
    """(vendor, product) from udev's ``ID_VENDOR_ID``/``ID_MODEL_ID`` or the kernel's ``PRODUCT=4b8/202/100``."""
    vendor, product = _hex(props.get("ID_VENDOR_ID")), _hex(props.get("ID_MODEL_ID"))
    if vendor is None and props.get("PRODUCT"):
        parts = props["PRODUCT"].split("/")
        if len(parts) >= 2:
            vendor, product = _hex(parts[0]), _hex(parts[1])
    return vendor, product
