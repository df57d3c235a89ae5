"""The app's hardware: starts the drivers a configuration names and keeps their last state.

Drivers run in their own threads and only post events; this module is where
the UI thread creates them, remembers what they last said (for the admin
screen, the screens that offer printing, and later the heartbeat) and stops
them on exit. Outside the demo, a udev monitor (drivers.hotplug) tells each
driver at once when its device is plugged in or unplugged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.i18n import N_, _

log = logging.getLogger(__name__)

# Printer states (drivers.printer.status) in words for people.
PRINTER_STATE_WORDS = {
    "ready": N_("ready"), "paper_low": N_("paper running low"), "paper_out": N_("out of paper"),
    "cover_open": N_("cover open"), "error": N_("in error"), "offline": N_("offline"),
    "disconnected": N_("unplugged"), "no_status": N_("state unknown"), "disabled": N_("no printer"),
    "starting": N_("starting"),
    # Transport codes a failed job may report (drivers.printer.backends.BackendError).
    "unavailable": N_("driver unavailable"), "not_found": N_("not found"), "permission": N_("access denied"),
    "unreachable": N_("unreachable"), "timeout": N_("not answering"), "io_error": N_("transmission error"),
}


@dataclass(frozen=True)
class DeviceState:
    state: str
    detail: str = ""

    def words(self) -> str:
        return _(PRINTER_STATE_WORDS.get(self.state, self.state))


class Devices:
    def __init__(self, config, demo: bool) -> None:
        self.config = config
        self.demo = demo
        self.printer = None          # drivers.printer.worker.PrintWorker, or None without a printer
        self.scanner = None          # drivers.scanner.Scanner, or None without a scanner
        self.touch = None            # drivers.touch.EvdevTouch, or None when SDL delivers touches
        self.hotplug = None          # drivers.hotplug.HotplugMonitor, or None (demo, nothing udev can see)
        self.states: dict[str, DeviceState] = {}

    def start(self) -> None:
        self._start_touch()      # first: the grab should be in place before the first touch
        self._start_scanner()
        self._start_printer()
        self._start_hotplug()

    def _start_hotplug(self) -> None:
        """Watch udev for the configured devices; not in the demo, whose twins never come and go."""
        if self.demo:
            return
        from drivers.hotplug import HotplugMonitor, rules_for

        c = self.config
        rules = rules_for(c.printer, c.scanner, c.touch)
        if rules:
            self.hotplug = HotplugMonitor(rules, self._hotplug_event).start()

    def _hotplug_event(self, rule, event) -> None:
        """In the hotplug thread: tell the driver; it reopens or reports DEVICE_STATE itself."""
        driver = {"printer": self.printer, "scanner": self.scanner, "camera": self.scanner,
                  "touch": self.touch}.get(rule.device)
        if driver is None or not hasattr(driver, "device_added"):
            return
        if event.action in ("add", "bind", "change"):
            driver.device_added()
        elif event.action == "remove":
            driver.device_removed()

    def _start_touch(self) -> None:
        section = self.config.touch
        if self.demo or section.type == "sdl":
            return  # SDL delivers the finger events itself (the demo's twin: the mouse or SDL touch)
        from drivers.touch import make_touch

        self.touch = make_touch(section)
        self.states["touch"] = DeviceState("starting")
        self.touch.start()

    def _start_scanner(self) -> None:
        section = self.config.scanner
        if self.demo and section.type != "simulated":
            section = {"type": "simulated"}  # the demo's twin: scans come from the admin screen
        if (section["type"] if isinstance(section, dict) else section.type) == "none":
            self.states["scanner"] = DeviceState("disabled")
            return
        from drivers.scanner import make_scanner

        self.scanner = make_scanner(section)
        self.states["scanner"] = DeviceState("starting")
        self.scanner.start()

    def _start_printer(self) -> None:
        section = self.config.printer
        if self.demo and section.type != "simulated":
            # The demo runs on any machine: a real printer section is replaced by its simulated twin.
            section = {"type": "simulated", "profile": section.profile, "qr": section.qr}
        if (section["type"] if isinstance(section, dict) else section.type) == "none":
            self.states["printer"] = DeviceState("disabled")
            return
        from drivers.printer.worker import build_worker

        self.printer = build_worker(section)
        self.states["printer"] = DeviceState("starting")
        self.printer.start()

    def stop(self) -> None:
        if self.hotplug is not None:
            self.hotplug.stop()
            self.hotplug = None
        if self.printer is not None:
            self.printer.stop()
            self.printer = None
        if self.scanner is not None:
            self.scanner.stop()
            self.scanner = None
        if self.touch is not None:
            self.touch.stop()
            self.touch = None

    def update(self, device: str, state: str, detail: str = "") -> None:
        self.states[device] = DeviceState(state, detail)
        log.info("device %s: %s", device, state)

    @property
    def can_print(self) -> bool:
        return self.printer is not None and self.printer.can_print

    def state(self, device: str) -> DeviceState:
        return self.states.get(device, DeviceState("disabled"))
