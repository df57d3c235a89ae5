"""The technician's screen: what this terminal is, how it is set up, and maintenance actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pygame

import kiosk
from kiosk import events
from kiosk.clock import PARIS
from kiosk.formatting import format_time
from kiosk.i18n import _, ngettext
from kiosk.printing.service import PrintState
from kiosk.services.action_kinds import admin_words
from kiosk.shell.ui import TEXT_SMALL
from screens.base import Screen, ScreenHost
from screens.widgets import Button, Column, Dialog, Label, Row
from screens.widgets.base import Widget

ACTION_WORDS = admin_words()


class AdminScreen(Screen):
    name = "admin"
    is_admin = True

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.test_print = app.printing.job()

    def title(self) -> str:
        return _("Maintenance")

    def _facts(self) -> list[tuple[str, str]]:
        c = self.app.config
        d = self.app.display
        return [
            (_("Version"), kiosk.__version__),
            (_("Terminal"), f"{c.terminal.id} — {c.terminal.name}"),
            (_("Profile"), {"street": _("street totem"), "display": _("waiting-room display")}.get(
                c.terminal.profile, _("counter terminal"))),
            (_("Configuration file"), str(c.source)),
            (_("Screen"), _("{width}×{height}, rotation {angle}°").format(width=d.logical[0], height=d.logical[1],
                                                                      angle=d.rotation)),
            (_("Languages"), ", ".join(c.languages.offered)),
            (_("Central API"), self._api_address()),
            (_("Printer"), c.printer.type),
            (_("Scanner"), c.scanner.type),
            (_("Touch screen"), c.touch.type),
            (_("Mode"), _("demonstration") if self.app.demo else _("production")),
        ]

    def _api_address(self) -> str:
        """Where the central API really is: the demo's own server listens on a free port, not on
        the configured one (which the demo does not use)."""
        if not self.app.has_central_api:
            return _("none in this mode")
        return self.app.central_api_url or _("starting")

    def compose(self) -> Widget:
        facts = [Label(_("{setting}: {state}").format(setting=k, state=v), size=TEXT_SMALL, id=f"fact-{i}")
                 for i, (k, v) in enumerate(self._facts())]
        oos = self.app.out_of_service is not None
        self.printer_state = Label(self._printer_text(), bold=True, id="printer-state")
        self.inputs_state = Label(self._inputs_text(), bold=True, id="inputs-state")
        printer_buttons = [Button(_("Print a test ticket"), id="print-test", on_tap=self._print_test)]
        printer_buttons[0].enabled = self.app.printing.present
        if self.app.devices.draws_receipts:      # the demo's simulated printer
            printer_buttons.append(Button(_("Last ticket"), id="last-receipt", on_tap=self._show_receipt))
        printer = Row(printer_buttons, gap=20)
        scanner = ([Row([Button(_("Scan a code"), id="scan-by-hand", on_tap=self._scan_by_hand)], gap=20)]
                   if self.app.devices.scans_by_hand else [])    # the demo's simulated scanner
        self.sync_state = Label(self._sync_text(), bold=True, id="sync-state")
        self.storage_state = Label(self._storage_text(), bold=True, id="storage-state")
        sync_now = Button(_("Synchronise now"), id="sync-now", on_tap=self._sync_now)
        sync_now.enabled = self.app.has_central_api
        actions = Row([
            Button(_("Put back in service") if oos else _("Put out of service"), id="toggle-service",
                   on_tap=self._toggle_service),
            Button(_("Test the error screen"), id="test-failsafe", on_tap=self._fail_on_purpose),
        ], gap=20)
        leave = Row([
            Button(_("Close"), id="close-admin", on_tap=self.app.go_home),
            Button(_("Quit to maintenance"), kind="primary", id="quit", on_tap=self._confirm_quit),
        ], gap=20)
        self.shown_refusals = self.app.sync_status.get("refusals") or []
        self.shown_api = self._api_address()
        refusals = [Label(text, size=TEXT_SMALL, id=f"sync-refusal-{i}")
                    for i, text in enumerate(self._refusal_lines(self.shown_refusals))]
        return Column([Column(facts, gap=8, id="facts"), self.printer_state, printer, self.inputs_state, *scanner,
                       self.sync_state, self.storage_state,
                       *([Column(refusals, gap=8, id="sync-refusals")] if refusals else []),
                       Row([sync_now], gap=20), actions, leave], gap=32)

    @staticmethod
    def _refusal_lines(refusals: list[dict[str, Any]]) -> list[str]:
        """The last actions the central API refused for good, newest first (no personal data)."""
        if not refusals:
            return []
        lines = [_("Refused by the central API (newest first):")]
        for r in refusals:
            try:
                at = datetime.fromisoformat(str(r.get("at")).replace("Z", "+00:00")).astimezone(PARIS)
                when = f"{at:%d/%m} {format_time(at.time())}"
            except ValueError:
                when = "?"
            lines.append(_("{when} · {kind} · {status} {error}: {message}").format(
                when=when, kind=_(ACTION_WORDS.get(str(r.get("kind")), "?")), status=r.get("status") or "",
                error=r.get("error") or "", message=(r.get("message") or "")[:120]))
        return lines

    def _sync_text(self) -> str:
        app = self.app
        if not app.has_central_api:
            return _("Synchronisation: no central API in this mode")
        status = app.sync_status
        if not status:
            return _("Synchronisation: starting")
        last = status.get("last_success")
        when = format_time(last.astimezone(PARIS).time()) if last else _("never")
        text = _("Synchronisation: last success {when}, {depth} waiting, {failed} refused").format(
            when=when, depth=status.get("outbox_depth", 0), failed=status.get("failed", 0))
        if status.get("clock_skew_flagged"):
            text += " · " + _("clock off by {s} s: check NTP").format(s=round(status.get("clock_skew_s") or 0))
        return text

    def _storage_text(self) -> str:
        """The terminal's disk, as the sync worker last saw it (offline_cache.health): what a
        technician must do, if anything."""
        storage = self.app.sync_status.get("storage") or {}
        state = storage.get("state")
        if state is None:
            return _("Storage: not checked yet")
        if state == "full":
            return _("Storage: the disk is full. New actions cannot be saved (none is lost): make room on the disk.")
        if state == "outbox_moved_aside":
            n = int(storage.get("outbox_files_moved_aside") or 0)
            return ngettext("Storage: {n} damaged file of waiting actions was moved aside; keep it for support.",
                            "Storage: {n} damaged files of waiting actions were moved aside; keep them for support.",
                            n).format(n=n)
        if state == "unavailable":
            return _("Storage: the offline cache cannot be opened; see the log.")
        return _("Storage: ok")

    def _sync_now(self) -> None:
        if self.app.sync_now():
            self.toast(_("Synchronisation started."))

    def _printer_text(self) -> str:
        state = self.app.devices.state("printer")
        return _("Printer state: {state}").format(state=state.words())

    def _inputs_text(self) -> str:
        """The other devices of the shared status model (kiosk.devices.status), on one line."""
        names = {"scanner": _("Scanner"), "camera": _("Camera"), "touch": _("Touch screen")}
        return " · ".join(_("{setting}: {state}").format(setting=names[name], state=state.words())
                          for name, state in self.app.devices.summary().items() if name != "printer")

    def _scan_by_hand(self) -> None:
        from screens.admin.scan import AdminScanScreen

        self.app.nav.push(AdminScanScreen(self.app))

    def _show_receipt(self) -> None:
        from screens.printing.receipt import ReceiptScreen

        self.app.nav.push(ReceiptScreen(self.app))

    def _print_test(self) -> None:
        from kiosk.formatting import format_datetime_long
        from kiosk.printing.document import admin_test_ticket

        printing = self.app.printing
        when = format_datetime_long(self.app.clock.now(), "fr")
        self.test_print.submit(admin_test_ticket(self.app.config.terminal.id, when, printing.state().state))
        self.toast(_("Test ticket sent to the printer."))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == events.SYNC_STATUS:
            self.sync_state.set_text(self._sync_text())
            self.storage_state.set_text(self._storage_text())
            if (event.dict.get("refusals") or []) != self.shown_refusals or self._api_address() != self.shown_api:
                self.rebuild()   # new refusals, or the demo's server has started meanwhile
        elif event.type == events.DEVICE_STATE:
            self.printer_state.set_text(self._printer_text())
            self.inputs_state.set_text(self._inputs_text())
        elif (state := self.test_print.update(event)) is PrintState.PRINTED:
            self.toast(_("Test ticket printed."))
        elif state is PrintState.FAILED:
            reason = self.app.printing.reason_words(self.test_print.reason)
            self.toast(_("The test ticket could not be printed ({reason}).").format(reason=reason), kind="warn")

    def _toggle_service(self) -> None:
        in_service = self.app.out_of_service is not None
        events.ServiceState(in_service=in_service, reason="set by a technician").post()

    def _fail_on_purpose(self) -> None:
        raise RuntimeError("failure requested from the admin screen (failsafe test)")

    def _confirm_quit(self) -> None:
        self.open_dialog(Dialog(
            _("Quit the kiosk?"),
            _("The terminal stops showing the kiosk until it is restarted."),
            [Button(_("Cancel"), id="cancel", on_tap=lambda: self.close_overlay("dialog")),
             Button(_("Quit"), kind="primary", id="confirm-quit",
                    on_tap=lambda: self.app.quit("quit to maintenance by a technician"))],
        ))
