"""The heartbeat: every ``heartbeat_interval_s`` the terminal tells the central API how it is.

Body: version, uptime, device states, outbox depth, last sync, anonymous usage counters
(:mod:`kiosk.usage`), and the state of the terminal's disk (:func:`offline_cache.health.storage_state`:
a full disk or an outbox file moved aside is seen from the town hall, not only on the admin
screen). Never retried: the next one carries fresher figures anyway.

Device states come from a callable (the app's ``Devices.heartbeat_states()``) returning
``{"printer": "ok", ...}``; the contract knows four states, so a driver's own words are
folded into them (``paper_low`` → ``degraded``, ``disconnected`` → ``error`` ...).

The answer also carries this terminal's **reference namespace** (openapi.yaml, « References »):
a terminal enrolled before namespaces keeps the one it is given there with its credentials, and
from then on prints references the server keeps whatever the network does.

The answer may carry **configuration overrides** for this terminal, as dotted
``kiosk.toml`` keys. Only the sync schedule may be changed from afar
(:data:`REMOTE_KEYS`): those are validated with the ``[sync]`` model's own limits and
applied at once; anything else — idle timers, the admin PIN, the API address — is logged
and ignored, because a compromised or mistaken central system must not be able to change
what a citizen sees or who administers the terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

import kiosk
from kiosk.usage import COUNTERS, UsageCounters

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient

log = logging.getLogger("kiosk.sync")
# override key -> the worker attribute path it sets (see SyncWorker.apply_override)
REMOTE_KEYS = ("sync.catalog_interval_s", "sync.slots_interval_s", "sync.keys_interval_s",
               "sync.heartbeat_interval_s", "sync.offline_backoff_cap_s")
STATE_WORDS = {
    "ok": "ok", "ready": "ok", "degraded": "degraded", "absent": "absent", "disabled": "absent",
    "none": "absent", "error": "error", "offline": "error", "disconnected": "error", "gone": "error",
}


def contract_state(state: str) -> str:
    """A driver's state in the contract's four words; anything not known is ``degraded``."""
    return STATE_WORDS.get(str(state).lower(), "degraded")


class Heartbeat:
    def __init__(self, interval_s: float, device_states: Callable[[], dict[str, str]] | None = None,
                 usage: UsageCounters | None = None, started_mono: float = 0.0) -> None:
        self.interval_s = float(interval_s)
        self.device_states = device_states
        self.usage = usage or COUNTERS
        self.started_mono = started_mono
        self.next_due = float("-inf")
        self.applied: dict[str, Any] = {}      # overrides in force (admin screen, tests)
        self.ignored: dict[str, Any] = {}      # overrides refused, with the value last seen

    def body(self, *, now: datetime, mono: float, outbox_depth: int, last_sync: datetime | None,
             usage: dict[str, int], storage: dict[str, Any] | None = None) -> dict[str, Any]:
        states: dict[str, str] = {}
        if self.device_states is not None:
            try:
                states = {str(k)[:40]: contract_state(v) for k, v in (self.device_states() or {}).items()}
            except Exception:  # a broken driver report must not stop the heartbeat
                log.exception("device states for the heartbeat could not be read")
        body = {"version": kiosk.__version__, "uptime_s": max(0, int(mono - self.started_mono)),
                "device_states": states, "outbox_depth": outbox_depth,
                "last_sync": last_sync.isoformat() if last_sync else None, "usage": usage,
                "sent_at": now.isoformat()}
        if storage is not None:   # the contract's two fields only: the detail may name local paths
            body["storage"] = {"state": storage["state"],
                               "outbox_files_moved_aside": int(storage.get("outbox_files_moved_aside", 0))}
        return body

    def send(self, client: ApiClient, *, now: datetime, mono: float, outbox_depth: int, last_sync: datetime | None,
             apply: Callable[[str, Any], None], storage: dict[str, Any] | None = None) -> None:
        """One heartbeat; raises the client's ApiError (the caller logs it and waits an interval)."""
        self.next_due = mono + self.interval_s
        usage = self.usage.snapshot()
        ack = client.heartbeat(self.body(now=now, mono=mono, outbox_depth=outbox_depth, last_sync=last_sync,
                                         usage=usage, storage=storage))
        self.usage.subtract(usage)
        if client.keep_reference_namespace(ack.reference_namespace):
            log.info("reference namespace from the central API kept with the credentials")
        self.take_overrides(ack.config_overrides, apply)

    def take_overrides(self, overrides: dict[str, Any], apply: Callable[[str, Any], None]) -> None:
        """Apply the allowed keys (validated), log the others once per new value."""
        from kiosk.config.models import SyncConfig

        for key, value in sorted((overrides or {}).items()):
            if self.applied.get(key, object()) == value or self.ignored.get(key, object()) == value:
                continue
            name = str(key).partition(".")[2]
            if key not in REMOTE_KEYS:
                self.ignored[key] = value
                log.warning("configuration override %s from the central API ignored: only %s may be set remotely",
                            key, ", ".join(REMOTE_KEYS))
                continue
            try:
                checked = getattr(SyncConfig.model_validate({name: value}), name)
            except ValidationError as exc:
                self.ignored[key] = value
                log.warning("configuration override %s = %r from the central API ignored: %s", key, value,
                            exc.errors(include_url=False)[0]["msg"])
                continue
            apply(name, checked)
            self.applied[key] = value
            self.ignored.pop(key, None)
            log.info("configuration override from the central API applied: %s = %r", key, checked)
