"""The self-test's rows: each looks at one thing and says pass / warn / fail, and what to do.

Device rows prefer what the running kiosk published (it holds the devices; opening them a second
time could steal a scanner's grab or a USB printer's interface); when the kiosk is not running, they
ask the devices themselves through the kiosk's own drivers. Paths of the machine (``/sys``, ``/proc``,
``/dev``, ``/var``) are read under the install prefix, so tests can stand in for hardware with files.
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioning import terminal
from provisioning.common import USER, Outcome, Paths

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

PASS, WARN, FAIL = "pass", "warn", "FAIL"
OUTBOX_WARN = 100
DISK_FAIL_MB, DISK_WARN_MB = 100, 500

# What a technician does about a device state (kiosk.devices.status vocabulary).
PRINTER_TODO = {
    "paper_out": "put a new roll of paper in", "paper_low": "the roll is nearly finished: have a new one ready",
    "cover_open": "close the printer's cover", "offline": "check the printer is switched on and not in error",
    "disconnected": "check the printer's cable and power", "error": "switch the printer off and on again",
    "permission": "the kiosk user cannot open the printer: run kiosk-provision install (udev rules, group lp)",
    "not_found": "check the printer's cable and the ids in [printer]", "timeout": "check the printer is on",
    "unreachable": "check the printer's network address in [printer]",
}
INPUT_TODO = {
    "disconnected": "plug it in (or check [{name}] in kiosk.toml)",
    "permission": "the kiosk user cannot read it: run kiosk-provision install (group input)",
    "error": "unplug it and plug it in again", "unavailable": "its driver is missing: reinstall the release",
}


@dataclass
class Row:
    name: str
    result: str
    detail: str
    todo: str = ""


def _device_row(name: str, device: dict[str, Any], todo_table: dict[str, str]) -> Row:
    state, health, detail = str(device.get("state")), str(device.get("health")), str(device.get("detail") or "")
    words = f"{state}" + (f" ({detail})" if detail and detail != state else "")
    todo = todo_table.get(state, "").format(name=name)
    if health == "ok":
        return Row(name, PASS, words)
    if health in ("degraded", "absent"):
        return Row(name, WARN, words, todo)
    return Row(name, FAIL, words, todo or "see kiosk-provision logs")


# --- configuration, display, touch --------------------------------------------------------

def config_rows(config: KioskConfig) -> list[Row]:
    from kiosk.config import config_warnings

    warnings = config_warnings(config)
    rows = [Row("configuration", PASS, f"{config.source} valid")]
    rows += [Row("configuration", WARN, line.split(": ", 1)[-1], "edit with kiosk-provision config set")
             for line in warnings]
    return rows


def display_row(config: KioskConfig, paths: Paths) -> Row:
    """A connected screen (DRM connector status) and its modes against [display] size and rotation."""
    drm = paths.inside("/sys/class/drm")
    rotation = config.display.rotation
    connected = []
    for status in sorted(drm.glob("card*-*/status")) if drm.is_dir() else []:
        try:
            if status.read_text().strip() == "connected":
                modes = (status.parent / "modes").read_text().split() if (status.parent / "modes").exists() else []
                connected.append((status.parent.name.split("-", 1)[1], modes))
        except OSError:
            continue
    if not connected:
        return Row("display", FAIL, "no screen connected", "check the screen's cable and power, then reboot")
    output, modes = connected[0]
    detail = f"{output} {modes[0] if modes else 'mode unknown'}, rotation {rotation}"
    size = config.display.size
    if size != "auto" and modes and size not in modes:
        return Row("display", WARN, f"{detail}: [display] size {size} is not one of its modes",
                   f"set one of {', '.join(dict.fromkeys(modes[:4]))}: kiosk-provision config set display.size ...")
    return Row("display", PASS, detail)


def _input_devices(paths: Paths) -> list[dict[str, str]]:
    """/proc/bus/input/devices, one dict per device (Name, Vendor, Product, Handlers)."""
    try:
        text = paths.inside("/proc/bus/input/devices").read_text(errors="replace")
    except OSError:
        return []
    devices = []
    for block in text.strip().split("\n\n"):
        found: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith("N: Name="):
                found["name"] = line.split("=", 1)[1].strip().strip('"')
            elif line.startswith("I: "):
                found.update({k.lower(): v for k, v in re.findall(r"(Vendor|Product)=([0-9a-fA-F]+)", line)})
            elif line.startswith("H: Handlers="):
                found["handlers"] = line.split("=", 1)[1].strip()
        devices.append(found)
    return devices


def _find_input(paths: Paths, *, device: str | None, vendor: int | None, product: int | None,
                name: str | None) -> str | None:
    """Where a configured input device is, or None."""
    if device:
        return device if paths.inside(device).exists() else None
    for found in _input_devices(paths):
        if name and found.get("name") == name:
            return found.get("handlers", name)
        if vendor is not None and found.get("vendor") == f"{vendor:04x}" and found.get("product") == f"{product:04x}":
            return found.get("handlers", found.get("name", "found"))
    return None


def touch_row(config: KioskConfig, paths: Paths, state: dict[str, Any] | None) -> Row:
    t, rotation = config.touch, config.display.rotation
    if t.type == "sdl":
        return Row("touch", PASS, f"read by SDL; touches turned with the picture (rotation {rotation})")
    if state and "touch" in (state.get("devices") or {}):
        row = _device_row("touch", state["devices"]["touch"], INPUT_TODO)
    else:
        where = _find_input(paths, device=t.device, vendor=t.vendor_id, product=t.product_id, name=t.name)
        row = Row("touch", PASS, f"found: {where}") if where else Row(
            "touch", FAIL, "touch panel not found", "check its USB cable, or [touch] in kiosk.toml (evtest lists them)")
    if row.result == PASS:
        mapping = f"rotation {t.rotation if t.rotation is not None else rotation}" + (
            ", calibrated" if t.calibration else "")
        row.detail += f"; mapping: {mapping}"
        if t.rotation is not None and t.rotation != rotation:
            row.result, row.todo = WARN, (f"[touch] rotation {t.rotation} differs from [display] rotation {rotation}: "
                                          "touch the four corners to make sure")
    return row


# --- printer and scanner ------------------------------------------------------------------

def printer_row(config: KioskConfig, state: dict[str, Any] | None, print_slip: bool) -> Row:
    if config.printer.type == "none":
        return Row("printer", WARN, "no printer configured ([printer] type = \"none\")", "no tickets on this terminal")
    running = state is not None and "printer" in (state.get("devices") or {})
    if running and not print_slip:
        assert state is not None
        return _device_row("printer", state["devices"]["printer"], PRINTER_TODO)
    from drivers.printer.factory import make_backend
    from drivers.printer.status import query_status

    backend = make_backend(config.printer)
    try:
        status = query_status(backend, timeout=config.printer.status_timeout_s)
        row = _device_row("printer", {"state": status.state, "detail": status.detail,
                                      "health": _health(status.state)}, PRINTER_TODO)
        if print_slip and status.can_print:
            row = _print_slip(config, backend, row)
        elif print_slip:
            row.todo = (row.todo + "; " if row.todo else "") + "no test slip printed"
    finally:
        backend.close()
    return row


def _health(state: str) -> str:
    from kiosk.devices.status import HEALTH

    return HEALTH.get(state, "error")


def _print_slip(config: KioskConfig, backend: Any, row: Row) -> Row:
    from datetime import datetime

    from drivers.printer.backends import BackendError
    from drivers.printer.render import TicketRenderer
    from drivers.printer.status import query_status
    from kiosk.formatting import format_datetime_long
    from kiosk.printing.document import admin_test_ticket

    ticket = admin_test_ticket(config.terminal.id, format_datetime_long(datetime.now().astimezone(), "fr"),
                               "kiosk-provision check")
    try:
        backend.write(TicketRenderer(config.printer.profile, config.printer.qr).render(ticket))
    except BackendError as exc:
        return Row("printer", FAIL, f"test slip not printed: {exc.code} ({exc.detail})",
                   PRINTER_TODO.get(exc.code, "see kiosk-provision logs"))
    after = query_status(backend, timeout=config.printer.status_timeout_s)
    if not after.can_print and after.state != "paper_low":
        return Row("printer", FAIL, f"test slip sent, then the printer said: {after.state}",
                   PRINTER_TODO.get(after.state, ""))
    return Row("printer", row.result, f"{row.detail}; test slip printed", "check the slip came out, cut and readable")


def scanner_row(config: KioskConfig, paths: Paths, state: dict[str, Any] | None) -> Row:
    s = config.scanner
    name = "camera" if s.type == "camera" else "scanner"
    if s.type == "none":
        if config.terminal.profile == "counter":
            return Row(name, FAIL, "no scanner configured", "a counter terminal checks visitors in by QR code: "
                                                           "set [scanner] in kiosk.toml")
        return Row(name, WARN, "no scanner configured ([scanner] type = \"none\")", "")
    devices = (state or {}).get("devices") or {}
    if name in devices:
        return _device_row(name, devices[name], INPUT_TODO)
    if s.type == "simulated":
        return Row(name, WARN, "simulated scanner (demo setting)", "set the real scanner in [scanner]")
    if s.type == "hid":
        where = _find_input(paths, device=s.device, vendor=s.vendor_id, product=s.product_id, name=None)
        if where is None:
            return Row(name, FAIL, "scanner not found", "plug it in, or check [scanner] device / vendor_id")
        return Row(name, PASS, f"found: {where}")
    device = s.device or "/dev/video0"
    if not paths.inside(device).exists():
        return Row(name, FAIL, f"no camera at {device}", "plug it in, or check [scanner] device")
    return Row(name, PASS, f"found: {device}")


def scan_row(config: KioskConfig, timeout: float, say: Any) -> Row:
    """Start the configured scanner's own driver and wait for one code (« scannez un code »)."""
    import queue

    from drivers.scanner import make_scanner
    from kiosk import events

    received: queue.Queue[tuple[int, dict[str, Any]]] = queue.Queue()

    def post(event_type: int, **attrs: Any) -> bool:
        received.put((event_type, attrs))
        return True

    scanner = make_scanner(config.scanner, post=post)
    say("scannez un code / scan a code …")
    scanner.start()
    try:
        while True:
            try:
                kind, attrs = received.get(timeout=timeout)
            except queue.Empty:
                return Row("scan", FAIL, f"no code read within {timeout:g} s", "check the scanner's light and cable")
            if kind == events.SCAN_READ:
                # the code itself may be a citizen's (a check-in): only its length is shown
                return Row("scan", PASS, f"a code of {len(str(attrs.get('text', '')))} characters was read")
            if kind == events.SCAN_REJECTED:
                return Row("scan", FAIL, f"a code was read but refused ({attrs.get('reason')})",
                           "try another code; check the scanner's keyboard layout ([scanner] layout)")
    finally:
        scanner.stop()


