"""The running kiosk's state, published in a small JSON file for technicians (``[sync] state_file``).

Device states, readiness and the last sync live in the kiosk's memory; ``kiosk-provision status``
and ``check`` run in another process, over SSH. So the kiosk writes what it knows to
``/run/kiosk/state.json`` (a tmpfs the systemd unit creates) each time something a technician
would want changes, and nothing else reads the kiosk's memory: the admin screen, the heartbeat
(``Devices.heartbeat_states``) and this file all come from the same ``Devices`` states.

Why it is cheap enough for the UI thread: it is written only when its content changes (a device
changes state, a sync round ends, the first frame), it is a few hundred bytes on a tmpfs, and
the write is a rename (readers never see half a file). A failure to write is logged once and
never stops the kiosk: the file is for people, the kiosk serves citizens without it.

Its shape (``FORMAT`` 1): ``format``, ``version``, ``pid``, ``terminal``, ``started_at``,
``ready`` (the first frame is on the panel), ``in_service``, ``devices`` (name →
``{"state", "health", "detail"}``), ``sync`` (``last_success``, ``outbox_depth``, ``failed``,
``online``, ``clock_skew_s``, ``revoked``) and ``updated_at``. No personal data: states, counts, times.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.devices.status import DeviceState

log = logging.getLogger(__name__)
FORMAT = 1
SYNC_KEYS = ("last_success", "outbox_depth", "failed", "online", "clock_skew_s", "revoked")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def device_entries(states: Mapping[str, DeviceState]) -> dict[str, dict[str, str]]:
    return {name: {"state": s.state, "health": s.health, "detail": s.detail[:200]} for name, s in states.items()}


class StatePublisher:
    """Keeps the published file equal to the last snapshot; rewrites it only when that changes."""

    def __init__(self, path: Path | str, *, version: str, terminal: str, started_at: datetime) -> None:
        self.path = Path(path)
        self._content: dict[str, Any] = {
            "format": FORMAT, "version": version, "pid": os.getpid(), "terminal": terminal,
            "started_at": started_at.isoformat(), "ready": False, "in_service": True,
            "devices": {}, "sync": {},
        }
        self._written: dict[str, Any] | None = None
        self._failed = False

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self._content)

    def update(self, now: datetime, *, ready: bool | None = None, in_service: bool | None = None,
               devices: Mapping[str, DeviceState] | None = None, sync: Mapping[str, Any] | None = None) -> bool:
        """Merge what changed and write the file if its content differs; True when it was written."""
        if ready is not None:
            self._content["ready"] = ready
        if in_service is not None:
            self._content["in_service"] = in_service
        if devices is not None:
            self._content["devices"] = device_entries(devices)
        if sync is not None:
            self._content["sync"] = {key: _iso(sync.get(key)) for key in SYNC_KEYS}
        if self._content == self._written:
            return False
        return self._write(now)

    def _write(self, now: datetime) -> bool:
        document = {**self._content, "updated_at": now.isoformat()}
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
            os.chmod(tmp, 0o644)  # technicians' tools read it; it holds no secret and no personal data
            os.replace(tmp, self.path)
        except OSError as exc:
            if not self._failed:
                log.warning("cannot publish the terminal's state in %s: %s", self.path, exc.strerror or exc)
            self._failed = True
            return False
        self._failed = False
        self._written = copy.deepcopy(self._content)
        return True

    def remove(self) -> None:
        """At a clean exit: no state file means « not running » to kiosk-provision status."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


def read_state(path: Path | str) -> dict[str, Any] | None:
    """The published state, or None when there is none (kiosk not running) or it cannot be read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None
