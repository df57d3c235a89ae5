"""One model of device states, read by the admin screen, the screens that print, the logs and the heartbeat.

Why one model: the drivers each speak their own vocabulary (the printer's ``paper_out``,
a scanner's ``permission``); the admin screen wants those words, a citizen needs one
sentence about what it means for them, the log wants each change once, and the central
system's heartbeat accepts only four levels (``ok``, ``degraded``, ``error``, ``absent``,
kiosk/api/openapi.yaml). Keeping the mapping here keeps the four in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import N_, _

# Printer states (drivers.printer.status) in words for people ("l'imprimante est …").
PRINTER_STATE_WORDS = {
    "ready": N_("ready"), "paper_low": N_("paper running low"), "paper_out": N_("out of paper"),
    "cover_open": N_("cover open"), "error": N_("in error"), "offline": N_("offline"),
    "disconnected": N_("unplugged"), "no_status": N_("state unknown"), "disabled": N_("no printer"),
    "starting": N_("starting"),
    # Transport codes a failed job may report (drivers.printer.backends.BackendError).
    "unavailable": N_("driver unavailable"), "not_found": N_("not found"), "permission": N_("access denied"),
    "unreachable": N_("unreachable"), "timeout": N_("not answering"), "io_error": N_("transmission error"),
}
# Scanner, camera and touch states (drivers.driver_thread): worded to fit any device name.
INPUT_STATE_WORDS = {
    "ready": N_("working"), "disconnected": N_("not connected"), "permission": N_("access denied"),
    "error": N_("in error"), "unavailable": N_("driver unavailable"), "unknown": N_("not checked yet"),
    "starting": N_("starting"), "disabled": N_("no device"),
}

# Each state's level in the heartbeat; a state not listed counts as "error".
HEALTH = {
    "ready": "ok", "no_status": "ok",                       # a usblp printer that cannot report still prints
    "paper_low": "degraded", "starting": "degraded", "unknown": "degraded",
    "disabled": "absent",
}
# What a citizen is told when a ticket cannot be printed (the screen then shows the information).
PRINTER_PROBLEMS_FOR_CITIZENS = {
    "paper_out": N_("The ticket printer is out of paper."),
    "disabled": N_("This terminal has no ticket printer."),
}
NO_TICKET = N_("The ticket printer is not working.")


@dataclass(frozen=True)
class DeviceState:
    """What a driver last reported for one device (``device`` is its DEVICE_STATE name)."""

    state: str
    detail: str = ""
    device: str = "printer"

    def words(self) -> str:
        table = PRINTER_STATE_WORDS if self.device == "printer" else INPUT_STATE_WORDS
        return _(table.get(self.state, self.state))

    @property
    def health(self) -> str:
        return HEALTH.get(self.state, "error")

    def citizen_message(self) -> str:
        """For the printer: one sentence saying why there is no ticket ("" when it prints)."""
        if self.health == "ok" or self.state == "paper_low":
            return ""
        return _(PRINTER_PROBLEMS_FOR_CITIZENS.get(self.state, NO_TICKET))