# --- network, clock, disk, cache, credentials, service ------------------------------------

def api_rows(config: KioskConfig, paths: Paths, now: Any) -> list[Row]:
    """The central API answers as one (TLS verified by the kiosk's rules), and the clock agrees with it."""
    from provisioning.commands.enroll import probe

    probed = Outcome()
    ok = probe(config, now, probed)
    skew = probed.data.get("clock_skew_s")   # only set once the server answered as the API
    if ok or skew is not None:
        tls = ", TLS verified" if config.api.base_url.startswith("https://") else ""
        rows = [Row("central API", PASS, f"{config.api.base_url} answers{tls}")]
    else:
        rows = [Row("central API", FAIL, probed.problems[0])]   # the sentence says what to do
    rows.append(_clock_row(config, paths, skew))
    return rows


def _clock_row(config: KioskConfig, paths: Paths, skew: float | None) -> Row:
    ntp = None
    if paths.real_root and shutil.which("timedatectl"):
        done = subprocess.run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"], capture_output=True,
                              text=True, check=False, timeout=10)
        ntp = done.stdout.strip() if done.returncode == 0 else None
    ntp_text = {"yes": "NTP synchronised", "no": "NTP not synchronised"}.get(ntp or "", "NTP state unknown")
    limit = config.sync.clock_skew_limit_s
    if skew is None:
        return Row("clock", WARN, f"{ntp_text}; not compared with the central server (not reachable)",
                   "check the clock with 'date'")
    detail = f"{ntp_text}; {abs(skew):.0f} s {'behind' if skew > 0 else 'ahead of'} the central server"
    if abs(skew) > limit:
        return Row("clock", FAIL, detail, "set the time: timedatectl set-ntp true (then check 'date')")
    if ntp == "no":
        return Row("clock", WARN, detail, "turn NTP on: timedatectl set-ntp true")
    return Row("clock", PASS, detail)


