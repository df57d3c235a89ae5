"""The udev monitor thread: tells the drivers at once when their device comes or goes.

Why, when every driver already retries on its own: a retry tick finds a returning
device up to ``retry_interval`` late and, worse, an idle driver (a printer between
status polls, a scanner nobody uses) notices an unplug only when it next touches the
device. udev says both the moment they happen. The drivers stay in charge: this thread
only calls their ``device_added()`` / ``device_removed()`` (:mod:`drivers.driver_thread`),
and they reopen or report ``DEVICE_STATE`` themselves, so the app behaves the same,
only slower, where udev is missing (a container, a build without pyudev).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Sequence
from typing import Any, Self

from drivers.driver_thread import DriverThread, Post, default_post
from drivers.hotplug.rules import DeviceRule, UdevEvent, ids_from_properties, subsystems_of

log = logging.getLogger(__name__)
POLL_S = 0.25   # how often the thread checks stop() between udev events


def event_from_device(device: Any) -> UdevEvent:
    """Read a pyudev ``Device`` (with its ``action``) into a :class:`UdevEvent` (pyudev has no type information)."""
    props = dict(device.properties)
    vendor, product = ids_from_properties(props)
    name = props.get("NAME", "")
    if device.subsystem in ("usb", "input") and (vendor is None or not name):
        parent = _safe_parent(device)       # on "add" sysfs still has the ancestors; on "remove" it may not
        if parent is not None:
            if vendor is None:
                vendor, product = ids_from_properties(dict(parent.properties))
            name = name or parent.properties.get("NAME", "")
        if vendor is None:
            usb = _safe_parent(device, "usb", "usb_device") if device.subsystem == "input" else device
            attrs = usb.attributes if usb is not None else None
            if attrs is not None:
                vendor, product = _attr_hex(attrs, "idVendor"), _attr_hex(attrs, "idProduct")
    return UdevEvent(action=device.action or "", subsystem=device.subsystem or "",
                     devtype=props.get("DEVTYPE", ""), node=device.device_node or "",
                     links=tuple(props.get("DEVLINKS", "").split()), vendor_id=vendor, product_id=product,
                     name=name.strip('"'), sys_path=device.sys_path)


def _safe_parent(device: Any, subsystem: str | None = None, devtype: str | None = None) -> Any:
    try:
        return device.find_parent(subsystem, devtype) if subsystem else device.parent
    except Exception:  # noqa: BLE001 - a device half gone from sysfs has no readable parent
        return None


def _attr_hex(attrs: Any, key: str) -> int | None:
    try:
        return int(attrs.asstring(key), 16)
    except (KeyError, ValueError, UnicodeDecodeError):
        return None


class HotplugMonitor(DriverThread):
    """Watches udev for the configured devices; ``on_event(rule, event)`` runs in this thread."""

    type = "udev"
    device_name = "hotplug"

    @staticmethod
    def is_usable() -> bool:
        return importlib.util.find_spec("pyudev") is not None

    def __init__(self, rules: Sequence[DeviceRule], on_event: Callable[[DeviceRule, UdevEvent], None], *,
                 post: Post = default_post) -> None:
        super().__init__(post=post)
        self.rules = list(rules)
        self._on_event = on_event
        self._matched: dict[str, list[DeviceRule]] = {}    # sys_path -> rules its last "add" matched
        self.monitor: Any = None     # a pyudev.Monitor while the thread runs

    def start(self) -> Self:
        if not self.rules:
            return self             # nothing udev can tell us about (network printer, simulated devices)
        if not self.is_usable():
            self._set_state("unavailable", "pyudev is not installed: devices are found by retrying")
            return self
        return super().start()

    def _open(self) -> Any:
        import pyudev

        monitor = pyudev.Monitor.from_netlink(pyudev.Context())
        for subsystem in subsystems_of(self.rules):
            monitor.filter_by(subsystem)
        monitor.start()
        return monitor

    def _run(self) -> None:
        try:
            self.monitor = self._open()
        except (OSError, ImportError) as exc:   # no netlink in this sandbox, libudev missing
            self._set_state("unavailable", f"cannot watch udev ({exc}): devices are found by retrying")
            return
        self._set_state("ready", "watching " + ", ".join(subsystems_of(self.rules)))
        while not self._stopping.is_set():
            device = self.monitor.poll(timeout=POLL_S)
            if device is not None:
                self.handle(event_from_device(device))

    def handle(self, event: UdevEvent) -> None:
        """Call the handler for each rule the event matches. A "remove" also reaches the rules its
        "add" matched: by then the parent device (input name, USB ids) may be gone from sysfs."""
        matched = [rule for rule in self.rules if rule.matches(event)]
        if event.action == "remove":
            matched += [r for r in self._matched.pop(event.sys_path, ()) if r not in matched]
        elif matched and event.sys_path:
            self._matched[event.sys_path] = matched
        for rule in matched:
            log.info("hotplug: %s %s (%s)", rule.device, event.action, event.node or event.sys_path)
            try:
                self._on_event(rule, event)
            except Exception:  # one bad handler must not stop the monitor
                log.exception("hotplug handler for %s failed", rule.device)
