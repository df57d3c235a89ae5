"""The app's hardware: starts the drivers a configuration names and keeps their last state.

Drivers run in their own threads and only post events; this module is where
the UI thread creates them, remembers what they last said (for the admin
screen, the screens that offer printing, and later the heartbeat) and stops
them on exit. Outside the demo, a udev monitor (drivers.hotplug) tells each
driver at once when its device is plugged in or unplugged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.config.models import KioskConfig, PrinterConfig, ScannerConfig
from kiosk.devices.status import PRINTER_STATE_WORDS, DeviceState

if TYPE_CHECKING:
    import pygame

    from drivers.hotplug import HotplugMonitor
    from drivers.hotplug.rules import DeviceRule, UdevEvent
    from drivers.keypad.evdev_keypad import EvdevKeypad
    from drivers.printer.worker import PrintWorker
    from drivers.scanner import Scanner
    from drivers.touch import UnavailableTouch
    from drivers.touch.evdev_touch import EvdevTouch

log = logging.getLogger(__name__)
__all__ = ["Devices", "DeviceState", "PRINTER_STATE_WORDS"]


class Devices:
    def __init__(self, config: KioskConfig, demo: bool) -> None:
        self.config = config
        self.demo = demo
        self.printer: PrintWorker | None = None                   # None without a printer
        self.scanner: Scanner | None = None                       # None without a scanner
        self.touch: EvdevTouch | UnavailableTouch | None = None   # None when SDL delivers touches
        self.keypad: EvdevKeypad | None = None                    # None without [keypad] device
        self.hotplug: HotplugMonitor | None = None                # None: demo, or nothing udev can see
        self.states: dict[str, DeviceState] = {}

    def start(self) -> None:
        self._start_touch()      # first: the grab should be in place before the first touch
        self._start_scanner()
        self._start_keypad()
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

    def _hotplug_event(self, rule: DeviceRule, event: UdevEvent) -> None:
        """In the hotplug thread: tell the driver; it reopens or reports DEVICE_STATE itself."""
        from drivers.driver_thread import HotplugAware

        driver = {"printer": self.printer, "scanner": self.scanner, "camera": self.scanner,
                  "touch": self.touch}.get(rule.device)
        if not isinstance(driver, HotplugAware):   # none, or a stand-in that only reports "unavailable"
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

        touch = self.touch = make_touch(section)
        if touch is None:
            return
        self.states["touch"] = DeviceState("starting", device="touch")
        touch.start()

    def _start_scanner(self) -> None:
        section = self.config.scanner
        if self.demo and section.type != "simulated":
            section = ScannerConfig(type="simulated")  # the demo's twin: scans come from the admin screen
        if section.type == "none":
            self.states["scanner"] = DeviceState("disabled", device="scanner")
            return
        from drivers.scanner import make_scanner

        scanner = self.scanner = make_scanner(section)
        self.states[scanner.device_name] = DeviceState("starting", device=scanner.device_name)
        scanner.start()

    def _start_keypad(self) -> None:
        """The tactile keypad (issue 15); not in the demo, whose keys are the SDL keyboard's."""
        if self.demo or self.config.keypad.device == "none":
            return
        from drivers.keypad import make_keypad
        from kiosk.speech.keys import action_for_evdev_code

        keypad = self.keypad = make_keypad(self.config.keypad, action_for_evdev_code, self.config.scanner)
        if keypad is not None:
            self.states["keypad"] = DeviceState("starting", device="keypad")
            keypad.start()

    def _start_printer(self) -> None:
        config = self.config.printer
        section: PrinterConfig = config
        if self.demo and config.type != "simulated":
            # The demo runs on any machine: a real printer section is replaced by its simulated twin.
            section = PrinterConfig(type="simulated", profile=section.profile, qr=section.qr)
        if section.type == "none":
            self.states["printer"] = DeviceState("disabled")
            return
        from drivers.printer.worker import build_worker

        printer = self.printer = build_worker(section)
        self.states["printer"] = DeviceState("starting")
        printer.start()

    @property
    def scans_by_hand(self) -> bool:
        """The scanner is the simulated one (the demo's twin): codes can be scanned from the
        admin screen."""
        return self.scanner is not None and self.scanner.type == "simulated"

    def scan_by_hand(self, text: str) -> bool:
        """Scan ``text`` with the simulated scanner: the same driver rules (length, control
        characters) and the same ``SCAN_READ`` event, hence the one scan router, as a real scan.
        False when it was refused (the router then says so) or there is no simulated scanner."""
        from drivers.scanner.simulated import SimulatedScanner

        if not isinstance(self.scanner, SimulatedScanner):
            return False
        return self.scanner.submit(text)

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
        if self.keypad is not None:
            self.keypad.stop()
            self.keypad = None

    def update(self, device: str, state: str, detail: str = "") -> None:
        """A DEVICE_STATE event reached the UI thread: the one place device changes are logged."""
        new = DeviceState(state, detail, device)
        old = self.states.get(device)
        self.states[device] = new
        if old is None or old.health != new.health:
            level = logging.WARNING if new.health == "error" else logging.INFO
            log.log(level, "device %s is %s: %s (%s)", device, new.health, state, detail)
        else:
            log.info("device %s: %s (%s)", device, state, detail)

    @property
    def can_print(self) -> bool:
        return self.printer is not None and self.printer.can_print

    def state(self, device: str) -> DeviceState:
        return self.states.get(device, DeviceState("disabled", device=device))

    def summary(self) -> dict[str, DeviceState]:
        """The configured devices and their last state: printer, scanner or camera, and touch when
        the kiosk reads the panel itself (with SDL's own touch there is no driver to ask)."""
        scanner = "camera" if self.config.scanner.type == "camera" else "scanner"
        names = ["printer", scanner] + (["touch"] if self.touch is not None else []) \
            + (["keypad"] if self.keypad is not None else [])
        return {name: self.state(name) for name in names}

    def heartbeat_states(self) -> dict[str, str]:
        """For the heartbeat (kiosk/sync): device name -> "ok" | "degraded" | "error" | "absent",
        the levels the API's Heartbeat.device_states accepts; e.g. {"printer": "error", "scanner": "ok"}.
        Safe to call from the sync thread: it reads the last states without iterating over them."""
        return {name: state.health for name, state in self.summary().items()}

    @property
    def draws_receipts(self) -> bool:
        """Whether the printer is the simulated twin, whose receipts can be shown on screen."""
        from drivers.printer.simulated import SimulatedPrinter

        return self.printer is not None and isinstance(self.printer.backend, SimulatedPrinter)

    def last_receipt(self) -> pygame.Surface | None:
        """The simulated printer's last receipt as a pygame Surface (None: none yet, or a real printer)."""
        from drivers.printer.simulated import SimulatedPrinter

        backend = self.printer.backend if self.printer is not None else None
        return backend.receipt_surface() if isinstance(backend, SimulatedPrinter) else None

    def printer_problem(self) -> str:
        """What to tell a citizen instead of offering a ticket ("" when the printer prints)."""
        if self.can_print:
            return ""
        return self.state("printer").citizen_message() or DeviceState("error").citizen_message()