def disk_row(paths: Paths) -> Row:
    folder = paths.state
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    free_mb = usage.free // (1024 * 1024)
    share = usage.free / usage.total if usage.total else 0
    detail = f"{free_mb} MB free ({share:.0%}) for {paths.state}"
    if free_mb < DISK_FAIL_MB or share < 0.05:
        return Row("disk", FAIL, detail, "free space: journalctl --vacuum-size=100M, remove old files")
    if free_mb < DISK_WARN_MB or share < 0.10:
        return Row("disk", WARN, detail, "free some space soon")
    return Row("disk", PASS, detail)


def cache_rows(config: KioskConfig, paths: Paths, state: dict[str, Any] | None) -> list[Row]:
    path = paths.inside(config.sync.cache_path)
    facts = terminal.cache_facts(path, integrity=True)
    if not facts.exists:
        return [Row("cache", WARN, f"no cache yet at {path}", "it is made at the kiosk's first start")]
    if facts.problems:
        return [Row("cache", FAIL, f"{path}: damaged ({'; '.join(facts.problems[:3])})",
                    "stop the kiosk and keep a copy of the file for support; do not delete it while actions wait")]
    rows = [Row("cache", PASS, f"{path}: integrity ok")]
    depth = facts.outbox_depth or 0
    if depth > OUTBOX_WARN:
        rows.append(Row("outbox", WARN, f"{depth} actions waiting to be sent", "check the central API row above"))
    else:
        rows.append(Row("outbox", PASS, f"{depth} action(s) waiting"))
    return rows


def credentials_row(config: KioskConfig, paths: Paths) -> Row:
    path = paths.inside(config.api.credentials_path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return Row("credentials", FAIL, f"not enrolled (no {path})", "kiosk-provision enroll CODE")
    if st.st_mode & 0o077:
        return Row("credentials", FAIL, f"{path} is readable by others ({stat.filemode(st.st_mode)})",
                   f"chmod 600 {path}")
    if paths.real_root:
        import pwd

        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = str(st.st_uid)
        if owner != USER:
            return Row("credentials", FAIL, f"{path} belongs to {owner}", f"chown {USER}:{USER} {path}")
    return Row("credentials", PASS, f"{path} (mode 0600)")


def service_row(paths: Paths, state: dict[str, Any] | None) -> Row:
    if paths.real_root and shutil.which("systemctl") and Path("/run/systemd/system").is_dir():
        done = subprocess.run(["systemctl", "show", "kiosk.service", "-p", "ActiveState", "-p", "NRestarts",
                               "-p", "WatchdogTimestampMonotonic", "-p", "WatchdogUSec"],
                              capture_output=True, text=True, check=False, timeout=10)
        props = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
        if props.get("ActiveState") != "active":
            return Row("service", FAIL, f"kiosk.service is {props.get('ActiveState', 'unknown')}",
                       "kiosk-provision logs, then systemctl restart kiosk")
        last = int(props.get("WatchdogTimestampMonotonic") or 0)
        now_us = int(float(Path("/proc/uptime").read_text().split()[0]) * 1e6)
        window = _usec(props.get("WatchdogUSec", "30s"))
        restarts = props.get("NRestarts", "0")
        if not last or now_us - last > window:
            return Row("service", FAIL, "active, but its watchdog was not fed", "the screen may be frozen: "
                                                                               "systemctl restart kiosk")
        return Row("service", PASS, f"active, watchdog fed, {restarts} restart(s)")
    if state is None:
        return Row("service", FAIL, "the kiosk is not running", "start it: systemctl start kiosk")
    ready = "ready" if state.get("ready") else "not ready yet"
    return Row("service", PASS if state.get("ready") else WARN,
               f"running (pid {state.get('pid')}), {ready}; no systemd here: watchdog not checked")


def _usec(text: str) -> int:
    units = {"us": 1, "ms": 1000, "s": 1_000_000, "min": 60_000_000}
    total = 0
    for number, unit in re.findall(r"(\d+)\s*(min|ms|us|s)", text):
        total += int(number) * units[unit]
    return total or 30_000_000


def as_dicts(rows: list[Row]) -> list[dict[str, str]]:
    return [asdict(row) for row in rows]
